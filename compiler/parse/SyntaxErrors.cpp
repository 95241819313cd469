// Syntax errors as diagnostics: words ANTLR's errors as "unexpected X; expected Y" with a hint
// for common mistakes, one error a line, and recovers without eating the next member.
#include "compiler/parse/SyntaxErrors.h"

#include "FulcrumParser.h"
#include "compiler/parse/TokenClasses.h"
#include "compiler/source/Limits.h"

#include <cstdlib>
#include <fmt/format.h>

namespace fulcrum {

using grammar::FulcrumParser;

std::string shortened(const std::string& text) {
  constexpr size_t kShown = 40;
  if (text.size() <= kShown)
    return text;
  size_t cut = kShown;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80)
    --cut; // never inside a UTF-8 sequence
  return text.substr(0, cut) + "...";
}

void reportTooManyErrors(DiagnosticSink& sink, SourceRange at) {
  sink.report(DiagKind::TooManyErrors, at,
              fmt::format("stopped after {} syntax errors", kMaxSyntaxErrors),
              "fix the first ones: later errors often follow from them");
}

// Whether `token` is the `/` or the `*` of `/*`: a block comment that was never closed.
static bool opensComment(antlr4::Recognizer* recognizer, const antlr4::Token* token) {
  auto* parser = dynamic_cast<antlr4::Parser*>(recognizer);
  if (parser == nullptr)
    return false;
  antlr4::TokenStream* tokens = parser->getTokenStream();
  const size_t index = token->getTokenIndex();
  auto adjacent = [](const antlr4::Token* slash, const antlr4::Token* star) {
    return slash->getType() == FulcrumParser::SLASH && star->getType() == FulcrumParser::STAR &&
           slash->getStopIndex() + 1 == star->getStartIndex();
  };
  if (token->getType() == FulcrumParser::STAR)
    return index > 0 && adjacent(tokens->get(index - 1), token);
  if (token->getType() == FulcrumParser::SLASH)
    return index + 1 < tokens->size() && adjacent(token, tokens->get(index + 1));
  return false;
}

// The innermost `open` before `token` that no `close` matches, or null.
// The token just before `token` on the default channel, or null.
static const antlr4::Token* tokenBefore(antlr4::Recognizer* recognizer,
                                        const antlr4::Token* token) {
  auto* parser = dynamic_cast<antlr4::Parser*>(recognizer);
  if (parser == nullptr)
    return nullptr;
  antlr4::TokenStream* tokens = parser->getTokenStream();
  for (size_t i = std::min(token->getTokenIndex(), tokens->size()); i-- > 0;)
    if (tokens->get(i)->getChannel() == antlr4::Token::DEFAULT_CHANNEL)
      return tokens->get(i);
  return nullptr;
}

// A weight written as a fraction or a bare number, as the percentage it means: `0.4` is
// `40%`, `40` is `40%`.
static std::string weightAsPercentage(const std::string& text) {
  char* end = nullptr;
  const double value = std::strtod(text.c_str(), &end);
  if (end == text.c_str() || text.find('.') == std::string::npos || value >= 1 || value <= 0)
    return text + "%";
  return fmt::format("{:g}%", value * 100);
}

static const antlr4::Token* unclosedBefore(antlr4::Recognizer* recognizer,
                                           const antlr4::Token* token, size_t open, size_t close) {
  auto* parser = dynamic_cast<antlr4::Parser*>(recognizer);
  if (parser == nullptr)
    return nullptr;
  antlr4::TokenStream* tokens = parser->getTokenStream();
  int depth = 0;
  for (size_t i = std::min(token->getTokenIndex(), tokens->size()); i-- > 0;) {
    const antlr4::Token* t = tokens->get(i);
    if (t->getType() == close)
      ++depth;
    else if (t->getType() == open && depth-- == 0)
      return t;
  }
  return nullptr;
}

antlr4::Token* MemberAwareRecovery::singleTokenDeletion(antlr4::Parser* parser) {
  if (startsDeclaration(parser->getCurrentToken()->getType()))
    return nullptr;
  return DefaultErrorStrategy::singleTokenDeletion(parser);
}

