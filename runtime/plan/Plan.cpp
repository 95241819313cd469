// Facts about plan nodes that every reader of a plan shares, from the ops' rows
// (runtime/plan/Ops.def and runtime/plan/Functions.def).
#include "runtime/plan/Plan.h"

#include "runtime/plan/Functions.h"

namespace fulcrum::runtime {

namespace {

enum class Operands : uint8_t { Leaf, A, AB, ABC, AList, List };

struct OpRow {
  const char* spelling;
  Operands operands;
};

constexpr OpRow kOwnOps[] = {
#define OP(Name, spelling, operands) {spelling, Operands::operands},
#include "runtime/plan/Ops.def"
};
constexpr size_t kOwnOpCount = sizeof(kOwnOps) / sizeof(kOwnOps[0]);

constexpr NodeOperands operandsOf(Operands shape) {
  switch (shape) {
  case Operands::Leaf:
    return {};
  case Operands::A:
    return {true, false, false, false};
  case Operands::AB:
    return {true, true, false, false};
  case Operands::ABC:
    return {true, true, true, false};
  case Operands::AList:
    return {true, false, false, true};
  case Operands::List:
    return {false, false, false, true};
  }
  return {};
}

// A function's node: its arguments in turn (and the as-of day after them), or a list.
NodeOperands functionOperands(const FunctionInfo& function) {
  const int count = function.maxArgs + (function.lowering == FunctionLowering::OperandsAndAsOf);
  switch (function.lowering) {
  case FunctionLowering::Operands:
  case FunctionLowering::OperandsAndAsOf:
    return {count >= 1, count >= 2, count >= 3, false};
  case FunctionLowering::ListOfOperands:
    return operandsOf(Operands::List);
  case FunctionLowering::RunParameter:
    break;
  }
  return {};
}

} // namespace

NodeOperands nodeOperands(POp op) {
  const auto index = static_cast<size_t>(op);
  if (index < kOwnOpCount)
    return operandsOf(kOwnOps[index].operands);
  const FunctionInfo* function = functionOf(op);
  return function ? functionOperands(*function) : NodeOperands{};
}

const char* opSpelling(POp op) {
  const auto index = static_cast<size_t>(op);
  if (index < kOwnOpCount)
    return kOwnOps[index].spelling;
  const FunctionInfo* function = functionOf(op);
  return function ? function->name.data() : "?";
}

bool knownOp(POp op) {
  // A function lowered to a run parameter is never a node.
  const FunctionInfo* function = functionOf(op);
  return static_cast<size_t>(op) < kOwnOpCount ||
         (function && function->lowering != FunctionLowering::RunParameter);
}

} // namespace fulcrum::runtime
