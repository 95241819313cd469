// The built-in function registry's table, built from runtime/plan/Functions.def.
#include "runtime/plan/Functions.h"

#include <cmath>

namespace fulcrum {

namespace {

using runtime::POp;
using enum FunctionParam;

// `PARAMS(Date, Duration)`: the listed kinds and their count.
template <typename... Kinds> constexpr auto paramList(Kinds... kinds) {
  return std::pair{std::array<FunctionParam, kMaxFunctionParams>{kinds...}, sizeof...(kinds)};
}

constexpr FunctionInfo row(POp op, std::string_view name, std::string_view alias, int minArgs,
                           int maxArgs, std::string_view signature,
                           std::pair<std::array<FunctionParam, kMaxFunctionParams>, size_t> params,
                           FunctionResult result, FunctionMissing missing,
                           FunctionLowering lowering, double (*evaluate)(double)) {
  return FunctionInfo{op,           name,          alias,  minArgs, maxArgs,  signature,
                      params.first, params.second, result, missing, lowering, evaluate};
}

const FunctionInfo kFunctions[] = {
#define PARAMS(...) paramList(__VA_ARGS__)
#define FUNCTION(Name, name, alias, minArgs, maxArgs, signature, params, result, missing,          \
                 lowering, evaluate, intrinsic)                                                    \
  row(POp::Name, name, alias, minArgs, maxArgs, signature, params, FunctionResult::result,         \
      FunctionMissing::missing, FunctionLowering::lowering, evaluate),
#include "runtime/plan/Functions.def"
#undef PARAMS
};

} // namespace

std::span<const FunctionInfo> functions() {
  return kFunctions;
}

const FunctionInfo* findFunction(std::string_view name) {
  for (const FunctionInfo& info : kFunctions)
    if (info.name == name)
      return &info;
  return nullptr;
}

const FunctionInfo* findFunctionByAlias(std::string_view alias) {
  for (const FunctionInfo& info : kFunctions)
    if (!info.alias.empty() && info.alias == alias)
      return &info;
  return nullptr;
}

// POp lists the plan's own operations, then one per row here, in order (runtime/plan/Ops.h):
// row i is op kFirstFunctionOp + i. The interpreter asks for every function node it runs.
constexpr size_t kFirstFunctionOp = 0
#define OP(...) +1
#include "runtime/plan/Ops.def"
    ;

const FunctionInfo* functionOf(POp op) {
  const auto code = static_cast<size_t>(op);
  const size_t count = sizeof(kFunctions) / sizeof(kFunctions[0]);
  return code >= kFirstFunctionOp && code - kFirstFunctionOp < count
             ? &kFunctions[code - kFirstFunctionOp]
             : nullptr;
}

} // namespace fulcrum
