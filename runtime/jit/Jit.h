// The second engine: an LLVM 19 JIT that compiles a plan's kernels to native code. Results are
// bit-identical to the reference interpreter (runtime/exec/Interpreter.cpp).
#pragma once

#include "runtime/exec/Engine.h"
#include "runtime/plan/Plan.h"

#include <memory>
#include <string>

namespace fulcrum::runtime {

// Compiles every kernel of `plan` (one function per ScanKernel, one for the FormulaKernel) into
// the process-wide JIT. Null and a message in `error` on failure (a malformed plan, an LLVM
// error); never aborts or throws. The engine owns its code: destroying it frees the code.
// The plan is only read during the call.
std::unique_ptr<Engine> compileJit(const Plan& plan, std::string& error);

// Why the JIT's cache folder on disk is not used (another user's, or others can write it), or
// empty: a warning for whoever runs a compiled framework.
std::string jitCacheWarning();

// The module the JIT would compile for `plan`, as textual LLVM IR: as generated, or after the
// O2 pipeline. Kernels are named `fulcrum_scan_<i>` and `fulcrum_formulas`. On failure, a
// comment line with the error.
std::string dumpLlvm(const Plan& plan, bool optimized);

} // namespace fulcrum::runtime
