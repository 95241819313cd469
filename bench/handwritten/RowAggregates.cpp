// Per-rep aggregates of the deals, quotas and ratings tables.
#include "bench/handwritten/RowAggregates.h"

namespace handwritten {

DealOutcomes dealOutcomes(const Deals& deals, size_t reps, int32_t won, int32_t lost,
                          DayRange closedIn) {
  DealOutcomes out;
  out.decided.assign(reps, 0);
  out.won.assign(reps, 0);
  out.wonValue.assign(reps, 0);
  out.wonValueCount.assign(reps, 0);
  for (size_t i = 0; i < deals.owner.size(); ++i) {
    if (!closedIn.contains(deals.closed[i]))
      continue;
    const int32_t stage = deals.stage[i];
    const auto owner = static_cast<size_t>(deals.owner[i]);
    if (stage == won) {
      ++out.decided[owner];
      ++out.won[owner];
      if (deals.valuePresent[i]) {
        out.wonValue[owner] += deals.value[i];
        ++out.wonValueCount[owner];
      }
    } else if (stage == lost) {
      ++out.decided[owner];
    }
  }
  return out;
}

PeriodSums periodSums(const std::vector<int32_t>& rep, const std::vector<int64_t>& quarter,
                      const std::vector<double>& values, size_t reps, int64_t period) {
  PeriodSums out;
  out.sum.assign(reps, 0);
  out.rows.assign(reps, 0);
  for (size_t i = 0; i < rep.size(); ++i) {
    if (quarter[i] != period)
      continue;
    out.sum[static_cast<size_t>(rep[i])] += values[i];
    ++out.rows[static_cast<size_t>(rep[i])];
  }
  return out;
}

} // namespace handwritten
