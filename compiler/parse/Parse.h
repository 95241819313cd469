// The parse phase: source text -> ast::Module. The only phase that sees ANTLR.
#pragma once

#include "compiler/ast/Ast.h"
#include "compiler/diag/Diagnostic.h"

#include <memory>

namespace fulcrum {

// How deeply expressions may nest; deeper input gets a NestingTooDeep error, never a crash.
inline constexpr int kMaxNesting = 256;

// Parses one file. Every syntax error is reported to `sink`; when there is any, the result is
// null (checking a half-parsed file would only add noise).
std::unique_ptr<ast::Module> parseFile(const SourceManager& sources, FileId file,
                                       DiagnosticSink& sink);

} // namespace fulcrum
