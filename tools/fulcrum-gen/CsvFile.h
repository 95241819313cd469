// One output CSV file: the header, buffered blocks written with fwrite, and the row and byte
// counts the summary prints. Write failures throw with the file's name and the reason.
#pragma once

#include "tools/fulcrum-gen/ExportStyle.h"
#include "tools/fulcrum-gen/TextBuffer.h"

#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>
#include <string_view>

namespace fulcrum::gen {

class CsvFile {
public:
  // `header` and the rows are ISO CSV; a style other than Iso rewrites them as they are written.
  CsvFile(const std::string& dir, std::string_view name, std::string_view header,
          ExportStyle style = ExportStyle::Iso);
  ~CsvFile();
  CsvFile(const CsvFile&) = delete;
  CsvFile& operator=(const CsvFile&) = delete;

  // Writes the buffer (holding `rows` complete rows) and clears it.
  void write(TextBuffer& buffer, uint64_t rows);
  // Writes the buffer once it holds more than a megabyte; for tables built row by row.
  void writeIfFull(TextBuffer& buffer, uint64_t& rows);
  void close();

  const std::string& name() const { return name_; }
  uint64_t rows() const { return rows_; }
  uint64_t bytes() const { return bytes_; }

private:
  void writeBytes(const char* data, size_t size);

  std::string name_;
  std::string path_;
  std::FILE* file_ = nullptr;
  std::optional<StyledFile> styled_;
  std::string styledRows_; // reused between blocks
  uint64_t rows_ = 0;
  uint64_t bytes_ = 0;
};

} // namespace fulcrum::gen
