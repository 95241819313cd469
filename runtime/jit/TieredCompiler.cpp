// Tiered code generation with the object cache (see TieredCompiler.h).
#include "runtime/jit/TieredCompiler.h"

#include "runtime/jit/BuildModule.h"
#include "runtime/jit/Optimize.h"

#include <llvm/ExecutionEngine/Orc/CompileUtils.h>
#include <llvm/IR/Constants.h>
#include <llvm/Support/Error.h>

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
  llvm::orc::JITTargetMachineBuilder builder = builder_; // a target machine per compilation
  builder.setCodeGenOptLevel(tierOf(module) == Tier::Quick ? llvm::CodeGenOptLevel::None
                                                           : llvm::CodeGenOptLevel::Default);
  auto machine = builder.createTargetMachine();
  if (!machine)
    return machine.takeError();
  if (tierOf(module) == Tier::Optimized) {
    optimizeModule(module, **machine);
    if (std::string problem = verify(module); !problem.empty())
      return llvm::make_error<llvm::StringError>("after optimisation: " + problem,
                                                 llvm::inconvertibleErrorCode());
  }
  llvm::orc::SimpleCompiler compile(**machine, cache_);
  return compile(module);
}

} // namespace fulcrum::runtime::jit
