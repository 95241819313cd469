// The small tables' per-rep aggregates: deal outcomes closed in a range, and sums of a column
// over the rows of one period (quotas, ratings). Single-threaded and in file order, so sums
// add up in the same order as Fulcrum's scans.
#pragma once

#include "bench/handwritten/Calendar.h"
#include "bench/handwritten/Dataset.h"

#include <cstdint>
#include <vector>

namespace handwritten {

struct DealOutcomes {
  std::vector<uint32_t> decided; // Won or Lost, closed in the range
  std::vector<uint32_t> won;
  std::vector<double> wonValue;        // sum of the won deals' values present, in money units
  std::vector<uint32_t> wonValueCount; // how many of them had a value
};

// `won`, `lost`: the stages' text codes (-1 when no deal has the stage).
DealOutcomes dealOutcomes(const Deals& deals, size_t reps, int32_t won, int32_t lost,
                          DayRange closedIn);

struct PeriodSums {
  std::vector<double> sum;
  std::vector<uint32_t> rows;
};

// Per rep, the sum of `values` over the rows whose period is `period` (a periodKey).
PeriodSums periodSums(const std::vector<int32_t>& rep, const std::vector<int64_t>& quarter,
                      const std::vector<double>& values, size_t reps, int64_t period);

} // namespace handwritten
