// The JIT's compile function: code generation at the optimisation level of the module's tier, and
// the object cache consulted first. Table scans run once per row, so they get the full
// optimiser and code generator; formulas and peer steps run once per subject, so they are
// compiled quickly (their IR is not optimised, their code generated at -O0). It runs on the
// JIT's compile threads, so a program's modules (each in a context of its own: BuildModule.h)
// are optimised and compiled side by side.
#pragma once

#include "runtime/jit/ObjectCache.h"

#include <llvm/ExecutionEngine/Orc/IRCompileLayer.h>
#include <llvm/ExecutionEngine/Orc/JITTargetMachineBuilder.h>
#include <string>

namespace fulcrum::runtime::jit {

enum class Tier : int { Quick = 0, Optimized = 2 };

// Marks `module` with its tier, which the compiler reads back.
void setTier(llvm::Module& module, Tier tier);
Tier tierOf(const llvm::Module& module);

class TieredCompiler : public llvm::orc::IRCompileLayer::IRCompiler {
public:
  TieredCompiler(llvm::orc::JITTargetMachineBuilder builder, JitObjectCache* cache);
  // Never ends the process: LLVM fatal errors and error diagnostics come back as errors.
  llvm::Expected<std::unique_ptr<llvm::MemoryBuffer>> operator()(llvm::Module& module) override;

private:
  llvm::Expected<std::unique_ptr<llvm::MemoryBuffer>> compile(llvm::Module& module);
  static llvm::Error failure(const std::string& message);

  llvm::orc::JITTargetMachineBuilder builder_;
  JitObjectCache* cache_;
};

} // namespace fulcrum::runtime::jit
