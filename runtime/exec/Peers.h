// The peer groups of a peer step (`avg(m across rep by manager)`): each subject's group index,
// dense, in first-seen order, from the exact value of the group column (all subjects are one
// group without one). The accumulation itself is a scan kernel, run by either engine.
#pragma once

#include "runtime/exec/KernelAbi.h"
#include "runtime/plan/Plan.h"

#include <vector>

namespace fulcrum::runtime {

struct PeerGroups {
  std::vector<int32_t> groupOf; // per subject; -1 when its group value is missing
  size_t count = 0;
};

// The groups of subjects by the value of bound column `groupColumn` (-1: one group of all).
PeerGroups groupsBy(const Plan& plan, int32_t groupColumn, const KernelArgs& args);
inline PeerGroups peerGroups(const Plan& plan, const PeerStep& step, const KernelArgs& args) {
  return groupsBy(plan, step.groupColumn, args);
}

// A step whose aggregate keeps its values (median, count distinct): writes the output slot of
// every subject from its group's valid input values, finalized by the aggregate's traits.
void runPeerKeptValues(const PeerStep& step, const PeerGroups& groups, const KernelArgs& args);

} // namespace fulcrum::runtime
