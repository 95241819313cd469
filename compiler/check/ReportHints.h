// A framework's `report { ... }` block: the names its quadrant and funnel give are the
// framework's numbers (and a funnel's stage may be a param), once the members are checked.
#pragma once

#include "compiler/check/ExprChecker.h"

namespace fulcrum {

void checkReportHints(const ast::ReportMember& report, const FrameworkScope& scope,
                      const Symbols& symbols, DiagnosticSink& sink);

} // namespace fulcrum
