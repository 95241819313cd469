// LLVM fatal errors caught per compilation (see FatalErrors.h).
#include "runtime/jit/FatalErrors.h"

#include <csetjmp>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <llvm/IR/DiagnosticHandler.h>
#include <llvm/IR/DiagnosticInfo.h>
#include <llvm/IR/DiagnosticPrinter.h>
#include <llvm/IR/LLVMContext.h>
#include <llvm/Support/ErrorHandling.h>
#include <llvm/Support/raw_ostream.h>
#include <memory>
#include <mutex>
#include <utility>

namespace fulcrum::runtime::jit {

namespace {

// The innermost guard of this thread: where its handler jumps back to.
struct Guard {
  std::jmp_buf resume;
  std::string reason;
};
thread_local Guard* currentGuard = nullptr;

std::mutex disabledMutex;
std::string disabledReason; // guarded by disabledMutex

[[noreturn]] void jumpBack(Guard& guard, const char* prefix, const char* reason) {
  guard.reason = prefix;
  guard.reason += reason != nullptr && *reason != '\0' ? reason : "LLVM fatal error";
  {
    const std::lock_guard<std::mutex> lock(disabledMutex);
    if (disabledReason.empty())
      disabledReason = guard.reason;
  }
  std::longjmp(guard.resume, 1);
}

void onFatalError(void*, const char* reason, bool) {
  if (currentGuard != nullptr)
    jumpBack(*currentGuard, "", reason);
  // Outside any compilation: LLVM exits when this returns; say why first.
  std::fprintf(stderr, "fulcrum: LLVM fatal error outside a compilation: %s\n",
               reason ? reason : "");
}

void onBadAlloc(void*, const char* reason, bool) {
  if (currentGuard != nullptr)
    jumpBack(*currentGuard, "out of memory: ", reason);
  std::fprintf(stderr, "fulcrum: LLVM ran out of memory outside a compilation: %s\n",
               reason ? reason : "");
}

// A context's error diagnostics, kept for the compilation to return.
class CollectedDiagnostics : public llvm::DiagnosticHandler {
public:
  bool handleDiagnostics(const llvm::DiagnosticInfo& info) override {
    if (info.getSeverity() != llvm::DS_Error)
      return true; // warnings and remarks are not the user's business
    std::string text;
    llvm::raw_string_ostream out(text);
    llvm::DiagnosticPrinterRawOStream printer(out);
    info.print(printer);
    const std::lock_guard<std::mutex> lock(mutex_);
    errors_ += (errors_.empty() ? "" : "; ") + out.str();
    return true; // handled: LLVM does not exit
  }

  std::string take() const {
    const std::lock_guard<std::mutex> lock(mutex_);
    return std::exchange(errors_, {});
  }

private:
  // LLVM hands the handler back as const; what it collects changes behind the lock.
  mutable std::mutex mutex_;
  mutable std::string errors_;
};

} // namespace

void collectDiagnostics(llvm::LLVMContext& context) {
  context.setDiagnosticHandler(std::make_unique<CollectedDiagnostics>());
}

std::string takeDiagnosticErrors(llvm::LLVMContext& context) {
  // Only contexts given a CollectedDiagnostics by collectDiagnostics reach here.
  return static_cast<const CollectedDiagnostics*>(context.getDiagHandlerPtr())->take();
}

void installFatalErrorHandlers() {
  static std::once_flag installed;
  std::call_once(installed, [] {
    llvm::install_fatal_error_handler(onFatalError, nullptr);
    llvm::install_bad_alloc_error_handler(onBadAlloc, nullptr);
  });
}

std::string runGuarded(const std::function<void()>& work) {
  Guard guard;
  Guard* const outer = currentGuard;
  currentGuard = &guard;
  // Nothing between setjmp and a longjmp back changes a local of this frame, so none needs to
  // be volatile; the reason is written to `guard` in memory.
  if (setjmp(guard.resume) == 0) {
    work();
    currentGuard = outer;
    return "";
  }
  currentGuard = outer;
  return guard.reason;
}

std::string jitDisabledReason() {
  const std::lock_guard<std::mutex> lock(disabledMutex);
  return disabledReason;
}

InjectedFault injectedFault() {
  static const InjectedFault fault = [] {
    const char* value = std::getenv("FULCRUM_JIT_FAULT");
    if (value == nullptr)
      return InjectedFault::None;
    if (std::strcmp(value, "fatal") == 0)
      return InjectedFault::Fatal;
    if (std::strcmp(value, "oom") == 0)
      return InjectedFault::OutOfMemory;
    if (std::strcmp(value, "error") == 0)
      return InjectedFault::Error;
    return InjectedFault::None;
  }();
  return fault;
}

} // namespace fulcrum::runtime::jit
