// Lower, then hand the plan to the runtime (see MakeProgram.h).
#include "compiler/lower/MakeProgram.h"

#include "compiler/lower/Lower.h"

namespace fulcrum {

std::unique_ptr<runtime::Program> makeProgram(const Compilation& compilation,
                                              const std::string& framework,
                                              runtime::EngineKind engine, DiagnosticSink& sink,
                                              std::string& error) {
  auto plan = lowerFramework(compilation, framework, sink, error);
  return plan ? runtime::Program::create(std::move(plan), engine, error) : nullptr;
}

} // namespace fulcrum
