// Value sets for `count(distinct ...)`: one per (aggregate, subject).
#pragma once

#include "runtime/exec/KernelAbi.h"

#include <cstddef>
#include <unordered_set>
#include <vector>

namespace fulcrum::runtime {

struct DistinctSets {
  std::size_t subjects = 0;
  std::vector<std::unordered_set<double>> sets; // [aggregate * subjects + subject]
};

} // namespace fulcrum::runtime
