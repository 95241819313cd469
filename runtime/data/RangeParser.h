// Parsing one byte range of a CSV file (whole records starting in it) into column pieces, so
// ranges can be parsed on threads and concatenated in order (see RangeMerge.h).
#pragma once

#include "runtime/data/FileText.h"
#include "runtime/data/Loader.h"
#include "runtime/data/MemoryBudget.h"
#include "runtime/data/RowLines.h"

#include <cstdint>
#include <string_view>
#include <vector>

namespace fulcrum::runtime {

// What every range of one file shares, read-only.
struct RangeContext {
  const TableSchema* schema = nullptr;
  const FileText* file = nullptr;
  std::vector<size_t> fieldColumn; // per field: its index in the file's columns
  size_t headerFields = 0;
  bool countOnly = false;         // the file is unusable: only count records and their lines
  MemoryBudget* budget = nullptr; // pays for each row before it is added; null: no limit
  const std::atomic<bool>* cancel = nullptr; // stops the range when set (ParsedRange::cancelled)
  char delimiter = ',';                      // between fields (ParsedTable::delimiter)
  bool exactBudget = false; // pays the budget row by row, no chunks (BudgetAllowance)
};

// The records that start in a range. Lines are relative: 1 is the line the range starts on.
// Text columns and Reference columns (whose `rows` hold key codes until resolution) code into
// the column's own dictionary. Keys are not checked here (duplicates span ranges).
struct ParsedRange {
  size_t stop = 0;       // after the last record and its line break (the next record's start)
  uint32_t stopLine = 1; // the relative line at `stop`
  // The last record was still in quotes at the range's end (a quoted line break fooled the
  // split, or an unterminated quote): the range never reads past its end, so the body is parsed
  // again in one range.
  bool ranPastEnd = false;
  size_t rows = 0;
  std::vector<Column> columns;
  std::vector<uint8_t> rejected;
  RowLines lines; // relative, per row
  std::vector<LoadIssue> issues;
  std::vector<int32_t> issueRows;   // per issue: its row in the range
  std::vector<int32_t> issueFields; // per issue: its field, or -1 for a syntax error
  // The relative line of the first record the memory budget could not pay for, where the range
  // stopped; 0 when it was read to its end.
  uint32_t overBudgetLine = 0;
  bool tookBudgetChunks = false; // paid from chunks of the budget (BudgetAllowance)
  bool cancelled = false;        // RangeContext::cancel stopped it
};

// Parses the records that start in [start, end) of the file, reading no byte past `end`;
// `start` is the start of a line and of a record (the caller re-parses if a range ran past end).
ParsedRange parseRange(const RangeContext& context, size_t start, size_t end);

// Rows given as cell texts (row-major, one per schema field, in the schema's order; an empty
// cell is missing), converted by the same rules as a file's cells. Issues name the row as line
// 1, 2... and the field's place as the column; references are left pending as in parseRange.
// `out` is filled afresh; its vectors' memory is reused (an alert session's feeds of a row).
void parseCells(const TableSchema& schema, const std::vector<std::string_view>& cells,
                ParsedRange& out);

} // namespace fulcrum::runtime
