// dumpLlvm: the JIT's module for a plan as text, for inspection and tests.
#include "runtime/jit/BuildModule.h"
#include "runtime/jit/FatalErrors.h"
#include "runtime/jit/Jit.h"
#include "runtime/jit/JitSession.h"

#include <llvm/IR/LLVMContext.h>
#include <llvm/Support/raw_ostream.h>
#include <sstream>

namespace fulcrum::runtime {

namespace {

// An error as IR comments, one per line.
std::string comment(const std::string& error) {
  std::istringstream lines(error);
  std::string text, line;
  while (std::getline(lines, line))
    text += "; " + line + "\n";
  return text;
}

std::string dumpWithSession(const Plan& plan, bool optimized, jit::JitSession* session) {
  std::string error;
  llvm::LLVMContext context;
  std::string text;
  llvm::raw_string_ostream out(text);
  if (!optimized) {
    auto module = jit::buildModule(plan, jit::KernelNames{}, context, *session, error);
    if (!module)
      return comment(error);
    module->print(out, nullptr);
    out.flush();
    return text;
  }
  // What the JIT compiles: each tier's module, the table scans optimised.
  std::vector<jit::KernelModule> parts =
      jit::buildKernelModules(plan, jit::KernelNames{}, *session, false, error);
  if (parts.empty())
    return comment(error);
  for (const jit::KernelModule& part : parts) {
    out << (part.tier == jit::Tier::Optimized ? "; tier: table scans, optimised\n"
                                              : "; tier: formulas and peer steps, quick\n");
    part.module->print(out, nullptr);
  }
  out.flush();
  return text;
}

} // namespace

std::string dumpLlvm(const Plan& plan, bool optimized) {
  std::string error;
  jit::installFatalErrorHandlers();
  jit::JitSession* session = jit::jitSession(error);
  if (!session)
    return comment(error);
  std::string text;
  // Optimising runs LLVM in this thread: a fatal error comes back as a comment.
  const std::string fatal =
      jit::runGuarded([&] { text = dumpWithSession(plan, optimized, session); });
  return fatal.empty() ? text : comment("LLVM fatal error: " + fatal);
}

} // namespace fulcrum::runtime
