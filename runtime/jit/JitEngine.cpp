// The JIT engine: compiles a plan's tiered modules into a JITDylib of the process-wide LLJIT,
// and calls the kernels through their native addresses.
#include "runtime/jit/BuildModule.h"
#include "runtime/jit/CategoryCounts.h"
#include "runtime/jit/FatalErrors.h"
#include "runtime/jit/Jit.h"
#include "runtime/jit/JitSession.h"

#include <algorithm>
#include <fmt/format.h>
#include <llvm/ExecutionEngine/Orc/Core.h>
#include <llvm/ExecutionEngine/Orc/ThreadSafeModule.h>
#include <llvm/Support/Error.h>
#include <llvm/Support/raw_ostream.h>
#include <utility>
#include <vector>

namespace fulcrum::runtime {

namespace {

// Frees everything the program's JITDylib owns (code, data, symbols). A failure cannot be
// returned from where this runs (a destructor, or a compilation already failing), so it is
// logged.
void release(jit::JitSession& session, llvm::orc::JITDylib& dylib) {
  if (llvm::Error error = session.jit->getExecutionSession().removeJITDylib(dylib))
    llvm::logAllUnhandledErrors(std::move(error), llvm::errs(), "fulcrum: freeing JIT code: ");
  // Interned names are not freed when their last user goes.
  session.jit->getExecutionSession().getSymbolStringPool()->clearDeadEntries();
}

class JitEngine : public Engine {
public:
  JitEngine(jit::JitSession& session, llvm::orc::JITDylib& dylib, std::vector<KernelFunction> scans,
            std::vector<KernelFunction> formulas, std::vector<int64_t> scratch)
      : session_(session), dylib_(dylib), scans_(std::move(scans)), formulas_(std::move(formulas)),
        scratch_(std::move(scratch)) {}

  JitEngine(const JitEngine&) = delete;
  JitEngine& operator=(const JitEngine&) = delete;

  ~JitEngine() override { release(session_, dylib_); }

  void runScan(size_t index, const KernelArgs& args) const override {
    if (index < scans_.size())
      scans_[index](&args);
  }

  void runFormulas(size_t stage, const KernelArgs& args) const override {
    if (stage < formulas_.size())
      formulas_[stage](&args);
  }

