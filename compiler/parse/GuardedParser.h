// The generated parser with guards on nesting and on the number of declarations (internal to
// compiler/parse/), and the diagnostics for reaching one of those limits.
#pragma once

#include "FulcrumParser.h"
#include "compiler/diag/Diagnostic.h"
#include "compiler/parse/TokenPositions.h"

#include <vector>

namespace fulcrum {

// Thrown (and caught by the parse driver) when input reaches a limit of compiler/source/Limits.h.
// It carries the token's position, not the token: streaming token storage is gone by the time
// the exception is caught.
struct LimitReached {
  DiagKind kind;
  size_t line;
  size_t charPositionInLine;
  size_t width;
};

// Reports `limit` as TooManyDeclarations or NestingTooDeep, with a hint.
void reportLimit(const LimitReached& limit, const TokenPositions& positions, DiagnosticSink& sink);

// The generated parser with guards on nesting and on the number of declarations, so deep or huge
// input cannot exhaust the stack or take unbounded time.
class GuardedParser : public grammar::FulcrumParser {
public:
  using FulcrumParser::FulcrumParser;

  // Starts the counts again, for a new parse of the same tokens.
  void resetLimits();

  void enterRule(antlr4::ParserRuleContext* ctx, size_t state, size_t ruleIndex) override;
  void enterRecursionRule(antlr4::ParserRuleContext* ctx, size_t state, size_t ruleIndex,
                          int precedence) override;
  // Each further operator of a left-recursive chain (`a + b + c`) wraps the tree so far in one
  // more level.
  void pushNewRecursionContext(antlr4::ParserRuleContext* ctx, size_t state,
                               size_t ruleIndex) override;
  void unrollRecursionContexts(antlr4::ParserRuleContext* parentctx) override;

private:
  // Every open `expr` and every level its chains have added so far.
  void deepen();
  [[noreturn]] void stop(DiagKind kind);

  size_t declarations_ = 0;
  std::vector<size_t> chains_; // per open `expr` rule: the operators its chain has so far
  size_t depth_ = 0;           // open `expr` rules plus all their chains' operators
};

} // namespace fulcrum
