// Aggregate finalization (see Finalize.h).
#include "runtime/exec/Finalize.h"

namespace fulcrum::runtime {

// One subject's (or group's) result, stored at [aggregate * subjects + s].
static void finalizeOne(const AggregateUpdate& update, bool keepsValues, size_t subjects, size_t s,
                        const std::vector<double>& accumulators, CollectedValues& collected,
                        std::vector<double>& values, std::vector<uint8_t>& valid) {
  const size_t at = update.aggregate * subjects + s;
  // A sum (or an average) past the largest double is missing, never an infinity.
  const AggregateResult result = settledResult(
      keepsValues ? collected.finalize(update.kind, update.aggregate, s)
                  : finalizeAccumulated(update.kind, &accumulators[at * kAccumulatorWidth],
                                        collected.escaped(update.aggregate, s)),
      update.money);
  values[at] = result.value;
  valid[at] = result.present;
}

void finalizeAggregate(const AggregateUpdate& update, size_t subjects, size_t count,
                       const std::vector<double>& accumulators, CollectedValues& collected,
                       std::vector<double>& values, std::vector<uint8_t>& valid) {
  const bool keepsValues = aggregateInfo(update.kind).keepsValues();
  for (size_t s = 0; s < count; ++s)
    finalizeOne(update, keepsValues, subjects, s, accumulators, collected, values, valid);
}

void finalizeAggregateFor(const AggregateUpdate& update, size_t subjects,
                          const std::vector<size_t>& which, const std::vector<double>& accumulators,
                          CollectedValues& collected, std::vector<double>& values,
                          std::vector<uint8_t>& valid) {
  const bool keepsValues = aggregateInfo(update.kind).keepsValues();
  for (const size_t s : which)
    finalizeOne(update, keepsValues, subjects, s, accumulators, collected, values, valid);
}

} // namespace fulcrum::runtime
