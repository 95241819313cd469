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

// Day `day` moved by `months` calendar months, the day of month clamped to the target month's last
// day (2017-01-31 + 1 month is 2017-02-28), as SQL's interval arithmetic; NaN (missing) unless
// `months` is a whole number and both fit the calendar's range.
inline double addMonthsValue(double day, double months) {
  if (!(std::fabs(day) < 1e8 && std::fabs(months) < 1e6) || months != std::trunc(months))
    return std::nan("");
  return addMonths(static_cast<DayNumber>(day), static_cast<int>(months));
}

// 0.5 ^ (age / halfLife).
inline double decayValue(double age, double halfLife) {
  return halfLife > 0 ? std::pow(0.5, age / halfLife) : 0;
}

} // namespace fulcrum::runtime
