// Row counts split by one code column: `count(t where kind == "dial" and P)`, `count(t where
// kind == "email" and P)`, ... with the same column, the same P (or none) and different codes.
// A row matches at most one of them, so the JIT gives the group one add per row instead of one
// per count. Found here, once, for the code generator and for the engine (which provides the
// scratch counters of consecutive groups).
#pragma once

#include "runtime/plan/Plan.h"

#include <cstdint>
#include <vector>

namespace fulcrum::runtime::jit {

struct CategoryCounts {
  uint32_t column = 0;         // the code column's node
  int32_t shared = -1;         // P's node, or -1
  std::vector<size_t> updates; // into scan.updates
  std::vector<int32_t> codes;  // per update
  // The codes are low, low + 1, ... with no gap and update k's aggregate is firstAggregate + k:
  // the row's counter is its code minus low, and counting goes to compact scratch counters.
  bool consecutive = false;
  int32_t low = 0;
  uint32_t firstAggregate = 0;
};

// The groups of two or more counts in a table scan (none in a peer step's scan).
std::vector<CategoryCounts> categoryCounts(const Plan& plan, const ScanKernel& scan);

// Scratch doubles per subject the JIT-compiled scan needs: one counter per count of each
// consecutive group (KernelArgs::scratch).
int64_t scratchPerSubject(const Plan& plan, const ScanKernel& scan);

} // namespace fulcrum::runtime::jit
