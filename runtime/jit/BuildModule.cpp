// Plan -> checked, generated, verified, optimised module (see BuildModule.h).
#include "runtime/jit/BuildModule.h"

#include "runtime/jit/Optimize.h"
#include "runtime/jit/PlanCheck.h"

#include <algorithm>
#include <llvm/IR/Verifier.h>
#include <llvm/Support/raw_ostream.h>
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

// What one module of a program holds: kernels by name, and whether it defines the constant pool
// (the other modules declare it; the JIT's linker resolves it).
struct PartSpec {
  Tier tier = Tier::Optimized;
  std::set<std::string> kernels;
  bool definesConstants = false;
};

// The table scans, which run once per row, in up to `groups` optimised modules balanced by their
// steps (the largest scan first into the lightest module), so that the JIT's compile threads
// share them; then one quick module of everything else (formulas, peer steps). The layout
// depends on the plan and `groups` alone, so the same program always gets the same modules (and
// cache keys).
std::vector<PartSpec> planParts(const Plan& plan, const KernelNames& names, size_t groups) {
  std::vector<size_t> tableScans;
  PartSpec quick;
  quick.tier = Tier::Quick;
  for (size_t s = 0; s < plan.scans.size(); ++s) {
    if (plan.scans[s].peerStage < 0)
      tableScans.push_back(s);
    else
      quick.kernels.insert(names.scan(s));
  }
  for (size_t stage = 0; stage <= plan.laterStages.size(); ++stage)
    quick.kernels.insert(names.formulas(stage));
  std::stable_sort(tableScans.begin(), tableScans.end(), [&](size_t a, size_t b) {
    return plan.scans[a].nodes.size() > plan.scans[b].nodes.size();
  });
  std::vector<PartSpec> parts(std::min(std::max<size_t>(groups, 1), tableScans.size()));
  std::vector<size_t> steps(parts.size(), 0);
  for (const size_t s : tableScans) {
    const size_t lightest =
        static_cast<size_t>(std::min_element(steps.begin(), steps.end()) - steps.begin());
    parts[lightest].kernels.insert(names.scan(s));
    steps[lightest] += plan.scans[s].nodes.size() + 1;
  }
  // The constant pool goes with the table scans when there are any, else with the rest.
  (parts.empty() ? quick : parts.front()).definesConstants = true;
  parts.push_back(std::move(quick));
  return parts;
}

} // namespace

std::vector<KernelModule> buildKernelModules(const Plan& plan, const KernelNames& names,
                                             JitSession& session, bool useCache,
                                             std::string& error) {
  const bool optimizeHere = !useCache; // a dump shows the optimised module
  std::vector<KernelModule> parts;
  std::unique_ptr<llvm::TargetMachine> machine;
  for (const PartSpec& spec : planParts(plan, names, session.compileThreads)) {
    KernelModule kernel;
    kernel.tier = spec.tier;
    // A context of its own, so that the parts compile side by side.
    kernel.context = llvm::orc::ThreadSafeContext(std::make_unique<llvm::LLVMContext>());
    std::unique_ptr<llvm::Module> module =
        buildModule(plan, names, *kernel.context.getContext(), session, error,
                    [&](const std::string& kernelName) { return spec.kernels.count(kernelName); });
    if (!module)
      return {};
    if (!spec.definesConstants)
      if (llvm::GlobalVariable* pool = module->getGlobalVariable(names.constants())) {
        pool->setInitializer(nullptr); // a declaration: another part defines it
        pool->setLinkage(llvm::GlobalValue::ExternalLinkage);
      }
    // Object files name their source: keep it the same for every program, for the cache.
    module->setSourceFileName("fulcrum");
    const Tier tier = spec.tier;
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
                                          std::string& error, const KernelSelection& only) {
  if (std::string problem = checkPlan(plan); !problem.empty()) {
    error = "the JIT cannot compile this plan: " + problem;
    return nullptr;
  }
  const llvm::orc::LLJIT& jit = *session.jit;
  auto module =
      generateModule(plan, names, context, jit.getDataLayout(), jit.getTargetTriple(), error, only);
  if (!module)
    return nullptr;
  if (std::string problem = verify(*module); !problem.empty()) {
    error = problem;
    return nullptr;
  }
  return module;
}

} // namespace fulcrum::runtime::jit
