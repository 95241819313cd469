// The optimiser for table scans: a short function pipeline chosen for what generated scans need
// (folding the validity logic, sharing loads, hoisting what the loop does not change), tuned
// for the JIT's target machine. LLVM's full O2 pipeline gives no faster scans and costs several
// times the compile time; FULCRUM_JIT_PIPELINE=O2 selects it, for comparison.
#pragma once

#include <llvm/IR/Module.h>
#include <llvm/Target/TargetMachine.h>

namespace fulcrum::runtime::jit {

// Optimises every function of `module`. The passes keep IEEE semantics: the generated IR has
// no fast-math flags, so none may reassociate or contract floating-point operations.
void optimizeModule(llvm::Module& module, llvm::TargetMachine& machine);

} // namespace fulcrum::runtime::jit
