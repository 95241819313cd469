// The loader's second pass: references become row indexes; rows pointing at bad rows are rejected.
#pragma once

#include "runtime/data/TableParser.h"

#include <vector>

namespace fulcrum::runtime {

// Checks that every reference names a loadable entity with a key (a table whose target is not
// loadable becomes unusable), resolves every referring cell to the row with that key (an unknown
// key rejects the row), then rejects, transitively, every row that refers to a rejected row.
// Row indexes in the columns are positions in the referenced file (see ParsedTable).
void resolveReferences(std::vector<ParsedTable>& tables);

} // namespace fulcrum::runtime
