// A file's bytes for the loader: mapped read-only (pages already parsed can be given back), or
// read into memory when the file cannot be mapped (pipes, special files).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace fulcrum::runtime {

class FileText {
public:
  FileText() = default;
  FileText(const FileText&) = delete;
  FileText& operator=(const FileText&) = delete;
  FileText(FileText&& other) noexcept;
  FileText& operator=(FileText&& other) noexcept;
  ~FileText();

  // Opens `path`; false with `error` (strerror text) if it cannot be read.
  bool open(const std::string& path, std::string& error);
  std::string_view text() const { return text_; }
  // Tells the kernel the bytes [begin, end) will not be needed soon: their pages leave the
  // resident set (a mapped file reads them back from the page cache if they are touched again).
  void release(size_t begin, size_t end) const;

private:
  void close();

  std::string_view text_;
  void* mapped_ = nullptr;
  size_t mappedSize_ = 0;
  std::string owned_; // when not mapped
};

} // namespace fulcrum::runtime
