// The activity scan: a kind-code-to-counter lookup and one unsigned compare per row, no
// branches in the loop; threads count private blocks that are summed at the end.
#include "bench/handwritten/ActivityCounts.h"

#include <algorithm>
#include <stdexcept>
#include <thread>

namespace handwritten {

ActivityCounts::ActivityCounts(const Activities& activities, size_t reps, size_t textCodes,
                               const std::vector<int32_t>& kinds, DayRange range, int threads) {
  if (kinds.size() > kMaxKinds)
    throw std::logic_error("too many activity kinds");
  std::vector<uint8_t> counterOfCode(textCodes, kIgnored);
  for (size_t k = 0; k < kinds.size(); ++k)
    if (kinds[k] >= 0)
      counterOfCode[static_cast<size_t>(kinds[k])] = static_cast<uint8_t>(k);

  const size_t rows = activities.size();
  const size_t parts = std::clamp<size_t>(static_cast<size_t>(std::max(threads, 1)), 1,
                                          std::max<size_t>(rows / 65536, 1));
  std::vector<std::vector<uint32_t>> blocks(parts);
  auto countRange = [&](size_t part) {
    std::vector<uint32_t>& block = blocks[part];
    block.assign(reps * kStride, 0);
    const size_t begin = rows * part / parts, end = rows * (part + 1) / parts;
    const int32_t* rep = activities.rep.data();
    const int32_t* day = activities.day.data();
    const int32_t* kind = activities.kind.data();
    const uint8_t* counterOf = counterOfCode.data();
    uint32_t* counts = block.data();
    for (size_t i = begin; i < end; ++i) {
      const size_t counter = range.contains(day[i]) ? counterOf[kind[i]] : kIgnored;
      ++counts[static_cast<size_t>(rep[i]) * kStride + counter];
    }
  };
  std::vector<std::thread> workers;
  for (size_t part = 1; part < parts; ++part)
    workers.emplace_back(countRange, part);
  countRange(0);
  for (std::thread& worker : workers)
    worker.join();

  counts_ = std::move(blocks[0]);
  for (size_t part = 1; part < parts; ++part)
    for (size_t i = 0; i < counts_.size(); ++i)
      counts_[i] += blocks[part][i];
}

} // namespace handwritten
