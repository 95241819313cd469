// Counts the JIT-compiled scans keep on integer counters. Row counts split by one code column
// (`count(t where kind == "dial" and P)`, `count(t where kind == "email" and P)`, ... with the
// same column, the same P (or none) and different codes) form a category group: a row matches at
// most one of them, so the group costs one add per row instead of one per count. Found here,
// once, for the code generator and for the engine (which provides the scratch counters).
//
// A scan whose updates are all counts and whose nodes are plain arithmetic and logic on the
// row's columns (no call, no branch: blockScanSafe) is a block scan: the generated code evaluates
// the filters over a block of rows into counter indexes (a loop LLVM's vectoriser can widen),
// then adds one to each indexed counter. Every count of such a scan has a counter block; in
// other scans only consecutive category groups do.
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
  // The codes are low, low + 1, ... with no gap: a row's counter is its code minus low.
  bool consecutive = false;
  int32_t low = 0;
};

// The groups of two or more counts in a table scan (none in a peer step's scan).
std::vector<CategoryCounts> categoryCounts(const Plan& plan, const ScanKernel& scan);

// A block of integer counters per subject in KernelArgs::scratch: counter k < counts counts
// update updates[k]; the last counter (k == counts) takes the rows that count for none of them.
// Subject s's block starts at scratch[first * subjects + s * width()]. The kernel adds every
// counter into its aggregate's accumulator after its last row and zeroes them all.
struct CounterBlock {
  std::vector<size_t> updates; // into scan.updates
  // A category group's, or -1: a single count, whose filter (and value, when it counts values)
  // picks counter 0 or the last one.
  int32_t group = -1; // into ScanCounters::groups
  int64_t first = 0;  // counters per subject in the blocks before this one
  int64_t width() const { return static_cast<int64_t>(updates.size()) + 1; }
};

struct ScanCounters {
  std::vector<CategoryCounts> groups; // every category group of the scan
  std::vector<CounterBlock> blocks;   // the counts on integer counters
  bool blockScan = false;             // a block scan (above): every update is in a block
  int64_t perSubject = 0;             // counters per subject, all blocks
};

ScanCounters scanCounters(const Plan& plan, const ScanKernel& scan);

// Whether node `op` evaluates without a call or a branch, so that a block scan may contain it.
bool blockScanSafe(POp op);

// Scratch counters (int64) per subject the JIT-compiled scan needs (KernelArgs::scratch).
int64_t scratchPerSubject(const Plan& plan, const ScanKernel& scan);

} // namespace fulcrum::runtime::jit
