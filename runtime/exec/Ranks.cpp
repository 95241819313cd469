// Ranks: the subjects of each group sorted by value, then places handed out with ties shared.
#include "runtime/exec/Ranks.h"

#include "runtime/exec/Peers.h"

#include <algorithm>
#include <vector>

namespace fulcrum::runtime {

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
  const bool descending = step.descending;
  std::sort(ranked.begin(), ranked.end(), [&](int32_t a, int32_t b) {
    if (groups.groupOf[a] != groups.groupOf[b])
      return groups.groupOf[a] < groups.groupOf[b];
    if (input[a] != input[b])
      return descending ? input[a] > input[b] : input[a] < input[b];
    return a < b;
  });
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
