// Warnings about `case`: arms no value can reach, and bands that can see a missing input but
// say nothing about it (so a rep with no data cannot land in a PIP arm by accident).
#pragma once

#include "compiler/ast/Ast.h"
#include "compiler/diag/Diagnostic.h"

namespace fulcrum {

void checkCaseReachability(const ast::CaseExpr& caseExpr, DiagnosticSink& sink);
void checkBandMissingArm(const ast::BandMember& band, DiagnosticSink& sink);

} // namespace fulcrum
