// Plan -> checked, generated, verified, optimised module (see BuildModule.h).
#include "runtime/jit/BuildModule.h"

#include "runtime/jit/Optimize.h"
#include "runtime/jit/PlanCheck.h"

#include <llvm/IR/Verifier.h>
#include <llvm/Support/raw_ostream.h>

namespace fulcrum::runtime::jit {

namespace {

// llvm::verifyModule's findings, or an empty string when the module is well formed.
std::string verify(const llvm::Module& module) {
  std::string problems;
  llvm::raw_string_ostream out(problems);
  if (!llvm::verifyModule(module, &out))
    return "";
  out.flush();
  return "generated IR does not verify: " + problems;
}

} // namespace

std::unique_ptr<llvm::Module> buildModule(const Plan& plan, const KernelNames& names,
                                          llvm::LLVMContext& context, JitSession& session,
                                          bool optimize, std::string& error) {
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
  if (optimize) {
    auto machine = createTargetMachine(session, error);
    if (!machine)
      return nullptr;
    optimizeModule(*module, *machine);
    // What the JIT is given must verify too.
    if (std::string problem = verify(*module); !problem.empty()) {
      error = "after optimisation: " + problem;
      return nullptr;
    }
  }
  return module;
}

} // namespace fulcrum::runtime::jit
