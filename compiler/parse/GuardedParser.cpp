// The guarded parser: counts declarations and expression nesting while ANTLR parses, and stops
// the parse with LimitReached at a limit of compiler/source/Limits.h.
#include "compiler/parse/GuardedParser.h"

#include "compiler/source/Limits.h"

#include <fmt/format.h>

namespace fulcrum {

void reportLimit(const LimitReached& limit, const TokenPositions& positions, DiagnosticSink& sink) {
  const SourceRange at = positions.range(limit.line, limit.charPositionInLine, limit.width);
  if (limit.kind == DiagKind::TooManyDeclarations)
    sink.report(limit.kind, at, fmt::format("file has more than {} declarations", kMaxDeclarations),
                "split it into modules joined with `import`");
  else
    sink.report(DiagKind::NestingTooDeep, at,
                fmt::format("expression is nested more than {} levels deep", kMaxNesting),
                "split it into several metrics");
}

void GuardedParser::resetLimits() {
  declarations_ = 0;
  chains_.clear();
  depth_ = 0;
}

void GuardedParser::enterRule(antlr4::ParserRuleContext* ctx, size_t state, size_t ruleIndex) {
  FulcrumParser::enterRule(ctx, state, ruleIndex);
  switch (ruleIndex) {
  case RuleDecl:
  case RuleMember:
  case RuleFieldDecl:
  case RuleComponent:
  case RuleKeyResult:
  case RuleTestItem:
    if (++declarations_ > kMaxDeclarations)
      stop(DiagKind::TooManyDeclarations);
    break;
  default:
    break;
  }
}

void GuardedParser::enterRecursionRule(antlr4::ParserRuleContext* ctx, size_t state,
                                       size_t ruleIndex, int precedence) {
  FulcrumParser::enterRecursionRule(ctx, state, ruleIndex, precedence);
  if (ruleIndex != RuleExpr)
    return;
  chains_.push_back(0);
  deepen();
}

void GuardedParser::pushNewRecursionContext(antlr4::ParserRuleContext* ctx, size_t state,
                                            size_t ruleIndex) {
  FulcrumParser::pushNewRecursionContext(ctx, state, ruleIndex);
  if (ruleIndex != RuleExpr || chains_.empty())
    return;
  ++chains_.back();
  deepen();
}

void GuardedParser::unrollRecursionContexts(antlr4::ParserRuleContext* parentctx) {
  if (!chains_.empty() && _ctx != nullptr && _ctx->getRuleIndex() == RuleExpr) {
    depth_ -= chains_.back() + 1; // the rule and every link of its chain
    chains_.pop_back();
  }
  FulcrumParser::unrollRecursionContexts(parentctx);
}

void GuardedParser::deepen() {
  if (++depth_ > static_cast<size_t>(kMaxNesting))
    stop(DiagKind::NestingTooDeep);
}

void GuardedParser::stop(DiagKind kind) {
  const antlr4::Token* token = getCurrentToken();
  throw LimitReached{kind, token->getLine(), token->getCharPositionInLine(),
                     token->getStopIndex() - token->getStartIndex() + 1};
}

} // namespace fulcrum
