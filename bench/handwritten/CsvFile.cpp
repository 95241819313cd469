// Reading a CSV file whole and splitting its lines at commas.
#include "bench/handwritten/CsvFile.h"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fmt/format.h>

namespace handwritten {

CsvFile::CsvFile(std::string path) : path_(std::move(path)) {
  std::FILE* file = std::fopen(path_.c_str(), "rb");
  if (!file)
    throw LoadError(fmt::format("{}: cannot open: {}", path_, std::strerror(errno)));
  std::fseek(file, 0, SEEK_END);
  const long size = std::ftell(file);
  std::fseek(file, 0, SEEK_SET);
  auto text = std::make_shared<std::string>(static_cast<size_t>(std::max(size, 0L)), '\0');
  const size_t got = std::fread(text->data(), 1, text->size(), file);
  std::fclose(file);
  text_ = text;
  end_ = text_->size();
  if (got != text_->size())
    throw LoadError(fmt::format("{}: cannot read the whole file", path_));
  std::string_view headerLine;
  if (!splitLine(headerLine))
    throw LoadError(fmt::format("{}: empty file: no header line", path_));
  for (size_t i = 0; i < fieldCount_; ++i)
    header_.emplace_back(fields_[i]);
}

// The next physical line (without its line break) split into fields_.
bool CsvFile::splitLine(std::string_view& line) {
  if (at_ >= end_)
    return false;
  const char* begin = text_->data() + at_;
  const char* end = static_cast<const char*>(std::memchr(begin, '\n', end_ - at_));
  if (!end)
    end = text_->data() + end_;
  at_ = static_cast<size_t>(end - text_->data()) + 1;
  ++line_;
  if (end > begin && end[-1] == '\r')
    --end;
  line = std::string_view(begin, static_cast<size_t>(end - begin));
  fieldCount_ = 0;
  const char* fieldStart = begin;
  for (const char* p = begin;; ++p) {
    if (p == end || *p == ',') {
      if (fieldCount_ == kMaxFields)
        fail(fmt::format("more than {} fields", kMaxFields));
      fields_[fieldCount_++] = std::string_view(fieldStart, static_cast<size_t>(p - fieldStart));
      if (p == end)
        break;
      fieldStart = p + 1;
    }
  }
  return true;
}

bool CsvFile::next() {
  std::string_view line;
  do {
    if (!splitLine(line))
      return false;
  } while (line.empty()); // blank lines (a trailing one) are not rows
  if (fieldCount_ != header_.size())
    fail(fmt::format("{} fields, but the header has {}", fieldCount_, header_.size()));
  return true;
}

size_t CsvFile::column(std::string_view name) const {
  for (size_t i = 0; i < header_.size(); ++i)
    if (header_[i] == name)
      return i;
  throw LoadError(fmt::format("{}:1: no column `{}` in the header", path_, name));
}

void CsvFile::fail(const std::string& message) const {
  // A part's first line number is found only now: the line breaks before it.
  const auto before = static_cast<size_t>(
      std::count(text_->begin(), text_->begin() + static_cast<long>(partStart_), '\n'));
  throw LoadError(fmt::format("{}:{}: {}", path_, before + line_, message));
}

size_t CsvFile::estimatedRows() const {
  // The mean line length of the first 4 KiB,, projected over the file.
  const size_t sample = std::min<size_t>(end_ - std::min(at_, end_), 4096);
  const size_t lines =
      static_cast<size_t>(std::count(text_->begin() + static_cast<long>(at_),
                                     text_->begin() + static_cast<long>(at_ + sample), '\n'));
  return lines ? (end_ - at_) / (sample / lines) + 16 : 16;
}

std::vector<CsvFile> CsvFile::partition(size_t count) const {
  std::vector<CsvFile> parts;
  size_t begin = at_;
  for (size_t i = 1; i <= count && begin < end_; ++i) {
    size_t cut = i == count ? end_ : begin + (end_ - begin) / (count - i + 1);
    const void* lineBreak =
        cut < end_ ? std::memchr(text_->data() + cut, '\n', end_ - cut) : nullptr;
    cut = lineBreak ? static_cast<size_t>(static_cast<const char*>(lineBreak) - text_->data()) + 1
                    : end_;
    CsvFile part;
    part.path_ = path_;
    part.text_ = text_;
    part.at_ = part.partStart_ = begin;
    part.end_ = cut;
    part.header_ = header_;
    parts.push_back(std::move(part));
    begin = cut;
  }
  return parts;
}

} // namespace handwritten
