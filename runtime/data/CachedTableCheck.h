// Whether a table read from a column cache means what a parse could have given: a cache is
// untrusted input (hand-made, or another program's), and the loader must not credit one row's
// values to another because a cache said so.
#pragma once

#include "runtime/data/TableParser.h"

#include <string>

namespace fulcrum::runtime {

// True if `table` (read from a cache for its schema, references still pending) could be the
// result of parsing a file with no issue: every row's line after the previous one; validity
// bits that agree with the missing count and with the values (a missing cell holds the
// canonical missing payload, a required field has no missing cell); numbers finite and within
// the field's range (money whole units within its range); dates and periods within the years
// the loader reads; codes and pending references within their dictionaries; and a key index
// that maps each row's key to that row and holds nothing else (keys unique). Otherwise false
// with `why` saying what was wrong.
bool cachedTableIsSound(const ParsedTable& table, std::string& why);

} // namespace fulcrum::runtime
