// Joining a file's parsed ranges into one table, and checking its keys.
#pragma once

#include "runtime/data/RangeParser.h"
#include "runtime/data/TableParser.h"

#include <vector>

namespace fulcrum::runtime {

// Appends `ranges` (in file order; range k's relative line 1 is line lineOffsets[k] + 1) to
// `out`: columns concatenated with their dictionaries merged and codes re-coded, lines made
// absolute, issues in order; then duplicate keys are found over the whole file. The ranges are
// emptied as they are used.
void mergeRanges(std::vector<ParsedRange>& ranges, const std::vector<uint32_t>& lineOffsets,
                 ParsedTable& out);

// The canonical key of `row` in a key column as parsed (a reference's pending code is read in
// the column's own dictionary), or false if the row has none: the duplicate check and the
// column cache's check of a cached key index share it.
bool rowKey(const Column& column, const FieldSchema& field, size_t row, std::string& key);

// Whether every text of a text column's dictionary is its own canonical key (no spaces around
// it), so that the dictionary can serve as the key index's: code i is key i.
bool textsAreCanonical(const Column& column);

} // namespace fulcrum::runtime
