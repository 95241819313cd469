// Lexical checks (internal to compiler/parse/): bytes that are not UTF-8, characters no token
// starts with, and strings not closed on their line.
#pragma once

#include "compiler/diag/Diagnostic.h"
#include "compiler/parse/TokenPositions.h"

#include <antlr4-runtime.h>

namespace fulcrum {

// Reports the first byte that is not valid UTF-8; ANTLR's decoder would throw on it.
bool checkUtf8(const SourceFile& file, FileId id, DiagnosticSink& sink);

// Lexical errors: characters no token starts with (a run of them, like `&&`, is one error),
// and unclosed strings. True when there was any (all reported); throws TooManySyntaxErrors
// past kMaxSyntaxErrors.
bool reportLexicalErrors(antlr4::CommonTokenStream& tokens, const TokenPositions& pos,
                         DiagnosticSink& sink);

} // namespace fulcrum
