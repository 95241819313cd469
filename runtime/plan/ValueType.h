// The type of a value as the runtime reads, parses and prints it: the checker's types, owned by
// the plan (a plan holds no compiler type).
#pragma once

#include <cstdint>

namespace fulcrum::runtime {

enum class ValueType : uint8_t {
  Number, // dimensionless (a bare number literal too)
  Count,
  Money,
  Percent, // a fraction: 40% is 0.4
  Bool,
  Text,
  Date,
  Period,
  Duration,      // in days
  MonthDuration, // in months (`2 months`, `1 quarter` is 3)
  Reference,     // a row of an entity
  Missing        // `missing` alone: never has a value
};

} // namespace fulcrum::runtime
