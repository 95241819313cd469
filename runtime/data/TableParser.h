// The loader's first pass over one file: typed columns for every data row, bad rows marked.
#pragma once

#include "runtime/data/CsvReader.h"
#include "runtime/data/FileText.h"
#include "runtime/data/Loader.h"
#include "runtime/data/MemoryBudget.h"
#include "runtime/data/RecordFinder.h"

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace fulcrum::runtime {

// A reference field before resolution: its column's `rows` hold codes into `keys` (-1 when
// empty or unparsed) until resolveReferences turns them into row indexes.
struct PendingReference {
  size_t field = 0; // index into the schema's fields
  Dictionary keys;  // distinct key texts (trimmed)
};

// A cell as written in its file, read again (see ParsedTable::cell).
struct WrittenCell {
  std::string text;
  uint32_t line = 0, column = 0;
};

// One file as read: every data row (rejected ones hold placeholders), so row indexes here are
// positions in the file. No per-row byte offsets are kept: the few rows that messages or the
// rejects file need are read again from the file by their line.
struct ParsedTable {
  const TableSchema* schema = nullptr;
  Table table; // all rows of the file
  std::vector<PendingReference> references;
  std::vector<uint8_t> rejected; // per row
  KeyIndex firstSeen;            // canonical key -> first row with it, bad rows included
  std::vector<LoadIssue> issues;
  std::vector<int32_t> issueRows; // per issue: its row, or -1 for a fatal issue
  bool unusable = false;          // a fatal issue: nothing of this file loads
  bool stoppedAtLimit = false;    // the memory budget stopped the load: no row counted
  size_t rowsInFile = 0;
  std::vector<size_t> fieldColumn; // per field: its column in the file
  size_t headerFields = 0;         // columns in the file's header
  char delimiter = ',';            // between fields (TableSchema::delimiter, or as detected)
  bool delimiterDetected = false;  // `delimiter auto` read it from the header
  bool fromCache = false;          // the table came from a column cache, not from parsing
  // A host table (HostTable.h) has no file: a cell's text for messages comes from here, and its
  // row issues name the 1-based row instead of a line (table.lines holds the row numbers).
  std::function<std::string(size_t row, size_t field)> hostCell;
  // A database table's row issues also name the row's key as written (LoadIssue::key).
  bool issuesNameKeys = false;
  bool cancelled = false; // LoadOptions::cancel stopped the parse: nothing loads

  // The record of `row` as written (without its line break); valid while this table lives.
  std::string_view raw(size_t row) const;
  // The cell of `field` in `row` as written.
  WrittenCell cell(size_t row, size_t field) const;
  // The file's text, opened on first use when the table came from a cache.
  const FileText& file() const;
  void setFile(FileText file);

  // Why the file could not be read again for a message (it changed since it was parsed), once
  // raw() or cell() has failed for that reason; the loader reports it as a fatal issue.
  const std::optional<LoadIssue>& rereadError() const { return rereadError_; }

  void addRowIssue(int32_t row, LoadIssue issue);
  void addFatal(LoadIssue issue);

private:
  bool read(size_t row, CsvRecord& record) const;

  mutable FileText file_;
  mutable bool fileOpened_ = false;
  mutable RecordFinder finder_;
  mutable CsvRecord record_; // the last record read again
  mutable std::optional<LoadIssue> rereadError_;
};

// The delimiter of `schema`'s file: the declared one, or with `delimiter auto` the one of `,` `;`
// tab `|` that the header line (`text`'s first line) holds most often outside quotes (`,` if none).
char fileDelimiter(const TableSchema& schema, std::string_view text);

// The fatal issue for a file that cannot be read or changed while it was being read.
LoadIssue fileIssue(const TableSchema& schema, const FileTextError& error);

// Reads and converts `schema`'s file; references are left pending (see PendingReference).
// `threads` and `minBytesPerRange` as in LoadOptions; `budget`, when given, pays for every row
// (see MemoryBudget.h and rowCost in RangeParser.cpp).
void parseTable(const TableSchema& schema, ParsedTable& out, unsigned threads,
                size_t minBytesPerRange, MemoryBudget* budget = nullptr,
                const std::atomic<bool>* cancel = nullptr);

// A problem with one row of `schema`'s file (not fatal), at a cell when `field` is given.
LoadIssue rowIssue(const TableSchema& schema, uint32_t line, uint32_t column,
                   const FieldSchema* field, std::string_view value, std::string message);

// `field` (column `column`), for messages.
std::string describeField(const FieldSchema& field);
// The field's type as the user wrote it: `money`, `rep`, `date`...
std::string typeLabel(const FieldSchema& field);
// A field's range as declared: `1..5`, `0%..200%`, `$0..`.
std::string rangeText(const FieldSchema& field);

} // namespace fulcrum::runtime
