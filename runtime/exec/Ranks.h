// Rank steps (`rank priority by size_of_prize * temperature desc within owner`): plain C++ over
// the slots, shared by both engines, between two formula stages.
#pragma once

#include "runtime/exec/KernelAbi.h"
#include "runtime/plan/Plan.h"

namespace fulcrum::runtime {

// Writes slot `step.output` of every subject: its place by slot `step.input` within its group
// (1 for the first; equal values share the smaller place, and the next place skips, as SQL's
// RANK()). A subject whose input or group value is missing gets a missing rank.
void runRankStep(const Plan& plan, const RankStep& step, const KernelArgs& args);

} // namespace fulcrum::runtime
