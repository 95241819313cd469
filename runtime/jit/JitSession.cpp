// The process-wide LLJIT. Created once, on first use, and deliberately never destroyed: engines
// may outlive static destruction, and a reachable session keeps leak checkers quiet.
#include "runtime/jit/JitSession.h"

#include "runtime/exec/KernelAbi.h"
#include "runtime/jit/Helpers.h"
#include "runtime/jit/Jit.h"
#include "runtime/jit/TieredCompiler.h"

#include <algorithm>
#include <llvm/ExecutionEngine/Orc/Core.h>
#include <llvm/ExecutionEngine/Orc/ExecutionUtils.h>
#include <llvm/ExecutionEngine/Orc/ExecutorProcessControl.h>
#include <llvm/ExecutionEngine/Orc/TaskDispatch.h>
#include <llvm/Support/Error.h>
#include <llvm/Support/TargetSelect.h>
#include <thread>
#include <utility>

namespace fulcrum::runtime::jit {

namespace {

// The outcome of the one-time creation: a session, or why there is none.
struct SessionOrError {
  JitSession* session = nullptr;
  std::string error;
};

// Kernels call libm (pow, round when the CPU lacks an instruction for it) and the runtime's
// helpers. libm resolves through a search of the current process; the helpers, which the
// executable need not export, are defined in the main JITDylib by address.
llvm::Error defineRuntimeSymbols(llvm::orc::LLJIT& jit) {
  llvm::orc::SymbolMap symbols;
  const auto flags = llvm::JITSymbolFlags::Exported | llvm::JITSymbolFlags::Callable;
  symbols[jit.mangleAndIntern(kCollectValueSymbol)] = {
      llvm::orc::ExecutorAddr::fromPtr(&fulcrumCollectValue), flags};
  symbols[jit.mangleAndIntern(kEscapeSumSymbol)] = {
      llvm::orc::ExecutorAddr::fromPtr(&fulcrumEscapeSum), flags};
  symbols[jit.mangleAndIntern(kMatchRowSymbol)] = {
      llvm::orc::ExecutorAddr::fromPtr(&fulcrumMatchRow), flags};
  symbols[jit.mangleAndIntern(kDecaySymbol)] = {llvm::orc::ExecutorAddr::fromPtr(&fulcrumJitDecay),
                                                flags};
  symbols[jit.mangleAndIntern(kWorkingDaysSymbol)] = {
      llvm::orc::ExecutorAddr::fromPtr(&fulcrumWorkingDays), flags};
  symbols[jit.mangleAndIntern(kAddMonthsSymbol)] = {
      llvm::orc::ExecutorAddr::fromPtr(&fulcrumJitAddMonths), flags};
  symbols[jit.mangleAndIntern(kFlushCountsSymbol)] = {
      llvm::orc::ExecutorAddr::fromPtr(&fulcrumJitFlushCounts), flags};
  symbols[jit.mangleAndIntern(kFlushSumsSymbol)] = {
      llvm::orc::ExecutorAddr::fromPtr(&fulcrumJitFlushSums), flags};
  return jit.getMainJITDylib().define(llvm::orc::absoluteSymbols(std::move(symbols)));
}

llvm::Expected<llvm::orc::JITDylibSP> setUpProcessSymbols(llvm::orc::LLJIT& jit) {
  auto& dylib = jit.getExecutionSession().createBareJITDylib("<process symbols>");
  auto generator = llvm::orc::DynamicLibrarySearchGenerator::GetForCurrentProcess(
      jit.getDataLayout().getGlobalPrefix());
  if (!generator)
    return generator.takeError();
  dylib.addGenerator(std::move(*generator));
  return llvm::orc::JITDylibSP(&dylib);
}

SessionOrError createSession() {
  SessionOrError result;
  if (llvm::InitializeNativeTarget() || llvm::InitializeNativeTargetAsmPrinter()) {
    result.error = "LLVM has no native target for this host";
    return result;
  }
  auto machineBuilder = llvm::orc::JITTargetMachineBuilder::detectHost();
  if (!machineBuilder) {
    result.error = llvm::toString(machineBuilder.takeError());
    return result;
  }
  machineBuilder->setCodeGenOptLevel(llvm::CodeGenOptLevel::Default);
  // Bit-identical to the interpreter: never fuse a multiply and an add into an FMA.
  machineBuilder->getOptions().AllowFPOpFusion = llvm::FPOpFusion::Strict;

  // Compiles run on at most one thread per core (at least two, so that a program's two tiers
  // overlap), however many programs compile at once: a task past the bound waits its turn.
  const size_t compileThreads = std::max(2u, std::thread::hardware_concurrency());
  auto process = llvm::orc::SelfExecutorProcessControl::Create(
      nullptr, std::make_unique<llvm::orc::DynamicThreadPoolTaskDispatcher>(compileThreads));
  if (!process) {
    result.error = llvm::toString(process.takeError());
    return result;
  }

  auto cache = std::make_unique<JitObjectCache>(defaultJitCacheFolder(), defaultJitCacheEntries());
  JitObjectCache* cacheForCompiler = cache.get();
  auto jit =
      llvm::orc::LLJITBuilder()
          .setExecutorProcessControl(std::move(*process))
          .setJITTargetMachineBuilder(*machineBuilder)
          .setCompileFunctionCreator(
              [cacheForCompiler](llvm::orc::JITTargetMachineBuilder builder)
                  -> llvm::Expected<std::unique_ptr<llvm::orc::IRCompileLayer::IRCompiler>> {
                return std::make_unique<TieredCompiler>(std::move(builder), cacheForCompiler);
              })
          // Compilations may run on several threads at once: one target machine each.
          .setSupportConcurrentCompilation(true)
          // Kernels have no static initialisers: no platform support needed.
          .setPlatformSetUp(llvm::orc::setUpInactivePlatform)
          .setProcessSymbolsJITDylibSetup(setUpProcessSymbols)
          .create();
  if (!jit) {
    result.error = llvm::toString(jit.takeError());
    return result;
  }
  if (llvm::Error error = defineRuntimeSymbols(**jit)) {
    result.error = llvm::toString(std::move(error));
    return result;
  }
  auto* session = new JitSession;
  session->jit = std::move(*jit);
  session->jit->getExecutionSession().setErrorReporter(
      [session](llvm::Error error) { session->noteError(llvm::toString(std::move(error))); });
  session->target = machineBuilder->getTargetTriple().str() + " " + machineBuilder->getCPU() + " " +
                    machineBuilder->getFeatures().getString();
  session->machineBuilder = std::move(*machineBuilder);
  session->cache = std::move(cache);
  session->compileThreads = compileThreads;
  result.session = session;
  return result;
}

} // namespace

void JitSession::noteError(std::string message) {
  const std::lock_guard<std::mutex> lock(errorsMutex_);
  // The first failure is the cause; the ones after it are its consequences.
  if (errors_.empty())
    errors_ = std::move(message);
}

std::string JitSession::takeErrors() {
  const std::lock_guard<std::mutex> lock(errorsMutex_);
  return std::exchange(errors_, {});
}

JitSession* jitSession(std::string& error) {
  // A function-local static: created once, thread-safely, on first use.
  static const SessionOrError created = createSession();
  if (!created.session)
    error = "cannot start the LLVM JIT: " + created.error;
  return created.session;
}

std::unique_ptr<llvm::TargetMachine> createTargetMachine(JitSession& session, std::string& error) {
  llvm::orc::JITTargetMachineBuilder builder = session.machineBuilder; // a copy per thread
  auto machine = builder.createTargetMachine();
  if (!machine) {
    error = llvm::toString(machine.takeError());
    return nullptr;
  }
  return std::move(*machine);
}

} // namespace fulcrum::runtime::jit
