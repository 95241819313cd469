// Plan -> checked, generated, verified, optimised module (see BuildModule.h).
#include "runtime/jit/BuildModule.h"

#include "runtime/jit/Optimize.h"
#include "runtime/jit/PlanCheck.h"

#include <algorithm>
#include <functional>
#include <llvm/IR/Verifier.h>
#include <llvm/Support/raw_ostream.h>
#include <llvm/Transforms/Utils/Cloning.h>
#include <set>

namespace fulcrum::runtime::jit {

// llvm::verifyModule's findings, or an empty string when the module is well formed.
std::string verify(const llvm::Module& module) {
  std::string problems;
  llvm::raw_string_ostream out(problems);
  if (!llvm::verifyModule(module, &out))
    return "";
  out.flush();
  return "generated IR does not verify: " + problems;
}

namespace {

// The definitions `keep` selects, cloned into a module of their own; the rest become
// declarations, resolved by the JIT's linker against the other part.
std::unique_ptr<llvm::Module> part(const llvm::Module& whole,
                                   const std::function<bool(const llvm::GlobalValue&)>& keep) {
  llvm::ValueToValueMapTy map;
  auto module =
      llvm::CloneModule(whole, map, [&](const llvm::GlobalValue* value) { return keep(*value); });
  // Object files name their source: keep it the same for every program, for the cache.
  module->setSourceFileName("fulcrum");
  return module;
}

} // namespace

std::vector<KernelModule> buildKernelModules(const Plan& plan, const KernelNames& names,
                                             llvm::LLVMContext& context, JitSession& session,
                                             bool useCache, std::string& error) {
  const bool optimizeHere = !useCache; // a dump shows the optimised module
  std::vector<KernelModule> parts;
  auto whole = buildModule(plan, names, context, session, error);
  if (!whole)
    return parts;
  std::set<std::string> tableScans;
  for (size_t s = 0; s < plan.scans.size(); ++s)
    if (plan.scans[s].peerStage < 0)
      tableScans.insert(names.scan(s));
  const std::string constants = names.constants();
  // The constant pool goes with the table scans when there are any, else with the rest.
  auto isTableScan = [&](const llvm::GlobalValue& value) {
    return tableScans.count(value.getName().str()) > 0 ||
           (!tableScans.empty() && value.getName() == constants);
  };
  std::vector<std::pair<Tier, std::unique_ptr<llvm::Module>>> tiers;
  if (!tableScans.empty())
    tiers.emplace_back(Tier::Optimized, part(*whole, isTableScan));
  tiers.emplace_back(Tier::Quick, part(*whole, [&](const llvm::GlobalValue& value) {
                       return !isTableScan(value);
                     }));
  std::unique_ptr<llvm::TargetMachine> machine;
  for (auto& [tier, module] : tiers) {
    KernelModule kernel;
    kernel.tier = tier;
    setTier(*module, tier);
    // No key (printing the module to hash it) when there is no cache to look in.
    if (useCache && session.cache->enabled()) {
      kernel.key = JitObjectCache::keyFor(*module, static_cast<int>(tier), session.target);
      module->setModuleIdentifier(kernel.key);
    }
    // A cached object is what an earlier compile of this very module produced: nothing to do.
    // Otherwise the JIT's compiler optimises the module on a compile thread (TieredCompiler).
    if (!kernel.key.empty())
      kernel.object = session.cache->find(kernel.key);
    else if (optimizeHere && tier == Tier::Optimized) {
      if (!machine && !(machine = createTargetMachine(session, error)))
        return {};
      optimizeModule(*module, *machine);
      if (std::string problem = verify(*module); !problem.empty()) {
        error = "after optimisation: " + problem;
        return {};
      }
    }
    kernel.module = std::move(module);
    parts.push_back(std::move(kernel));
  }
  return parts;
}

std::unique_ptr<llvm::Module> buildModule(const Plan& plan, const KernelNames& names,
                                          llvm::LLVMContext& context, JitSession& session,
                                          std::string& error) {
  if (std::string problem = checkPlan(plan); !problem.empty()) {
    error = "the JIT cannot compile this plan: " + problem;
    return nullptr;
  }
  const llvm::orc::LLJIT& jit = *session.jit;
  auto module =
      generateModule(plan, names, context, jit.getDataLayout(), jit.getTargetTriple(), error);
  if (!module)
    return nullptr;
  if (std::string problem = verify(*module); !problem.empty()) {
    error = problem;
    return nullptr;
  }
  return module;
}

} // namespace fulcrum::runtime::jit
