// The built-in function registry: one row per function (runtime/plan/Functions.def), read by
// the checker, the lowering, the plan dump and checker, and both engines.
#pragma once

#include "runtime/plan/Ops.h"

#include <array>
#include <span>
#include <string_view>

namespace fulcrum {

enum class FunctionParam : uint8_t { Number, NumberOrDate, Date, Period, Duration };
enum class FunctionResult : uint8_t { CountResult, NumberResult, SameAsArgument, UnifiedArguments };
enum class FunctionMissing : uint8_t { AnyArgument, FirstArgument };
enum class FunctionLowering : uint8_t { Operands, OperandsAndAsOf, ListOfOperands, RunParameter };

inline constexpr size_t kMaxFunctionParams = 3;

struct FunctionInfo {
  runtime::POp op; // the plan operation the function lowers to (its id)
  std::string_view name;
  std::string_view alias; // `min` for least: its name with two or more values, or empty
  int minArgs;
  int maxArgs;                // -1: any number
  std::string_view signature; // for messages: `clamp(x, lo, hi)`
  std::array<FunctionParam, kMaxFunctionParams> params;
  size_t paramCount; // params listed; the last one repeats
  FunctionResult result;
  FunctionMissing missing;
  FunctionLowering lowering;
  double (*evaluate)(double); // a function of one number both engines compute alike, or null

  // What argument `i` must be.
  FunctionParam param(size_t i) const { return params[i < paramCount ? i : paramCount - 1]; }
};

std::span<const FunctionInfo> functions();
// The function a call names, or null.
const FunctionInfo* findFunction(std::string_view name);
// The function `min(a, b)` or `max(a, b)` means (least, greatest), or null.
const FunctionInfo* findFunctionByAlias(std::string_view alias);
// The function a plan operation computes, or null for the plan's own operations.
const FunctionInfo* functionOf(runtime::POp op);

} // namespace fulcrum