  int64_t scratchPerSubject(size_t index) const override {
    return index < scratch_.size() ? scratch_[index] : 0;
  }

private:
  jit::JitSession& session_;
  llvm::orc::JITDylib& dylib_;
  std::vector<KernelFunction> scans_;
  std::vector<KernelFunction> formulas_; // one per formula stage
  std::vector<int64_t> scratch_;         // per scan: jit::scratchPerSubject
};

// The most steps one kernel (function) may have. LLVM's code generation is superlinear in a
// function's size: a chain of 1,000 metrics (a formula kernel of 2,000 nodes) compiled in 0.9 s
// on the benchmark machine, and of 2,000 metrics (4,000 nodes) in 5.7 s. A larger plan runs on
// the interpreter, which is linear; a framework's formulas run once per subject, not per row.
constexpr size_t kMaxJitKernelNodes = 2048;

size_t largestKernel(const Plan& plan) {
  size_t largest = plan.formulas.nodes.size();
  for (const ScanKernel& scan : plan.scans)
    largest = std::max(largest, scan.nodes.size());
  for (const FormulaStage& stage : plan.laterStages)
    largest = std::max(largest, stage.kernel.nodes.size());
  return largest;
}

std::unique_ptr<Engine> compileIntoJit(const Plan& plan, jit::JitSession* session,
                                       std::string& error) {
  // Each program has a JITDylib of its own, so every program's kernels have the same names and
  // the same framework compiles to the same object: what makes the object cache work.
  const jit::KernelNames names;
  std::vector<jit::KernelModule> parts =
      jit::buildKernelModules(plan, names, *session, true, error);
  if (parts.empty())
    return nullptr;

  llvm::orc::LLJIT& jit = *session->jit;
  auto dylib = jit.createJITDylib(fmt::format("fulcrum-program-{}", session->nextProgram++));
  if (!dylib) {
    error = "JIT: " + llvm::toString(dylib.takeError());
    return nullptr;
  }
  // The runtime's helpers are defined in the main JITDylib.
  dylib->addToLinkOrder(jit.getMainJITDylib());
  for (jit::KernelModule& part : parts) {
    llvm::Error failure =
        part.object ? jit.addObjectFile(*dylib, std::move(part.object))
                    : jit.addIRModule(*dylib, llvm::orc::ThreadSafeModule(std::move(part.module),
                                                                          part.context));
    if (failure) {
      error = "JIT: " + llvm::toString(std::move(failure));
      release(*session, *dylib);
      return nullptr;
    }
  }

  // One lookup of every kernel: the parts, each in a context of its own, are compiled side by
  // side (on the session's compile threads) and linked, so failures surface here, not later.
  std::vector<std::string> kernelNames;
  for (size_t s = 0; s < plan.scans.size(); ++s)
    kernelNames.push_back(names.scan(s));
  for (size_t stage = 0; stage <= plan.laterStages.size(); ++stage)
    kernelNames.push_back(names.formulas(stage));
  llvm::orc::SymbolLookupSet wanted;
  for (const std::string& name : kernelNames)
    wanted.add(jit.mangleAndIntern(name));
  auto found = jit.getExecutionSession().lookup(
      llvm::orc::makeJITDylibSearchOrder(&*dylib, llvm::orc::JITDylibLookupFlags::MatchAllSymbols),
      std::move(wanted));
  if (!found) {
    // The lookup only says which symbols failed; the session was told why.
    const std::string lookupError = llvm::toString(found.takeError());
    const std::string cause = session->takeErrors();
    error = "JIT: " + (cause.empty() ? lookupError : cause);
    release(*session, *dylib);
    return nullptr;
  }
  std::vector<KernelFunction> kernels;
  for (const std::string& name : kernelNames)
    kernels.push_back((*found)[jit.mangleAndIntern(name)].getAddress().toPtr<KernelFunction>());
  std::vector<KernelFunction> scans(
      kernels.begin(), kernels.begin() + static_cast<std::ptrdiff_t>(plan.scans.size()));
  std::vector<KernelFunction> formulas(
      kernels.begin() + static_cast<std::ptrdiff_t>(plan.scans.size()), kernels.end());
  std::vector<int64_t> scratch;
  for (const ScanKernel& scan : plan.scans)
    scratch.push_back(jit::scratchPerSubject(plan, scan));
  return std::make_unique<JitEngine>(*session, *dylib, std::move(scans), std::move(formulas),
                                     std::move(scratch));
}

} // namespace

std::string jitCacheWarning() {
  std::string error;
  const jit::JitSession* session = jit::jitSession(error);
  return session && session->cache ? session->cache->warning() : "";
}

std::unique_ptr<Engine> compileJit(const Plan& plan, std::string& error) {
  if (const size_t nodes = largestKernel(plan); nodes > kMaxJitKernelNodes) {
    error = fmt::format("a kernel of {} steps is more than the JIT compiles quickly ({})", nodes,
                        kMaxJitKernelNodes);
    return nullptr;
  }
  jit::installFatalErrorHandlers();
  if (const std::string reason = jit::jitDisabledReason(); !reason.empty()) {
    error = "the JIT is off in this process after an LLVM fatal error: " + reason;
    return nullptr;
  }
  jit::JitSession* session = jit::jitSession(error);
  if (!session)
    return nullptr;
  std::unique_ptr<Engine> engine;
  // A fatal error while generating or linking code comes back here; what the interrupted code
  // held is leaked, and the JIT stays off from now on (FatalErrors.h).
  const std::string fatal = jit::runGuarded([&] { engine = compileIntoJit(plan, session, error); });
  if (!fatal.empty()) {
    error = "LLVM fatal error: " + fatal;
    return nullptr;
  }
  return engine;
}

} // namespace fulcrum::runtime
