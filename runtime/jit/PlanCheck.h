// What the JIT requires of a plan before generating code: every id and node index in range, and
// each op's leaves where the interpreter can evaluate them. The interpreter would read out of
// bounds on a plan that fails these; the JIT reports the plan instead.
#pragma once

#include "runtime/plan/Plan.h"

#include <string>

namespace fulcrum::runtime::jit {

// An empty string when the JIT can compile `plan`, else what is wrong with it.
std::string checkPlan(const Plan& plan);

} // namespace fulcrum::runtime::jit
