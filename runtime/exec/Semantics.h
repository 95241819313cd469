// Small pieces of the plan's semantics shared by the interpreter, the JIT's runtime helpers and
// aggregate finalization, so that both engines compute bit-identical results.
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

// One row's contribution to an aggregate's accumulator block (see AggregateKind).
inline void accumulate(AggregateKind kind, double* acc, double value, bool valid, double key,
                       bool keyValid, const KernelArgs& args, uint32_t aggregate, int64_t subject) {
  switch (kind) {
  case AggregateKind::Sum:
    if (valid)
      acc[0] += value;
    return;
  case AggregateKind::Count:
    if (valid)
      acc[0] += 1;
    return;
  case AggregateKind::CountDistinct:
    if (valid)
      fulcrumAddDistinct(args.distinctSets, aggregate, subject, value);
    return;
  case AggregateKind::Avg:
    if (valid) {
      acc[0] += value;
      acc[1] += 1;
    }
    return;
  case AggregateKind::Min:
  case AggregateKind::Max:
    if (!valid)
      return;
    if (acc[1] == 0 || (kind == AggregateKind::Min ? value < acc[0] : value > acc[0]))
      acc[0] = value;
    acc[1] = 1;
    return;
  case AggregateKind::First:
  case AggregateKind::Last:
    if (!keyValid)
      return;
    if (acc[3] == 0 || (kind == AggregateKind::First ? key < acc[0] : key >= acc[0])) {
      acc[0] = key;
      acc[1] = valid ? value : 0;
      acc[2] = valid ? 1 : 0;
    }
    acc[3] = 1;
    return;
  }
}

} // namespace fulcrum::runtime
