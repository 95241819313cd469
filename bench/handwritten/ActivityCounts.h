// The one pass over the activity rows: per rep, how many activities of each tracked kind fall
// in a day range, split over threads with a private counter block each.
#pragma once

#include "bench/handwritten/Calendar.h"
#include "bench/handwritten/Dataset.h"

#include <array>
#include <cstdint>
#include <vector>

namespace handwritten {

class ActivityCounts {
public:
  static constexpr size_t kMaxKinds = 7;

  // `kinds`: the tracked kinds' text codes (-1 for a kind no row has).
  ActivityCounts(const Activities& activities, size_t reps, size_t textCodes,
                 const std::vector<int32_t>& kinds, DayRange range, int threads);

  // Activities of tracked kind `kind` (its position in `kinds`) for `rep`.
  uint32_t of(size_t rep, size_t kind) const { return counts_[rep * kStride + kind]; }

private:
  // A row of one rep's counters; the last one takes rows outside the range or kinds.
  static constexpr size_t kStride = kMaxKinds + 1;
  static constexpr uint8_t kIgnored = kMaxKinds;

  std::vector<uint32_t> counts_;
};

} // namespace handwritten
