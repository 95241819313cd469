// A refutation as data (internal to compiler/prove/): the smallest rows found (at most 1, then 2,
// then 3 per table) for one subject, in one period of the framework's cadence, whose aggregates
// the solver computes from the rows themselves, for which the check is false; written as a `test`
// block (language.md, "Tests, functions, modules") that expects the violation. Whether the
// engines agree is the caller's to find out (testing/ConfirmCounterexample.h).
#pragma once

#include "compiler/prove/Prove.h"

#include <optional>
#include <string>
#include <vector>
#include <z3++.h>

namespace fulcrum::prove {

struct CounterexampleRows {
  std::string title;              // the test's
  std::string testBlock;          // `test "..." for F { ... }`, ending in a newline
  std::string subject;            // the subject's key, as the test names it
  std::vector<ShownValue> values; // the framework's outputs for the subject, as the solver has them
};

// Rows that break `check`, or nullopt with `reason` saying why none were built. The search runs
// in a child process killed when it overruns the check's timeout (DeadlineChild.h).
std::optional<CounterexampleRows> counterexampleRows(z3::context& ctx, const runtime::Plan& plan,
                                                     const runtime::CheckSpec& check,
                                                     const ProveOptions& options,
                                                     std::string& reason);

} // namespace fulcrum::prove
