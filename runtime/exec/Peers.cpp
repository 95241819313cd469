// Peer groups: one pass over the subjects with a hash map from group value to group index.
#include "runtime/exec/Peers.h"

#include "runtime/exec/Semantics.h"

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

} // namespace fulcrum::runtime
