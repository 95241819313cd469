// The parse phase: source text -> ast::Module. The only phase that sees ANTLR.
#pragma once

#include "compiler/ast/Ast.h"
#include "compiler/diag/Diagnostic.h"
#include "compiler/source/Limits.h"

#include <memory>

namespace fulcrum {

// Parses one file. Every syntax error is reported to `sink` (up to kMaxSyntaxErrors); when there
// is any, or the file exceeds a limit of compiler/source/Limits.h, the result is null (checking a
// half-parsed file would only add noise).
std::unique_ptr<ast::Module> parseFile(const SourceManager& sources, FileId file,
                                       DiagnosticSink& sink);
// Parses the whole of `file` as one expression (`--only 'manager == "Mo"'`); null after
// reporting its syntax errors to `sink`.
ast::ExprPtr parseExpression(const SourceManager& sources, FileId file, DiagnosticSink& sink);

} // namespace fulcrum
