// Warnings about `case`: arms no value can reach, gaps between arms' bounds, and bands that can see
// a missing input but say nothing about it (so a rep with no data cannot land in a PIP arm by
// accident).
#pragma once

#include "compiler/ast/Ast.h"
#include "compiler/diag/Diagnostic.h"

namespace fulcrum {

void checkCaseReachability(const ast::CaseExpr& caseExpr, DiagnosticSink& sink);
// A case whose arms are thresholds on one value (`llr >= 3.5`, `llr >= 2.0 and llr < 3.0`): each
// interval between two arms' bounds that no arm matches, which falls to `else` (or to missing).
void checkCaseGaps(const ast::CaseExpr& caseExpr, DiagnosticSink& sink);
void checkBandMissingArm(const ast::BandMember& band, DiagnosticSink& sink);

} // namespace fulcrum
