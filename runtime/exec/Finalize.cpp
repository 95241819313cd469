// Aggregate finalization (see Finalize.h).
#include "runtime/exec/Finalize.h"

#include <cmath>

namespace fulcrum::runtime {

// One aggregate's accumulators -> results for subjects (or groups) 0..count-1; see
// AggregateKind. Results are stored at [aggregate * subjects + i].
void finalizeAggregate(const AggregateUpdate& update, size_t subjects, size_t count,
                       const std::vector<double>& accumulators, const DistinctSets& distinct,
                       std::vector<double>& values, std::vector<uint8_t>& valid) {
  for (size_t s = 0; s < count; ++s) {
    const size_t at = update.aggregate * subjects + s;
    const double* acc = &accumulators[at * kAccumulatorWidth];
    double value = 0;
    bool present = true;
    switch (update.kind) {
    case AggregateKind::Sum:
    case AggregateKind::Count:
      value = acc[0];
      break;
    case AggregateKind::CountDistinct:
      value = static_cast<double>(distinct.sets[at].size());
      break;
    case AggregateKind::Avg:
      present = acc[1] > 0;
      value = present ? acc[0] / acc[1] : 0;
      break;
    case AggregateKind::Min:
    case AggregateKind::Max:
      present = acc[1] != 0;
      value = acc[0];
      break;
    case AggregateKind::First:
    case AggregateKind::Last:
      present = acc[3] != 0 && acc[2] != 0;
      value = present ? acc[1] : 0;
      break;
    }
    // A sum (or an average) past the largest double is missing, never an infinity.
    present = present && std::isfinite(value);
    values[at] = present ? value : 0;
    valid[at] = present;
  }
}

} // namespace fulcrum::runtime
