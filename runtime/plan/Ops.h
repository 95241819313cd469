// The plan's node operations: its own (runtime/plan/Ops.def), then one per built-in function
// (runtime/plan/Functions.def), with what every reader of a plan needs to know of each.
#pragma once

#include <cstdint>

namespace fulcrum::runtime {

enum class POp : uint8_t {
#define OP(Name, ...) Name,
#include "runtime/plan/Ops.def"
#define FUNCTION(Name, ...) Name,
#include "runtime/plan/Functions.def"
};

// Which of a node's a/b/c fields are operand node indexes (the rest are ids or unused).
struct NodeOperands {
  bool a = false, b = false, c = false;
  bool list = false; // `list` holds operand node indexes
};
NodeOperands nodeOperands(POp op);

// What `--dump-plan` prints for the op: `add`, `in_set`, `clamp`.
const char* opSpelling(POp op);

// Whether `op` is one of the plan's operations (a plan read from elsewhere may hold any byte).
bool knownOp(POp op);

} // namespace fulcrum::runtime
