// Writing an output file with plain fwrite; errors carry the path and strerror.
#include "tools/fulcrum-gen/CsvFile.h"

#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace fulcrum::gen {
namespace {

constexpr size_t kFlushBytes = 1 << 20;

std::runtime_error failure(const std::string& what, const std::string& path) {
  return std::runtime_error("cannot " + what + " " + path + ": " + std::strerror(errno));
}

} // namespace

CsvFile::CsvFile(const std::string& dir, std::string_view name, std::string_view header,
                 ExportStyle style)
    : name_(name), path_(dir + "/" + std::string(name)) {
  file_ = std::fopen(path_.c_str(), "wb");
  if (!file_)
    throw failure("create", path_);
  if (style != ExportStyle::Iso) {
    styled_.emplace(style, header);
    writeBytes(styled_->head().data(), styled_->head().size());
    return;
  }
  writeBytes(header.data(), header.size());
  writeBytes("\n", 1);
}

CsvFile::~CsvFile() {
  if (file_)
    std::fclose(file_);
}

void CsvFile::write(TextBuffer& buffer, uint64_t rows) {
  if (styled_) {
    styledRows_.clear();
    styled_->restyle(std::string_view(buffer.data(), buffer.size()), styledRows_);
    writeBytes(styledRows_.data(), styledRows_.size());
  } else {
    writeBytes(buffer.data(), buffer.size());
  }
  rows_ += rows;
  buffer.clear();
}

void CsvFile::writeIfFull(TextBuffer& buffer, uint64_t& rows) {
  if (buffer.size() < kFlushBytes)
    return;
  write(buffer, rows);
  rows = 0;
}

void CsvFile::close() {
  std::FILE* file = file_;
  file_ = nullptr;
  if (file && std::fclose(file) != 0)
    throw failure("write", path_);
}

void CsvFile::writeBytes(const char* data, size_t size) {
  if (size && std::fwrite(data, 1, size, file_) != size)
    throw failure("write", path_);
  bytes_ += size;
}

} // namespace fulcrum::gen
