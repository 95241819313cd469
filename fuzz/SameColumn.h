// Whether two loaded columns hold the same values (kind, validity, missing count and each valid
// cell), compared in place without building any text: fuzz executions must stay cheap. Shared by
// load_fuzz (one thread against several) and column_cache_fuzz (a cache against the CSV).
#pragma once

#include "runtime/data/Table.h"

namespace fulcrum::fuzz {

inline bool sameColumn(const runtime::Column& a, const runtime::Column& b) {
  using runtime::ValueKind;
  if (a.kind != b.kind || a.valid != b.valid || a.missing != b.missing)
    return false;
  for (size_t row = 0; row < a.size(); ++row) {
    if (!a.valid[row])
      continue;
    const bool same = a.kind == ValueKind::Number      ? a.numberData()[row] == b.numberData()[row]
                      : a.kind == ValueKind::Bool      ? a.bools[row] == b.bools[row]
                      : a.kind == ValueKind::Text      ? a.text(row) == b.text(row)
                      : a.kind == ValueKind::Date      ? a.dayData()[row] == b.dayData()[row]
                      : a.kind == ValueKind::Reference ? a.rows[row] == b.rows[row]
                                                       : a.periodFirst[row] == b.periodFirst[row] &&
                                                             a.periodLast[row] == b.periodLast[row];
    if (!same)
      return false;
  }
  return true;
}

} // namespace fulcrum::fuzz
