// What every host table (HostTable.h) does after reading its cells: keys indexed and repeated ones
// reported, row problems added in order, or rows given as cell texts converted whole.
#pragma once

#include "runtime/data/TableParser.h"

#include <cstdint>
#include <string_view>
#include <vector>

namespace fulcrum::runtime {

// A problem with one row of a host table, at one field.
struct HostRowIssue {
  int64_t row;
  size_t field;
  LoadIssue issue;
};

// Indexes the key column (`out.firstSeen`: the first row of each key, bad rows included as in a
// file) and adds a problem for each later row with a key already seen (its text from hostCell).
void indexHostKeys(const TableSchema& schema, ParsedTable& out,
                   std::vector<HostRowIssue>& problems);

// Adds `problems` to `out` in row order (a row's in field order, as a file's are in line and
// column order).
void addHostRowIssues(ParsedTable& out, std::vector<HostRowIssue>& problems);

// Rows given as cell texts (row-major, one per field in the schema's order; an empty cell is a
// missing one), converted by the CSV loader's rules (parseCells) into `out` as a host table's
// parse fills it: issues name the 1-based row, references are pending, keys indexed. `out.hostCell`
// must already give each cell's text.
void parseHostCells(const TableSchema& schema, const std::vector<std::string_view>& cells,
                    ParsedTable& out);

} // namespace fulcrum::runtime
