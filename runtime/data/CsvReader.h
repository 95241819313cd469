// An RFC 4180 CSV reader over a file held in memory, one record at a time, with positions.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace fulcrum::runtime {

// One cell. `text` is unquoted and unescaped; it points into the input or into the record's
// buffer, so it is valid until the next call to CsvReader::next with the same record.
struct CsvField {
  std::string_view text;
  uint32_t line = 0;   // 1-based line where the field starts
  uint32_t column = 0; // 1-based column, in characters, where the field starts (its quote)
  bool quoted = false;
};

// A syntax problem; the record it belongs to is still returned, marked bad.
struct CsvError {
  uint32_t line = 0;
  uint32_t column = 0;
  std::string message;
};

struct CsvRecord {
  std::vector<CsvField> fields; // a data record keeps at most one field past the header's count
  std::vector<CsvError> errors; // empty for a well-formed record
  std::string_view raw;         // the record as written in the file, without its line break
  uint32_t line = 0;            // line where the record starts
  uint32_t index = 0;           // 0 is the header, 1 the first data record
  std::string buffer;           // storage for fields that needed unescaping (`""`)

  bool ok() const { return errors.empty(); }
};

// Reads records from `text` (which must outlive the reader). A UTF-8 BOM at the start is
// skipped; lines end in LF, CRLF or CR; blank lines between records are skipped. The first
// record is the header: every later record must have as many fields, or it gets an error.
// After an error the reader carries on: an unterminated quote ends its record at the end of
// the line it opened on, and reading resumes on the next line.
class CsvReader {
public:
  explicit CsvReader(std::string_view text);
  // Reads data records (the header already read, with `headerFields` fields) from `start`, the
  // first byte of line `line`; used to read a file in ranges and to re-read one record.
  CsvReader(std::string_view text, size_t start, uint32_t line, size_t headerFields);

  // The byte between fields: `,` unless the file declares another (`delimiter ";"`).
  void setDelimiter(char delimiter) { delimiter_ = delimiter; }

  // Fills `record` with the next record; false (and `record` untouched) at the end of input.
  bool next(CsvRecord& record);

  // Fields in the header (0 before the first record is read).
  size_t headerFieldCount() const { return headerFields_; }
  // Moves to `pos`, the first byte of line `line` (a record's start or blank lines before one).
  void seek(size_t pos, uint32_t line);
  // Whether the last record read had a quoted field still open at the end of the text (an
  // unterminated quote, or, for a range's view of the text, a record that runs past the range).
  bool ranOutInQuotes() const { return ranOutInQuotes_; }
  // Where the next record (or the blank lines before it) starts, and its line.
  size_t position() const { return cur_.pos; }
  uint32_t line() const { return cur_.line; }

private:
  struct Cursor {
    size_t pos = 0;
    uint32_t line = 1;
    size_t counted = 0;  // byte offset up to which `column` has been counted
    uint32_t column = 1; // character column at `counted`
  };

  uint32_t columnAt(size_t pos);
  void newLine(size_t nextLineStart);
  size_t skipLineEnd(size_t pos) const;
  void readQuoted(CsvRecord& record, const CsvField& field, size_t& start, size_t& length,
                  bool& inBuffer);

  struct Span {
    size_t start = 0, length = 0;
    bool inBuffer = false;
  };

  std::string_view text_;
  std::vector<Span> spans_;
  Cursor cur_;
  uint32_t records_ = 0;
  size_t headerFields_ = 0;
  bool ranOutInQuotes_ = false;
  char delimiter_ = ',';
};

} // namespace fulcrum::runtime
