// Token and parse-tree positions as file positions (internal to compiler/parse/).
#pragma once

#include "compiler/source/SourceManager.h"

#include <antlr4-runtime.h>

namespace fulcrum {

// Maps token positions to file positions; a string hole is parsed on its own, so its tokens
// are shifted to where the hole sits in the file.
struct TokenPositions {
  FileId file = 0;
  uint32_t lineOffset = 0;   // added to every token line
  uint32_t columnOffset = 0; // added to columns of the text's first line

  SourceLoc begin(const antlr4::Token* token) const;
  SourceLoc end(const antlr4::Token* token) const;
  SourceRange range(const antlr4::Token* token) const;
  // A range from a token's raw position: ANTLR line, 0-based column, width in characters.
  SourceRange range(size_t line, size_t charPositionInLine, size_t width) const;
  SourceRange range(antlr4::ParserRuleContext* ctx) const;
};

} // namespace fulcrum
