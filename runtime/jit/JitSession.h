// The process-wide LLVM JIT: one LLJIT shared by every compiled engine, created on first use.
#pragma once

#include "runtime/jit/ObjectCache.h"

#include <atomic>
#include <cstdint>
#include <llvm/ExecutionEngine/Orc/JITTargetMachineBuilder.h>
#include <llvm/ExecutionEngine/Orc/LLJIT.h>
#include <llvm/Target/TargetMachine.h>
#include <memory>
#include <mutex>
#include <string>

namespace fulcrum::runtime::jit {

struct JitSession {
  std::unique_ptr<llvm::orc::LLJIT> jit;
  // How the JIT builds target machines; the optimiser uses the same settings, so the IR it
  // tunes for is the code the JIT emits.
  llvm::orc::JITTargetMachineBuilder machineBuilder{llvm::Triple()};
  // Names every compiled program's JITDylib uniquely.
  std::atomic<uint64_t> nextProgram{0};
  // Compiled objects for reuse (memory, and the disk folder of defaultJitCacheFolder()).
  std::unique_ptr<JitObjectCache> cache;
  // How many compilations run at once (one per core, at least two); a program's table scans are
  // split into up to this many modules.
  size_t compileThreads = 2;
  // `cpu features` of the host, part of every cache key.
  std::string target;

  // What ORC reported while materialising code (a compile that failed), instead of printing it
  // to the host's stderr; takeErrors() returns and clears it.
  void noteError(std::string message);
  std::string takeErrors();

private:
  std::mutex errorsMutex_;
  std::string errors_;
};

// The session, created once (thread-safely) with the native target initialised; null with
// `error` set when LLVM cannot create it (then every later call fails the same way).
JitSession* jitSession(std::string& error);

// A fresh target machine for the host, configured like the JIT's; null with `error` set on
// failure. One per compilation: target machines are not shared between threads.
std::unique_ptr<llvm::TargetMachine> createTargetMachine(JitSession& session, std::string& error);

} // namespace fulcrum::runtime::jit
