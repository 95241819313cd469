// Source to something that runs: a checked compilation's framework, lowered to a plan, with the
// engine that runs it (runtime/Program.h). The clients' one call: the CLI, the tests, the fuzzers
// and the benchmarks.
#pragma once

#include "compiler/driver/Compilation.h"
#include "runtime/Program.h"

#include <memory>
#include <string>

namespace fulcrum {

// Null on failure: diagnostics (NotSupportedYet, PlanTooLarge) go to `sink`, other problems (no
// such framework, no engine) to `error`.
std::unique_ptr<runtime::Program> makeProgram(const Compilation& compilation,
                                              const std::string& framework,
                                              runtime::EngineKind engine, DiagnosticSink& sink,
                                              std::string& error);

} // namespace fulcrum
