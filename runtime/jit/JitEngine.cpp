// The JIT engine: compiles a plan's module into the process-wide LLJIT under its own resource
// tracker, and calls the kernels through their native addresses.
#include "runtime/jit/BuildModule.h"
#include "runtime/jit/Jit.h"
#include "runtime/jit/JitSession.h"

#include <fmt/format.h>
#include <llvm/ExecutionEngine/Orc/Core.h>
#include <llvm/ExecutionEngine/Orc/ThreadSafeModule.h>
#include <llvm/Support/Error.h>
#include <llvm/Support/raw_ostream.h>
#include <utility>
#include <vector>

namespace fulcrum::runtime {

namespace {

// Frees everything the tracker owns (code, data, symbols). A failure cannot be returned from
// where this runs (a destructor, or a compilation already failing), so it is logged.
void release(jit::JitSession& session, const llvm::orc::ResourceTrackerSP& tracker) {
  if (llvm::Error error = tracker->remove())
    llvm::logAllUnhandledErrors(std::move(error), llvm::errs(), "fulcrum: freeing JIT code: ");
  // Interned names are not freed when their last user goes; names are unique per program.
  session.jit->getExecutionSession().getSymbolStringPool()->clearDeadEntries();
}

class JitEngine : public Engine {
public:
  JitEngine(jit::JitSession& session, llvm::orc::ResourceTrackerSP tracker,
            std::vector<KernelFunction> scans, std::vector<KernelFunction> formulas)
      : session_(session), tracker_(std::move(tracker)), scans_(std::move(scans)),
        formulas_(std::move(formulas)) {}

  JitEngine(const JitEngine&) = delete;
  JitEngine& operator=(const JitEngine&) = delete;

  ~JitEngine() override { release(session_, tracker_); }

  void runScan(size_t index, const KernelArgs& args) const override {
    if (index < scans_.size())
      scans_[index](&args);
  }

  void runFormulas(size_t stage, const KernelArgs& args) const override {
    if (stage < formulas_.size())
      formulas_[stage](&args);
  }

private:
  jit::JitSession& session_;
  llvm::orc::ResourceTrackerSP tracker_;
  std::vector<KernelFunction> scans_;
  std::vector<KernelFunction> formulas_; // one per formula stage
};

} // namespace

std::unique_ptr<Engine> compileJit(const Plan& plan, std::string& error) {
  jit::JitSession* session = jit::jitSession(error);
  if (!session)
    return nullptr;
  // Every program's symbols live in the same JITDylib: give them a prefix of their own.
  const jit::KernelNames names{fmt::format("fulcrum{}", session->nextProgram++)};
  auto context = std::make_unique<llvm::LLVMContext>();
  auto module = jit::buildModule(plan, names, *context, *session, true, error);
  if (!module)
    return nullptr;

  llvm::orc::LLJIT& jit = *session->jit;
  llvm::orc::ResourceTrackerSP tracker = jit.getMainJITDylib().createResourceTracker();
  llvm::orc::ThreadSafeModule threadSafe(std::move(module), std::move(context));
  if (llvm::Error failure = jit.addIRModule(tracker, std::move(threadSafe))) {
    error = "JIT: " + llvm::toString(std::move(failure));
    release(*session, tracker);
    return nullptr;
  }

  // The first lookup compiles and links the whole module, so failures surface here, not later.
  const auto lookup = [&](const std::string& name) -> KernelFunction {
    auto address = jit.lookup(name);
    if (!address) {
      error = "JIT: " + llvm::toString(address.takeError());
      return nullptr;
    }
    return address->toPtr<KernelFunction>();
  };
  std::vector<KernelFunction> scans;
  for (size_t s = 0; s < plan.scans.size(); ++s) {
    scans.push_back(lookup(names.scan(s)));
    if (!scans.back()) {
      release(*session, tracker);
      return nullptr;
    }
  }
  std::vector<KernelFunction> formulas;
  for (size_t stage = 0; stage <= plan.laterStages.size(); ++stage) {
    formulas.push_back(lookup(names.formulas(stage)));
    if (!formulas.back()) {
      release(*session, tracker);
      return nullptr;
    }
  }
  return std::make_unique<JitEngine>(*session, std::move(tracker), std::move(scans),
                                     std::move(formulas));
}

} // namespace fulcrum::runtime
