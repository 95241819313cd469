// The framework pass: members, their dependency order and their expressions.
#pragma once

#include "compiler/check/ExprChecker.h"

namespace fulcrum {

void checkFramework(ast::FrameworkDecl& framework, const Symbols& symbols, DiagnosticSink& sink);

} // namespace fulcrum
