// Ranks: the subjects of each group sorted by value, then places handed out with ties shared.
#include "runtime/exec/Ranks.h"

#include "runtime/exec/Peers.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <utility>
#include <vector>

namespace fulcrum::runtime {
namespace {

// Below this many subjects a comparison sort is as fast and simpler.
constexpr size_t kRadixFrom = 256;
constexpr int kDigitBits = 11; // 6 passes over 64 bits, 2,048 buckets (in L1)
constexpr size_t kBuckets = size_t{1} << kDigitBits;

struct Keyed {
  uint64_t key; // the value's bits in an order that sorts as unsigned integers do
  int32_t subject;
};

// `value`'s bits, ordered: negative values below positive ones, each in numeric order; -0 as 0.
// Descending inverts them. (A valid slot value is never NaN.)
uint64_t orderedBits(double value, bool descending) {
  if (value == 0)
    value = 0; // -0 ranks with 0
  uint64_t bits = 0;
  std::memcpy(&bits, &value, sizeof bits);
  bits = bits >> 63 ? ~bits : bits | (uint64_t{1} << 63);
  return descending ? ~bits : bits;
}

} // namespace

void sortForRank(std::vector<int32_t>& ranked, const std::vector<int32_t>& groupOf,
                 size_t groupCount, const double* input, bool descending) {
  const size_t n = ranked.size();
  if (n < kRadixFrom) {
    std::sort(ranked.begin(), ranked.end(), [&](int32_t a, int32_t b) {
      if (groupOf[a] != groupOf[b])
        return groupOf[a] < groupOf[b];
      if (input[a] != input[b])
        return descending ? input[a] > input[b] : input[a] < input[b];
      return a < b;
    });
    return;
  }
  std::vector<Keyed> items(n), spare(n);
  for (size_t i = 0; i < n; ++i)
    items[i] = Keyed{orderedBits(input[ranked[i]], descending), ranked[i]};
  // Least significant digit first; each pass is stable, so equal values keep subject order.
  // A digit every item shares moves nothing and is skipped.
  constexpr int kPasses = (64 + kDigitBits - 1) / kDigitBits;
  std::vector<std::array<size_t, kBuckets>> counts(kPasses);
  for (auto& histogram : counts)
    histogram.fill(0);
  for (const Keyed& item : items)
    for (int pass = 0; pass < kPasses; ++pass)
      ++counts[static_cast<size_t>(pass)][(item.key >> (pass * kDigitBits)) & (kBuckets - 1)];
  for (int pass = 0; pass < kPasses; ++pass) {
    std::array<size_t, kBuckets>& histogram = counts[static_cast<size_t>(pass)];
    if (*std::max_element(histogram.begin(), histogram.end()) == n)
      continue;
    size_t start = 0;
    for (size_t& count : histogram)
      start += std::exchange(count, start);
    for (const Keyed& item : items)
      spare[histogram[(item.key >> (pass * kDigitBits)) & (kBuckets - 1)]++] = item;
    items.swap(spare);
  }
  if (groupCount <= 1) {
    for (size_t i = 0; i < n; ++i)
      ranked[i] = items[i].subject;
    return;
  }
  // Then by group, stably: within a group the value order stands.
  std::vector<size_t> groupStart(groupCount + 1, 0);
  for (const Keyed& item : items)
    ++groupStart[static_cast<size_t>(groupOf[item.subject]) + 1];
  for (size_t g = 0; g < groupCount; ++g)
    groupStart[g + 1] += groupStart[g];
  for (const Keyed& item : items)
    ranked[groupStart[static_cast<size_t>(groupOf[item.subject])]++] = item.subject;
}

void runRankStep(const Plan& plan, const RankStep& step, const KernelArgs& args) {
  const PeerGroups groups = groupsBy(plan, step.groupColumn, args);
  const int64_t subjects = args.subjects;
  const double* input = args.slotValues + step.input * subjects;
  const uint8_t* inputValid = args.slotValid + step.input * subjects;
  double* output = args.slotValues + step.output * subjects;
  uint8_t* outputValid = args.slotValid + step.output * subjects;
  // The ranked subjects, by group and then by value: one sort for every group.
  std::vector<int32_t> ranked;
  for (int64_t s = 0; s < subjects; ++s) {
    output[s] = 0;
    outputValid[s] = 0;
    if (inputValid[s] && groups.groupOf[s] >= 0)
      ranked.push_back(static_cast<int32_t>(s));
  }
  sortForRank(ranked, groups.groupOf, groups.count, input, step.descending);
  int64_t place = 0; // within the current group, 1-based once a subject is placed
  for (size_t i = 0; i < ranked.size(); ++i) {
    const int32_t s = ranked[i];
    const bool newGroup = i == 0 || groups.groupOf[ranked[i - 1]] != groups.groupOf[s];
    if (newGroup)
      place = 0;
    ++place;
    // A tie keeps the place of the first subject with the same value.
    const bool tie = !newGroup && input[ranked[i - 1]] == input[s];
    output[s] = tie ? output[ranked[i - 1]] : static_cast<double>(place);
    outputValid[s] = 1;
  }
}

} // namespace fulcrum::runtime
