// Aggregate finalization (see Finalize.h).
#include "runtime/exec/Finalize.h"

#include <cmath>

namespace fulcrum::runtime {

void finalizeAggregate(const AggregateUpdate& update, size_t subjects, size_t count,
                       const std::vector<double>& accumulators, CollectedValues& collected,
                       std::vector<double>& values, std::vector<uint8_t>& valid) {
  const bool keepsValues = aggregateInfo(update.kind).keepsValues();
  for (size_t s = 0; s < count; ++s) {
    const size_t at = update.aggregate * subjects + s;
    AggregateResult result =
        keepsValues ? collected.finalize(update.kind, update.aggregate, s)
                    : finalizeAccumulated(update.kind, &accumulators[at * kAccumulatorWidth],
                                          collected.escaped(update.aggregate, s));
    // A sum (or an average) past the largest double is missing, never an infinity.
    result.present = result.present && std::isfinite(result.value);
    values[at] = result.present ? result.value : 0;
    valid[at] = result.present;
  }
}

} // namespace fulcrum::runtime
