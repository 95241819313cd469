// Between a scan and the formulas: accumulators become per-subject results, shared by both
// engines.
#pragma once

#include "runtime/exec/Aggregation.h"
#include "runtime/plan/Plan.h"

#include <cstdint>
#include <vector>

namespace fulcrum::runtime {

// One aggregate's accumulators (or kept values) -> results for subjects (or groups)
// 0..count-1, by its traits (runtime/exec/AggregateTraits.h). Results are stored at
// [aggregate * subjects + i].
void finalizeAggregate(const AggregateUpdate& update, size_t subjects, size_t count,
                       const std::vector<double>& accumulators, CollectedValues& collected,
                       std::vector<double>& values, std::vector<uint8_t>& valid);

// The same for the subjects in `which` only (an alert session's: those whose rows came in).
void finalizeAggregateFor(const AggregateUpdate& update, size_t subjects,
                          const std::vector<size_t>& which, const std::vector<double>& accumulators,
                          CollectedValues& collected, std::vector<double>& values,
                          std::vector<uint8_t>& valid);

} // namespace fulcrum::runtime
