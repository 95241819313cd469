// Small pieces of the plan's semantics shared by the interpreter and the JIT's runtime helpers,
// so that both engines compute bit-identical results (aggregates: runtime/exec/Aggregation.h).
#pragma once

#include "runtime/exec/KernelAbi.h"
#include "runtime/plan/Plan.h"

#include <cmath>

namespace fulcrum::runtime {

// Bound column `column` at `row` as a double, read by the column's storage.
inline double loadColumnValue(const Plan& plan, const KernelArgs& args, uint32_t column,
                              int64_t row) {
  const void* values = args.columnValues[column];
  switch (plan.columns[column].storage) {
  case Storage::F64:
    return static_cast<const double*>(values)[row];
  case Storage::I32:
    return static_cast<const int32_t*>(values)[row];
  case Storage::U8:
    return static_cast<const uint8_t*>(values)[row];
  }
  return 0;
}

inline double clampValue(double x, double lo, double hi) {
  return x < lo ? lo : x > hi ? hi : x;
}

// 0.5 ^ (age / halfLife).
inline double decayValue(double age, double halfLife) {
  return halfLife > 0 ? std::pow(0.5, age / halfLife) : 0;
}

} // namespace fulcrum::runtime
