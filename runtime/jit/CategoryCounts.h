// Counts the JIT-compiled scans keep on integer counters. Row counts split by one code column
// (`count(t where kind == "dial" and P)`, `count(t where kind == "email" and P)`, ... with the
// same column, the same P (or none) and different codes) form a category group: a row matches at
// most one of them, so the group costs one add per row instead of one per count. Found here,
// once, for the code generator and for the engine (which provides the scratch counters).
//
// A scan whose updates are all counts, sums, averages, minimums and maximums and whose nodes are
// plain arithmetic and logic on the row's columns (no call, no branch: blockScanSafe) is a block
// scan: the generated code evaluates the filters and values over a block of rows into counter
// indexes and addends (a loop LLVM's vectoriser can widen), then applies them row by row. Every
// count of such a scan has a counter block and every sum or average a sum entry (SumEntry); in
// other scans only consecutive category groups have counters.
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
// Subject s's block starts at scratch[s * perSubject + first] (subject-major: a row's counters
// and sums share one or two cache lines). The kernel adds every
// counter into its aggregate's accumulator after its last row and zeroes them all.
struct CounterBlock {
  std::vector<size_t> updates; // into scan.updates
  // A category group's, or -1: a single count, whose filter (and value, when it counts values)
  // picks counter 0 or the last one.
  int32_t group = -1; // into ScanCounters::groups
  int64_t first = 0;  // counters per subject in the blocks before this one
  int64_t width() const { return static_cast<int64_t>(updates.size()) + 1; }
};

// A sum or an average of a block scan on integers: per subject, a 128-bit two's-complement sum of
// the rows' whole values (money is whole in its units; any whole value below 2^63 in magnitude),
// in two int64 words, and for an average its count in a third word. An average's entry is
// followed by a second one that takes the rows that do not count (like a counter block's last
// counter). A value that is not whole is added straight into the aggregate's exact window by
// the generated code. After the last row the kernel adds each entry into the aggregate's window
// (fulcrumJitFlushSums) and zeroes it. Fewer than 2^31 rows of |value| < 2^63 stay below 2^94:
// the 128-bit sum cannot overflow, and it is exactly the sum of the values the window would
// have received one by one. Subject s's entry starts at scratch[s * perSubject + first].
struct SumEntry {
  size_t update = 0; // into scan.updates
  bool avg = false;
  int64_t first = 0; // words per subject in the blocks and entries before this one
  int64_t width() const { return avg ? 6 : 2; }
};

struct ScanCounters {
  std::vector<CategoryCounts> groups; // every category group of the scan
  std::vector<CounterBlock> blocks;   // the counts on integer counters
  std::vector<SumEntry> sums;         // a block scan's sums and averages
  std::vector<size_t> extremes;       // a block scan's minimums and maximums (into scan.updates)
  bool blockScan = false;             // a block scan (above): every update is in a block
  int64_t perSubject = 0;             // counters per subject, all blocks
};

ScanCounters scanCounters(const Plan& plan, const ScanKernel& scan);

// Whether node `op` evaluates without a call or a branch, so that a block scan may contain it.
bool blockScanSafe(POp op);

// Scratch words (int64) per subject the JIT-compiled scan needs (KernelArgs::scratch).
int64_t scratchPerSubject(const Plan& plan, const ScanKernel& scan);

} // namespace fulcrum::runtime::jit
