// The optimiser: LLVM's new pass manager at O2, tuned for the JIT's target machine.
#pragma once

#include <llvm/IR/Module.h>
#include <llvm/Target/TargetMachine.h>

namespace fulcrum::runtime::jit {

// Runs the default O2 pipeline over `module`. The pipeline keeps IEEE semantics: the generated
// IR has no fast-math flags, so no pass may reassociate or contract floating-point operations.
void optimizeModule(llvm::Module& module, llvm::TargetMachine& machine);

} // namespace fulcrum::runtime::jit
