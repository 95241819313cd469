// Tiered code generation with the object cache (see TieredCompiler.h).
#include "runtime/jit/TieredCompiler.h"

#include "runtime/jit/BuildModule.h"
#include "runtime/jit/FatalErrors.h"
#include "runtime/jit/Optimize.h"

#include <llvm/ExecutionEngine/Orc/CompileUtils.h>
#include <llvm/IR/Constants.h>
#include <llvm/Support/Error.h>
#include <llvm/Support/ErrorHandling.h>
#include <optional>

namespace fulcrum::runtime::jit {

namespace {
constexpr const char* kTierFlag = "fulcrum.tier";
}

void setTier(llvm::Module& module, Tier tier) {
  module.addModuleFlag(llvm::Module::Override, kTierFlag, static_cast<uint32_t>(tier));
}

Tier tierOf(const llvm::Module& module) {
  const auto* flag =
      llvm::mdconst::extract_or_null<llvm::ConstantInt>(module.getModuleFlag(kTierFlag));
  return flag && flag->getZExtValue() == static_cast<uint64_t>(Tier::Quick) ? Tier::Quick
                                                                            : Tier::Optimized;
}

TieredCompiler::TieredCompiler(llvm::orc::JITTargetMachineBuilder builder, JitObjectCache* cache)
    : IRCompiler(llvm::orc::irManglingOptionsFromTargetOptions(builder.getOptions())),
      builder_(std::move(builder)), cache_(cache) {
}

llvm::Expected<std::unique_ptr<llvm::MemoryBuffer>>
TieredCompiler::operator()(llvm::Module& module) {
  // This runs on a JIT compile thread: a fatal error in it comes back here as an error (and
  // `object` is never set: the jump leaves compile() before it returns).
  // The context is this compilation's while it runs (ORC holds its lock); its error
  // diagnostics are collected instead of ending the process.
  collectDiagnostics(module.getContext());
  std::optional<llvm::Expected<std::unique_ptr<llvm::MemoryBuffer>>> object;
  const std::string fatal = runGuarded([&] { object.emplace(compile(module)); });
  if (!fatal.empty())
    return failure("LLVM fatal error: " + fatal);
  if (std::string diagnostics = takeDiagnosticErrors(module.getContext()); !diagnostics.empty()) {
    if (!*object)
      llvm::consumeError(object->takeError());
    return failure("code generation: " + diagnostics);
  }
  return std::move(*object);
}

llvm::Error TieredCompiler::failure(const std::string& message) {
  return llvm::make_error<llvm::StringError>(message, llvm::inconvertibleErrorCode());
}

llvm::Expected<std::unique_ptr<llvm::MemoryBuffer>> TieredCompiler::compile(llvm::Module& module) {
  switch (injectedFault()) {
  case InjectedFault::Fatal:
    llvm::report_fatal_error("injected by FULCRUM_JIT_FAULT=fatal");
  case InjectedFault::OutOfMemory:
    llvm::report_bad_alloc_error("injected by FULCRUM_JIT_FAULT=oom");
  case InjectedFault::Error:
    return failure("injected by FULCRUM_JIT_FAULT=error");
  case InjectedFault::None:
    break;
  }
  llvm::orc::JITTargetMachineBuilder builder = builder_; // a target machine per compilation
  builder.setCodeGenOptLevel(tierOf(module) == Tier::Quick ? llvm::CodeGenOptLevel::None
                                                           : llvm::CodeGenOptLevel::Default);
  auto machine = builder.createTargetMachine();
  if (!machine)
    return machine.takeError();
  if (tierOf(module) == Tier::Optimized) {
    optimizeModule(module, **machine);
    if (std::string problem = verify(module); !problem.empty())
      return failure("after optimisation: " + problem);
  }
  llvm::orc::SimpleCompiler compile(**machine, cache_);
  return compile(module);
}

} // namespace fulcrum::runtime::jit
