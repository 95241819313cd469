// A refutation's test block run on both engines, the way `fulcrum test` runs it: appended to the
// framework's file, compiled with it, its rows loaded and run by the interpreter and the JIT, its
// `expect violation` matched. A refutation is confirmed only when that test passes.
#pragma once

#include "compiler/driver/Compilation.h"
#include "compiler/prove/Prove.h"

#include <optional>
#include <string>
#include <vector>

namespace fulcrum::testing {

// Runs test `title` of `block` appended to the root file of `compilation`; nullopt when it
// passes on both engines, else what went wrong (a compile error, a row the loader rejects, an
// expectation that failed, the engines disagreeing).
std::optional<std::string> runAppendedTest(const Compilation& compilation, const std::string& block,
                                           const std::string& title, const CompileOptions& options);

// Every refutation with a test block: confirmed (the reason cleared) when its test passes, else
// its reason says why the engines did not reproduce it. A refuted check that is not confirmed
// (no rows were built, or its block failed) becomes unknown, its reason saying why: `refuted`
// means rows that break it ran on both engines.
void confirmCounterexamples(const Compilation& compilation, std::vector<prove::CheckProof>& proofs,
                            const CompileOptions& options);

} // namespace fulcrum::testing
