// Lexical checks: reports bytes that are not UTF-8 before ANTLR sees them, and each bad
// character or unclosed string in the lexed tokens, with a hint for what to write instead.
#include "compiler/parse/LexicalErrors.h"

#include "FulcrumLexer.h"
#include "compiler/parse/SyntaxErrors.h"
#include "compiler/source/Limits.h"
#include "support/Currency.h"
#include "support/Text.h"

#include <fmt/format.h>

namespace fulcrum {

using grammar::FulcrumLexer;

bool checkUtf8(const SourceFile& file, FileId id, DiagnosticSink& sink) {
  const std::string& text = file.text;
  uint32_t line = 1, column = 1;
  for (size_t i = 0; i < text.size();) {
    const auto c = static_cast<unsigned char>(text[i]);
    // Well-formed UTF-8 only: what ANTLR's decoder accepts (it throws on the rest).
    const size_t length = utf8CharacterLength(text, i);
    if (length == 0) {
      sink.report(DiagKind::InvalidCharacter, SourceRange{id, {line, column}, {line, column + 1}},
                  fmt::format("byte 0x{:02X} is not valid UTF-8", c), "save the file as UTF-8");
      return false;
    }
    if (c == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
    i += length;
  }
  return true;
}

// What to write instead of a character that people paste or bring from other languages.
static std::string invalidCharacterHint(const std::string& text) {
  static const std::vector<std::pair<std::string, std::string>> replacements = {
      {"\u201C", "write straight double quotes: `\"`"},
      {"\u201D", "write straight double quotes: `\"`"},
      {"\u2018", "text is written in straight double quotes: `\"`"},
      {"\u2019", "text is written in straight double quotes: `\"`"},
      {"'", "text is written in double quotes: `\"`"},
      {"\u2265", "write `>=`"},
      {"\u2264", "write `<=`"},
      {"\u2260", "write `!=`"},
      {"\u2212", "write `-`"},
      {"\u2013", "write `-`"},
      {"\u00D7", "write `*`"},
      {"\u00F7", "write `/`"},
      {"&", "write `and`"},
      {"|", "write `or`"},
      {"!", "write `not`, or `!=` to compare"},
      {"#", "comments start with `//`"},
      {";", "no `;` is needed; each declaration and member starts on its own"},
  };
  for (const auto& [character, hint] : replacements)
    if (text.rfind(character, 0) == 0)
      return hint;
  // A currency sign not before digits (`40€`, `€ 40`): where the sign goes (Currency.h's rows).
  if (const Currency* currency = currencyOfSign(text))
    return fmt::format("the currency sign goes right before the digits: `{}40`, `{}1.2M` (in a "
                       "program that declares `currency {}`)",
                       currency->sign, currency->sign, currency->code);
  return "";
}

bool reportLexicalErrors(antlr4::CommonTokenStream& tokens, const TokenPositions& pos,
                         DiagnosticSink& sink) {
  const std::vector<antlr4::Token*> all = tokens.getTokens();
  auto isBadCharacter = [](const antlr4::Token* token) {
    return token->getType() == FulcrumLexer::UNKNOWN_CHAR && token->getText() != "\"";
  };
  bool any = false;
  size_t reported = 0;
  for (size_t i = 0; i < all.size(); ++i) {
    antlr4::Token* token = all[i];
    if (token->getType() != FulcrumLexer::UNKNOWN_CHAR)
      continue;
    any = true;
    if (++reported > kMaxSyntaxErrors)
      throw TooManySyntaxErrors{pos.range(token)};
    if (!isBadCharacter(token)) {
      sink.report(DiagKind::UnterminatedString, pos.range(token),
                  "string is not closed before the end of the line",
                  "add the closing `\"`; write `\\\"` for a quote inside a string");
      continue;
    }
    std::string text = token->getText();
    SourceRange range = pos.range(token);
    while (i + 1 < all.size() && isBadCharacter(all[i + 1]) &&
           all[i + 1]->getStartIndex() == all[i]->getStopIndex() + 1) {
      ++i;
      text += all[i]->getText();
      range.end = pos.range(all[i]).end;
    }
    sink.report(DiagKind::InvalidCharacter, range,
                fmt::format("unexpected character{} `{}`",
                            range.end.column - range.begin.column > 1 ? "s" : "", shortened(text)),
                invalidCharacterHint(text));
  }
  return any;
}

} // namespace fulcrum
