// Chooses the engine for a plan.
#include "runtime/Program.h"

namespace fulcrum::runtime {

std::unique_ptr<Engine> makeEngine(const Plan& plan, EngineKind kind, std::string& error) {
  if (kind == EngineKind::Interpreter)
    return makeInterpreter(plan);
  error = "the JIT engine is not built yet; use `--engine interp`";
  return nullptr;
}

std::string dumpLlvmIr(const Plan&) {
  return "; the JIT engine is not built yet\n";
}

} // namespace fulcrum::runtime
