// Peer groups: one pass over the subjects with a hash map from group value to group index.
#include "runtime/exec/Peers.h"

#include "runtime/exec/Semantics.h"

#include <algorithm>
#include <numeric>
#include <unordered_map>

namespace fulcrum::runtime {

PeerGroups peerGroups(const Plan& plan, const PeerStep& step, const KernelArgs& args) {
  PeerGroups groups;
  groups.groupOf.assign(static_cast<size_t>(args.subjects), 0);
  if (step.groupColumn < 0) {
    groups.count = args.subjects > 0 ? 1 : 0;
    return groups;
  }
  const auto column = static_cast<uint32_t>(step.groupColumn);
  std::unordered_map<double, int32_t> index;
  for (int64_t s = 0; s < args.subjects; ++s) {
    const int64_t row = args.subjectRows[s];
    if (!args.columnValid[column][row]) {
      groups.groupOf[s] = -1;
      continue;
    }
    auto [it, inserted] =
        index.emplace(loadColumnValue(plan, args, column, row), static_cast<int32_t>(groups.count));
    groups.count += inserted;
    groups.groupOf[s] = it->second;
  }
  return groups;
}

void runPeerMedian(const PeerStep& step, const PeerGroups& groups, const KernelArgs& args) {
  std::vector<std::vector<double>> values(groups.count);
  for (int64_t s = 0; s < args.subjects; ++s) {
    const int64_t at = step.input * args.subjects + s;
    if (groups.groupOf[s] >= 0 && args.slotValid[at])
      values[groups.groupOf[s]].push_back(args.slotValues[at]);
  }
  std::vector<double> medians(groups.count, 0);
  std::vector<uint8_t> present(groups.count, 0);
  for (size_t g = 0; g < groups.count; ++g) {
    std::vector<double>& v = values[g];
    if (v.empty())
      continue;
    std::sort(v.begin(), v.end());
    const size_t mid = v.size() / 2;
    medians[g] = v.size() % 2 ? v[mid] : std::midpoint(v[mid - 1], v[mid]); // no overflow
    present[g] = 1;
  }
  for (int64_t s = 0; s < args.subjects; ++s) {
    const int32_t g = groups.groupOf[s];
    args.slotValues[step.output * args.subjects + s] = g < 0 ? 0 : medians[g];
    args.slotValid[step.output * args.subjects + s] = g < 0 ? 0 : present[g];
  }
}

} // namespace fulcrum::runtime
