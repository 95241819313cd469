// Peer groups: one pass over the subjects with a hash map from group value to group index.
#include "runtime/exec/Peers.h"

#include "runtime/exec/Aggregation.h"
#include "runtime/exec/Semantics.h"

#include <unordered_map>

namespace fulcrum::runtime {

PeerGroups groupsBy(const Plan& plan, int32_t groupColumn, const KernelArgs& args) {
  PeerGroups groups;
  groups.groupOf.assign(static_cast<size_t>(args.subjects), 0);
  if (groupColumn < 0) {
    groups.count = args.subjects > 0 ? 1 : 0;
    return groups;
  }
  const auto column = static_cast<uint32_t>(groupColumn);
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

void runPeerKeptValues(const PeerStep& step, const PeerGroups& groups, const KernelArgs& args) {
  std::vector<std::vector<double>> values(groups.count);
  for (int64_t s = 0; s < args.subjects; ++s) {
    const int64_t at = step.input * args.subjects + s;
    if (groups.groupOf[s] >= 0 && args.slotValid[at])
      values[groups.groupOf[s]].push_back(args.slotValues[at]);
  }
  std::vector<AggregateResult> results(groups.count);
  for (size_t g = 0; g < groups.count; ++g)
    results[g] = settledResult(finalizeValues(step.kind, values[g]), step.money);
  for (int64_t s = 0; s < args.subjects; ++s) {
    const int32_t g = groups.groupOf[s];
    const bool present = g >= 0 && results[g].present;
    args.slotValues[step.output * args.subjects + s] = present ? results[g].value : 0;
    args.slotValid[step.output * args.subjects + s] = present;
  }
}

} // namespace fulcrum::runtime
