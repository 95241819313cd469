// From a plan to a verified (and optionally optimised) module: the steps compileJit and
// dumpLlvm share.
#pragma once

#include "runtime/jit/Codegen.h"
#include "runtime/jit/JitSession.h"
#include "runtime/jit/TieredCompiler.h"
#include "runtime/plan/Plan.h"

#include <llvm/ExecutionEngine/Orc/ThreadSafeModule.h>
#include <llvm/IR/LLVMContext.h>
#include <llvm/IR/Module.h>
#include <llvm/Support/MemoryBuffer.h>
#include <memory>
#include <string>

namespace fulcrum::runtime::jit {

// Checks the plan, generates its module (the kernels `only` selects; all by default) in
// `context` for the session's target and verifies it, unoptimised. Null with `error` set on any
// failure.
std::unique_ptr<llvm::Module> buildModule(const Plan& plan, const KernelNames& names,
                                          llvm::LLVMContext& context, JitSession& session,
                                          std::string& error, const KernelSelection& only = {});

// llvm::verifyModule's findings, or an empty string when the module is well formed.
std::string verify(const llvm::Module& module);

// One part of a program's code: some of its table scans (optimised) or everything else (quick).
struct KernelModule {
  // Each part has a context of its own (declared first: it outlives the module), so the JIT
  // compiles the parts on several threads at once.
  llvm::orc::ThreadSafeContext context;
  std::unique_ptr<llvm::Module> module;
  Tier tier = Tier::Optimized;
  std::string key; // the object cache's key, also the module's identifier
  // The compiled object when the cache has it: then the module is left unoptimised and the
  // JIT links the object instead.
  std::unique_ptr<llvm::MemoryBuffer> object;
};

// The plan's code as tiered modules, each in a context of its own and verified: the table scans
// in up to `session.compileThreads` optimised modules, the rest in one quick module. With
// `useCache`, a module whose object is cached comes with it, and the others are left for the JIT's
// compiler to optimise for their tier; without it (dumps), table scans are optimised here. Empty
// with `error` set on any failure.
std::vector<KernelModule> buildKernelModules(const Plan& plan, const KernelNames& names,
                                             JitSession& session, bool useCache,
                                             std::string& error);

} // namespace fulcrum::runtime::jit
