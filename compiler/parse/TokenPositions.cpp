// Token and parse-tree positions as file positions: 1-based lines and columns, shifted for holes.
#include "compiler/parse/TokenPositions.h"

namespace fulcrum {

SourceLoc TokenPositions::begin(const antlr4::Token* token) const {
  return range(token->getLine(), token->getCharPositionInLine(), 0).begin;
}

SourceRange TokenPositions::range(size_t line, size_t charPositionInLine, size_t width) const {
  uint32_t column = static_cast<uint32_t>(charPositionInLine) + 1;
  if (line == 1)
    column += columnOffset;
  const SourceLoc begin{static_cast<uint32_t>(line) + lineOffset, column};
  return SourceRange{file, begin, {begin.line, begin.column + static_cast<uint32_t>(width)}};
}

SourceLoc TokenPositions::end(const antlr4::Token* token) const {
  SourceLoc loc = begin(token);
  if (token->getType() == antlr4::Token::EOF)
    return loc;
  // Token indexes count code points, so the width needs no text.
  loc.column += static_cast<uint32_t>(token->getStopIndex() - token->getStartIndex() + 1);
  return loc;
}

SourceRange TokenPositions::range(const antlr4::Token* token) const {
  return SourceRange{file, begin(token), end(token)};
}

SourceRange TokenPositions::range(antlr4::ParserRuleContext* ctx) const {
  const antlr4::Token* stop = ctx->getStop() ? ctx->getStop() : ctx->getStart();
  // An empty rule's stop token precedes its start.
  if (stop->getTokenIndex() < ctx->getStart()->getTokenIndex())
    stop = ctx->getStart();
  return SourceRange{file, begin(ctx->getStart()), end(stop)};
}

} // namespace fulcrum
