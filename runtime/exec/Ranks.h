// Rank steps (`rank priority by size_of_prize * temperature desc within owner`): plain C++ over
// the slots, shared by both engines, between two formula stages.
#pragma once

#include "runtime/exec/KernelAbi.h"
#include "runtime/plan/Plan.h"

#include <cstdint>
#include <vector>

namespace fulcrum::runtime {

// Writes slot `step.output` of every subject: its place by slot `step.input` within its group
// (1 for the first; equal values share the smaller place, and the next place skips, as SQL's
// RANK()). A subject whose input or group value is missing gets a missing rank.
void runRankStep(const Plan& plan, const RankStep& step, const KernelArgs& args);

// Sorts `ranked` (subjects in ascending order) by group, then by `input` (descending or not;
// -0 and 0 equal), then by subject: the order places are handed out in. A stable radix sort on
// the values' bits, then a stable counting sort by group, for millions of subjects (the account
// lens ranks 3M accounts); a comparison sort below a few hundred.
void sortForRank(std::vector<int32_t>& ranked, const std::vector<int32_t>& groupOf,
                 size_t groupCount, const double* input, bool descending);

} // namespace fulcrum::runtime
