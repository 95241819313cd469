// LLVM's fatal errors as errors of the compilation that hit them, not the end of the host
// process. LLVM reports an internal failure (report_fatal_error, out of memory) through a
// handler and exits the process when the handler returns; the handler installed here instead
// jumps back to the guard around the failing compilation, which returns the reason. Code that
// was interrupted may have leaked memory or left LLVM state half-updated, so after the first
// fatal error the JIT is disabled for the rest of the process: every later program runs on the
// interpreter (with a warning), never touching that state again.
#pragma once

#include <functional>
#include <string>

namespace llvm {
class LLVMContext;
}

namespace fulcrum::runtime::jit {

// Installs the handlers (once; thread-safe). A fatal error outside any guard still ends the
// process, after printing its reason: LLVM allows nothing else.
void installFatalErrorHandlers();

// Runs `work`; an LLVM fatal error inside it (on this thread) returns its reason, else "".
std::string runGuarded(const std::function<void()>& work);

// Makes `context` collect its error diagnostics (code generation problems) instead of printing
// them and exiting, LLVM's default; takeDiagnosticErrors returns and clears them.
void collectDiagnostics(llvm::LLVMContext& context);
std::string takeDiagnosticErrors(llvm::LLVMContext& context);

// Why the JIT is disabled (the first fatal error's reason), or "" while it is usable.
std::string jitDisabledReason();

// Test hook: FULCRUM_JIT_FAULT=fatal|oom|error makes every code generation fail that way
// (a fatal error, an out-of-memory report, an ordinary llvm::Error), so tests can prove that a
// failing JIT leaves the host running and the interpreter giving the same results.
enum class InjectedFault { None, Fatal, OutOfMemory, Error };
InjectedFault injectedFault();

} // namespace fulcrum::runtime::jit
