// Chooses the engine for a plan.
#include "runtime/Program.h"
#include "runtime/jit/Jit.h"

namespace fulcrum::runtime {

std::unique_ptr<Engine> makeEngine(const Plan& plan, EngineKind kind, std::string& error) {
  if (kind == EngineKind::Interpreter)
    return makeInterpreter(plan);
  return compileJit(plan, error);
}

std::string engineWarning(EngineKind kind) {
  return kind == EngineKind::Jit ? jitCacheWarning() : "";
}

std::string dumpLlvmIr(const Plan& plan) {
  return dumpLlvm(plan, true);
}

} // namespace fulcrum::runtime
