// The reference semantics of plan nodes: nodes [begin, end) evaluated front to back into a
// scratch array of (value, valid) pairs. The interpreter runs every kernel through it; alerts
// evaluate their messages through it (runtime/exec/Alerts.h) in both engines. The JIT must
// match it bit for bit.
#pragma once

#include "runtime/exec/KernelAbi.h"
#include "runtime/plan/Plan.h"

#include <cstdint>
#include <vector>

namespace fulcrum::runtime {

struct NodeValue {
  double value = 0;
  bool valid = false;
};

// `row` is the current row of a scan (Column, RefColumn read there), or -1; `subject` the
// current subject (SubjectColumn, Slot and Aggregate read there), or -1. A missing result's
// value is 0. `out` holds at least `end` entries.
void evaluateNodes(const Plan& plan, const std::vector<PNode>& nodes, uint32_t begin, uint32_t end,
                   const KernelArgs& args, int64_t row, int64_t subject,
                   std::vector<NodeValue>& out);

} // namespace fulcrum::runtime
