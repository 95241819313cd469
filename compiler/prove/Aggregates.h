// A subject's aggregates as the solver sees them (internal to compiler/prove/): each one a free
// value, constrained by what holds for every table's rows (see Aggregates.cpp).
#pragma once

#include "compiler/prove/Encoding.h"

#include <optional>
#include <vector>

namespace fulcrum::prove {

// Indexed by aggregate (the plan's Aggregate leaves); facts go to `encoder.facts()`.
std::vector<std::optional<SymValue>> encodeAggregates(Encoder& encoder);

} // namespace fulcrum::prove
