// The plan phase: a checked framework -> a Plan (scan kernels per table, one formula kernel).
// What the back end does not run yet (OKRs, groups, `across`, alerts, ranks) is reported as
// NotSupportedYet, never a crash.
#pragma once

#include "compiler/driver/Compilation.h"
#include "runtime/plan/Plan.h"

#include <memory>

namespace fulcrum::runtime {

// Null when the framework uses something the back end cannot run (reported to `sink`).
std::unique_ptr<Plan> planFramework(const Compilation& compilation,
                                    const ast::FrameworkDecl& framework, DiagnosticSink& sink);

} // namespace fulcrum::runtime
