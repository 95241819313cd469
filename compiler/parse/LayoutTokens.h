// The parse phase's view of a file for `fulcrum fmt`: every token, comments included, marked
// with its part in the layout (where items start, which braces hold one item per line, what to
// align). compiler/format/ lays these out; it never sees the parse tree.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace fulcrum {

// How a token takes part in the layout; everything not listed is Plain (one space either side).
enum class TokenRole : uint8_t {
  Plain,
  LineComment,
  BlockComment,
  BlockOpen,  // `{` of a body laid out one item per line: entity, table, framework, score,
  BlockClose, // objective, case, test
  InlineOpen, // `{` of a test's row or expected values: `{ name: "Ann" }`
  InlineClose,
  OpenParen,
  CloseParen,
  Callee,         // the name before a call's or a function declaration's `(`
  PrefixMinus,    // `-x`, `-5..5`
  BinaryOperator, // `+`, `and`, `??`, ...: a line it starts goes one step further in
  RangeBound,     // a bound of `in 1..5`, written against its `..`
  DotDot,
  Dot,
  Comma,
  Colon,
  Question, // `date?`
};

struct LayoutToken {
  std::string text;
  uint32_t line = 0;    // 1-based, where the token starts in the source
  uint32_t endLine = 0; // where it ends (a block comment may span lines)
  TokenRole role = TokenRole::Plain;
  bool startsDecl = false; // the first token of a top-level declaration
  bool endsDecl = false;   // its last token
  bool startsItem = false; // the first token of an item of a block (a field, member, arm, ...)
  // Tokens with the same group (>= 0) line up in one column when each is on its item's first
  // line: a case's `=>`, a score's weights.
  int alignGroup = -1;
};

// The tokens of `text` when it parses without a syntax error; nullopt otherwise (parseFile
// reports why).
std::optional<std::vector<LayoutToken>> layoutTokens(const std::string& text);

} // namespace fulcrum