void SyntaxErrorCollector::syntaxError(antlr4::Recognizer* recognizer, antlr4::Token* offending,
                                       size_t, size_t, const std::string&, std::exception_ptr) {
  ++count_;
  const SourceRange range = pos_.range(offending);
  // One error per line: later ones on the same line are almost always ANTLR's recovery
  // tripping over the rest of the same mistake.
  if (!reported_.insert(range.begin.line).second)
    return;
  if (reported_.size() > kMaxSyntaxErrors)
    throw TooManySyntaxErrors{range};
  auto* parser = dynamic_cast<antlr4::Parser*>(recognizer);
  std::vector<ssize_t> expectedTypes;
  if (parser != nullptr)
    expectedTypes = parser->getExpectedTokens().toList();
  const bool nameExpected = std::find(expectedTypes.begin(), expectedTypes.end(),
                                      ssize_t{FulcrumParser::ID}) != expectedTypes.end();
  auto expects = [&](size_t type) {
    return std::find(expectedTypes.begin(), expectedTypes.end(), static_cast<ssize_t>(type)) !=
           expectedTypes.end();
  };
  // Where any expression may start, say so rather than list its first tokens.
  const bool expressionExpected =
      nameExpected && expects(FulcrumParser::INT) && expects(FulcrumParser::LPAREN);
  std::vector<std::string> expected;
  std::set<std::string> seen;
  if (expressionExpected) {
    expected.push_back("an expression");
    seen.insert("an expression");
  }
  for (ssize_t signedType : expectedTypes) {
    const auto type = static_cast<size_t>(signedType);
    if (nameExpected && isSoftKeyword(type))
      continue;
    if (expressionExpected && startsExpression(type))
      continue;
    std::string text =
        type == antlr4::Token::EOF ? endOfText_ : describeTokenType(parser->getVocabulary(), type);
    if (seen.insert(text).second)
      expected.push_back(std::move(text));
  }
  const std::string found = offending->getType() == antlr4::Token::EOF
                                ? endOfText_
                                : fmt::format("`{}`", shortened(offending->getText()));
  std::string message = "unexpected " + found;
  // At the end of the file, a missing `}` is what matters, however long the list.
  if (offending->getType() == antlr4::Token::EOF && seen.count("`}`"))
    expected = {"`}`"};
  if (!expected.empty() && expected.size() <= 8) {
    message += "; expected ";
    for (size_t i = 0; i < expected.size(); ++i)
      message += (i == 0 ? "" : i + 1 == expected.size() ? " or " : ", ") + expected[i];
  }
  std::string hint;
  const std::string text = offending->getText();
  const size_t type = offending->getType();
  if (text == "=" && !seen.count("`=`"))
    hint = "to compare, write `==`; `=` gives a metric its formula";
  else if (opensComment(recognizer, offending))
    hint = "a `/*` comment needs a closing `*/`";
  else if (isMemberKeyword(type) && seen.count("`framework`"))
    hint = fmt::format("`{}` belongs inside a framework: `framework NAME {{ subject ... "
                       "cadence ... {} ... }}`",
                       text, text);
  else if (expected.size() == 1 && expected[0] == "a percentage" &&
           (type == FulcrumParser::INT || type == FulcrumParser::DECIMAL))
    hint = weightAsPercentage(text) == text + "%"
               ? fmt::format("write the weight as a percentage: `{}%`", text)
               : fmt::format("write the weight as a percentage: {} is `{}`", text,
                             weightAsPercentage(text));
  else if (const antlr4::Token* before = tokenBefore(recognizer, offending);
           before && before->getType() == FulcrumParser::LAST && type == FulcrumParser::ID)
    hint = fmt::format("`last` takes a length ending at the as-of day: `last 1 {0}`, `last 90 "
                       "days`; for the whole {0} before this period, `previous {0}`",
                       text);
  else if (type == antlr4::Token::EOF && seen.count("`}`"))
    hint = unclosedHint(recognizer, offending, FulcrumParser::LBRACE, FulcrumParser::RBRACE,
                        "every `{` needs a matching `}`");
  else if (seen.count("`)`") && startsDeclaration(type))
    hint = unclosedHint(recognizer, offending, FulcrumParser::LPAREN, FulcrumParser::RPAREN, "");
  else if (nameExpected && !expressionExpected && type != antlr4::Token::EOF &&
           type < FulcrumParser::DURATION && !isSoftKeyword(type))
    hint = fmt::format("`{}` is a keyword and cannot be used as a name", text);
  sink_.report(DiagKind::SyntaxError, range, message, hint);
}

std::string SyntaxErrorCollector::unclosedHint(antlr4::Recognizer* recognizer,
                                               const antlr4::Token* offending, size_t open,
                                               size_t close, const std::string& fallback) const {
  const antlr4::Token* opening = unclosedBefore(recognizer, offending, open, close);
  if (opening == nullptr)
    return fallback;
  const SourceLoc at = pos_.begin(opening);
  return fmt::format("the `{}` on line {}, column {} is never closed", opening->getText(), at.line,
                     at.column);
}

} // namespace fulcrum
