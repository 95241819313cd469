// The lowering phase: a checked framework -> a Plan (scan kernels per table, formula kernels per
// subject, peer steps between them), which the runtime owns and runs (runtime/plan/Plan.h). What
// the back end does not run yet is reported as NotSupportedYet, never a crash.
#pragma once

#include "compiler/driver/Compilation.h"
#include "runtime/plan/Plan.h"

#include <memory>
#include <string>

namespace fulcrum {

// Null when the framework uses something the back end cannot run (reported to `sink`).
std::unique_ptr<runtime::Plan> lowerFramework(const Compilation& compilation,
                                              const ast::FrameworkDecl& framework,
                                              DiagnosticSink& sink);

// The framework named `name`: null with `error` when the compilation has none of that name, or
// with diagnostics in `sink` when it cannot be lowered.
std::unique_ptr<runtime::Plan> lowerFramework(const Compilation& compilation,
                                              const std::string& name, DiagnosticSink& sink,
                                              std::string& error);

} // namespace fulcrum
