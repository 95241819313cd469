// The loader's first pass over one file: typed columns for every data row, bad rows marked.
#pragma once

#include "runtime/data/Loader.h"

#include <cstdint>
#include <string>
#include <vector>

namespace fulcrum::runtime {

// A reference field's cells before resolution: the key texts, and where each cell was.
struct PendingReference {
  size_t field = 0;           // index into the schema's fields
  Dictionary keys;            // distinct key texts (trimmed)
  std::vector<int32_t> codes; // per row: code into `keys`, -1 when empty or unparsed
  std::vector<uint32_t> lines, columns;
};

// One file as read: every data row (rejected ones hold placeholders), so row indexes here are
// positions in the file.
struct ParsedTable {
  const TableSchema* schema = nullptr;
  std::string content; // the file, kept for the rejects' raw records
  Table table;         // all rows of the file
  std::vector<PendingReference> references;
  std::vector<uint8_t> rejected;           // per row
  std::vector<size_t> rawStart, rawLength; // per row: the record as written, in `content`
  KeyIndex firstSeen;                      // canonical key -> first row with it, bad rows included
  std::vector<LoadIssue> issues;
  std::vector<int32_t> issueRows; // per issue: its row, or -1 for a fatal issue
  bool unusable = false;          // a fatal issue: nothing of this file loads
  size_t rowsInFile = 0;

  std::string_view raw(size_t row) const {
    return std::string_view(content).substr(rawStart[row], rawLength[row]);
  }
  void addRowIssue(int32_t row, LoadIssue issue);
  void addFatal(LoadIssue issue);
};

// Reads and converts `schema`'s file; references are left pending (see PendingReference).
void parseTable(const TableSchema& schema, ParsedTable& out);

// `field` (column `column`), for messages.
std::string describeField(const FieldSchema& field);
// The field's type as the user wrote it: `money`, `rep`, `date`...
std::string typeLabel(const FieldSchema& field);

} // namespace fulcrum::runtime
