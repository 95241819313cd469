// A whole CSV file in memory, read line by line into fields (no quoting: the generated files
// need none), or a line-aligned part of one for parsing in parallel. Errors throw LoadError
// naming the file and line.
#pragma once

#include <array>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace handwritten {

struct LoadError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

class CsvFile {
public:
  static constexpr size_t kMaxFields = 32;

  explicit CsvFile(std::string path);

  // The header's position of `column`; throws when the file has none.
  size_t column(std::string_view name) const;

  // Splits the next data line into fields; false at the end of the file. A line whose field
  // count differs from the header's throws.
  bool next();
  std::string_view field(size_t index) const { return fields_[index]; }
  size_t line() const { return line_; }

  // Throws "<path>:<line>: <message>".
  [[noreturn]] void fail(const std::string& message) const;

  // A rough count of data lines, for reserving column storage.
  size_t estimatedRows() const;

  // The unread lines cut into up to `count` parts at line breaks, each read like the file.
  std::vector<CsvFile> partition(size_t count) const;

private:
  bool splitLine(std::string_view& line);

  CsvFile() = default;

  std::string path_;
  std::shared_ptr<const std::string> text_; // shared by a file's parts
  size_t at_ = 0, end_ = 0;                 // the unread bytes
  size_t partStart_ = 0;                    // where this part begins in text_
  size_t line_ = 0;                         // lines read since partStart_
  std::vector<std::string> header_;
  std::array<std::string_view, kMaxFields> fields_{};
  size_t fieldCount_ = 0;
};

} // namespace handwritten
