// The peer steps between formula stages (`avg(m across rep by manager)`), shared by both
// engines: one pass accumulates per group, one hands the results out.
#pragma once

#include "runtime/exec/KernelAbi.h"
#include "runtime/plan/Plan.h"

#include <vector>

namespace fulcrum::runtime {

// Reads input slots and writes output slots in `args` (slotValues/slotValid) for every subject.
void runPeerSteps(const Plan& plan, const std::vector<PeerStep>& steps, const KernelArgs& args);

} // namespace fulcrum::runtime
