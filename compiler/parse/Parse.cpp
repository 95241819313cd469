// The parse driver: lexes, parses in two stages (SLL with bail-out, then full LL with error
// recovery), turns ANTLR's errors into diagnostics and hands the tree to the AstBuilder.
// ANTLR's exceptions and console output never leave this file.
#include "compiler/parse/Parse.h"

#include "FulcrumLexer.h"
#include "FulcrumParser.h"
#include "compiler/parse/AstBuilder.h"
#include "support/Text.h"

#include <antlr4-runtime.h>
#include <fmt/format.h>
#include <memory>
#include <mutex>
#include <set>

namespace fulcrum {

using grammar::FulcrumLexer;
using grammar::FulcrumParser;

namespace {

// Thrown (and caught in this file) when input reaches a limit of compiler/source/Limits.h.
// It carries the token's position, not the token: streaming token storage is gone by the time
// the exception is caught.
struct LimitReached {
  DiagKind kind;
  size_t line;
  size_t charPositionInLine;
  size_t width;
};

// The generated parser with guards on nesting and on the number of declarations, so deep or huge
// input cannot exhaust the stack or take unbounded time.
class GuardedParser : public FulcrumParser {
public:
  using FulcrumParser::FulcrumParser;

  // Starts the counts again, for a new parse of the same tokens.
  void resetLimits() {
    declarations_ = 0;
    chains_.clear();
    depth_ = 0;
  }

  void enterRule(antlr4::ParserRuleContext* ctx, size_t state, size_t ruleIndex) override {
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

  void enterRecursionRule(antlr4::ParserRuleContext* ctx, size_t state, size_t ruleIndex,
                          int precedence) override {
    FulcrumParser::enterRecursionRule(ctx, state, ruleIndex, precedence);
    if (ruleIndex != RuleExpr)
      return;
    chains_.push_back(0);
    deepen();
  }

  // Each further operator of a left-recursive chain (`a + b + c`) wraps the tree so far in one
  // more level.
  void pushNewRecursionContext(antlr4::ParserRuleContext* ctx, size_t state,
                               size_t ruleIndex) override {
    FulcrumParser::pushNewRecursionContext(ctx, state, ruleIndex);
    if (ruleIndex != RuleExpr || chains_.empty())
      return;
    ++chains_.back();
    deepen();
  }

  void unrollRecursionContexts(antlr4::ParserRuleContext* parentctx) override {
    if (!chains_.empty() && _ctx != nullptr && _ctx->getRuleIndex() == RuleExpr) {
      depth_ -= chains_.back() + 1; // the rule and every link of its chain
      chains_.pop_back();
    }
    FulcrumParser::unrollRecursionContexts(parentctx);
  }

private:
  // Every open `expr` and every level its chains have added so far.
  void deepen() {
    if (++depth_ > static_cast<size_t>(kMaxNesting))
      stop(DiagKind::NestingTooDeep);
  }

  [[noreturn]] void stop(DiagKind kind) {
    const antlr4::Token* token = getCurrentToken();
    throw LimitReached{kind, token->getLine(), token->getCharPositionInLine(),
                       token->getStopIndex() - token->getStartIndex() + 1};
  }

  size_t declarations_ = 0;
  std::vector<size_t> chains_; // per open `expr` rule: the operators its chain has so far
  size_t depth_ = 0;           // open `expr` rules plus all their chains' operators
};

// Thrown by the error collector (and caught in this file) once kMaxSyntaxErrors are reported.
struct TooManySyntaxErrors {
  SourceRange at;
};

// Offending text as messages quote it: a long token (a 2 MB name) is cut, not printed whole.
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

// How a token type reads in "expected ..." lists.
std::string describeTokenType(const antlr4::dfa::Vocabulary& vocabulary, size_t type) {
  switch (type) {
  case antlr4::Token::EOF:
    return "end of file";
  case FulcrumParser::ID:
    return "a name";
  case FulcrumParser::INT:
  case FulcrumParser::DECIMAL:
    return "a number";
  case FulcrumParser::STRING:
    return "a string";
  case FulcrumParser::PERCENT:
    return "a percentage";
  case FulcrumParser::MONEY:
    return "an amount";
  case FulcrumParser::DATE:
    return "a date";
  case FulcrumParser::PERIOD_LIT:
    return "a period";
  case FulcrumParser::DURATION:
    return "a duration";
  default:
    break;
  }
  std::string literal = vocabulary.getLiteralName(type);
  if (literal.size() >= 2 && literal.front() == '\'')
    return "`" + literal.substr(1, literal.size() - 2) + "`";
  return vocabulary.getSymbolicName(type);
}

bool startsExpression(size_t type) {
  switch (type) {
  case FulcrumParser::INT:
  case FulcrumParser::DECIMAL:
  case FulcrumParser::PERCENT:
  case FulcrumParser::MONEY:
  case FulcrumParser::DATE:
  case FulcrumParser::PERIOD_LIT:
  case FulcrumParser::DURATION:
  case FulcrumParser::STRING:
  case FulcrumParser::TRUE:
  case FulcrumParser::FALSE:
  case FulcrumParser::MISSING:
  case FulcrumParser::ID:
  case FulcrumParser::LPAREN:
  case FulcrumParser::MINUS:
  case FulcrumParser::NOT:
  case FulcrumParser::IF:
  case FulcrumParser::CASE:
    return true;
  default:
    return false;
  }
}

bool isSoftKeyword(size_t type) {
  switch (type) {
  case FulcrumParser::KEY:
  case FulcrumParser::TARGET:
  case FulcrumParser::WEIGHT:
  case FulcrumParser::PRIORITY:
  case FulcrumParser::SUBJECT:
  case FulcrumParser::CADENCE:
  case FulcrumParser::LAST:
  case FulcrumParser::PREVIOUS:
  case FulcrumParser::OUT:
  case FulcrumParser::BELOW:
  case FulcrumParser::ASC:
  case FulcrumParser::DESC:
  case FulcrumParser::MESSAGE:
  case FulcrumParser::EXPECT:
  case FulcrumParser::AS_OF:
  case FulcrumParser::ON:
  case FulcrumParser::WITHIN:
  case FulcrumParser::ORDER:
  case FulcrumParser::DISTINCT:
  case FulcrumParser::PERIOD_KW:
    return true;
  default:
    return false;
  }
}

// Keywords that start a framework member.
bool isMemberKeyword(size_t type) {
  switch (type) {
  case FulcrumParser::METRIC:
  case FulcrumParser::SCORE:
  case FulcrumParser::BAND:
  case FulcrumParser::OBJECTIVE:
  case FulcrumParser::RANK:
  case FulcrumParser::ALERT:
  case FulcrumParser::CHECK:
    return true;
  default:
    return false;
  }
}

// Keywords that begin a declaration, a framework member or a key result: recovery never
// deletes one to repair the line before, since it almost always starts the next, healthy piece.
bool startsDeclaration(size_t type) {
  switch (type) {
  case FulcrumParser::ENTITY:
  case FulcrumParser::TABLE:
  case FulcrumParser::PARAM:
  case FulcrumParser::GROUP:
  case FulcrumParser::FN:
  case FulcrumParser::IMPORT:
  case FulcrumParser::FRAMEWORK:
  case FulcrumParser::TEST:
  case FulcrumParser::KEY_RESULT:
    return true;
  default:
    return isMemberKeyword(type);
  }
}

// Whether `token` is the `/` or the `*` of `/*`: a block comment that was never closed.
bool opensComment(antlr4::Recognizer* recognizer, const antlr4::Token* token) {
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
const antlr4::Token* unclosedBefore(antlr4::Recognizer* recognizer, const antlr4::Token* token,
                                    size_t open, size_t close) {
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

// ANTLR's recovery, except that it does not swallow the keyword that starts the next member.
class MemberAwareRecovery : public antlr4::DefaultErrorStrategy {
protected:
  antlr4::Token* singleTokenDeletion(antlr4::Parser* parser) override {
    if (startsDeclaration(parser->getCurrentToken()->getType()))
      return nullptr;
    return DefaultErrorStrategy::singleTokenDeletion(parser);
  }
};

// Collects syntax errors as diagnostics, one per line.
class SyntaxErrorCollector : public antlr4::BaseErrorListener {
public:
  // `endOfText` names the end of the input: the end of the file, or a hole's closing `}`.
  SyntaxErrorCollector(const TokenPositions& positions, DiagnosticSink& sink, std::string endOfText)
      : pos_(positions), sink_(sink), endOfText_(std::move(endOfText)) {}

  void syntaxError(antlr4::Recognizer* recognizer, antlr4::Token* offending, size_t, size_t,
                   const std::string&, std::exception_ptr) override {
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
      std::string text = type == antlr4::Token::EOF
                             ? endOfText_
                             : describeTokenType(parser->getVocabulary(), type);
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
      hint = fmt::format("write the weight as a percentage: `{}%`", text);
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

  size_t count() const { return count_; }

private:
  // Where the bracket that `offending` should have closed was opened.
  std::string unclosedHint(antlr4::Recognizer* recognizer, const antlr4::Token* offending,
                           size_t open, size_t close, const std::string& fallback) const {
    const antlr4::Token* opening = unclosedBefore(recognizer, offending, open, close);
    if (opening == nullptr)
      return fallback;
    const SourceLoc at = pos_.begin(opening);
    return fmt::format("the `{}` on line {}, column {} is never closed", opening->getText(),
                       at.line, at.column);
  }

  const TokenPositions& pos_;
  DiagnosticSink& sink_;
  std::string endOfText_;
  std::set<uint32_t> reported_; // lines with an error
  size_t count_ = 0;
};

// Reports the first byte that is not valid UTF-8; ANTLR's decoder would throw on it.
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
std::string invalidCharacterHint(const std::string& text) {
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
      {"\u20AC", "amounts of money are written with `$`: `$40`, `$1.2M`"},
      {"\u00A3", "amounts of money are written with `$`: `$40`, `$1.2M`"},
  };
  for (const auto& [character, hint] : replacements)
    if (text.rfind(character, 0) == 0)
      return hint;
  return "";
}

// Lexical errors: characters no token starts with (a run of them, like `&&`, is one error),
// and unclosed strings.
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

// ANTLR's prediction caches: DFA states and prediction contexts learned while parsing, which
// make later parses fast. The generated classes keep them in statics that only ever grow (by a
// little for each new shape of input), so the front end keeps its own and starts them afresh
// every kParsesPerGeneration files: memory stays bounded in a long-lived host. They are
// touched only under parseFile's lock (ANTLR 4.9 does not make them safe to share).
class PredictionCaches {
public:
  static constexpr size_t kParsesPerGeneration = 1000;

  // The caches for the next file; called once per file, under the parse lock.
  static PredictionCaches& forNextFile() {
    static std::unique_ptr<PredictionCaches> current;
    static size_t parses = 0;
    if (!current || ++parses % kParsesPerGeneration == 0)
      current.reset(new PredictionCaches());
    return *current;
  }

  // Makes `lexer` and `parser` predict with these caches.
  void use(FulcrumLexer& lexer, FulcrumParser& parser) {
    // The generated constructors made simulators over the statics; setInterpreter deletes
    // those, and the recognizers delete these when destroyed.
    lexer.setInterpreter(
        new antlr4::atn::LexerATNSimulator(&lexer, lexer.getATN(), lexerDfa_, lexerContexts_));
    parser.setInterpreter(
        new antlr4::atn::ParserATNSimulator(&parser, parser.getATN(), parserDfa_, parserContexts_));
  }

private:
  PredictionCaches() {
    // Any recognizer's ATN will do: they are the generated classes' shared, read-only graphs.
    antlr4::ANTLRInputStream empty("");
    FulcrumLexer lexer(&empty);
    antlr4::CommonTokenStream tokens(&lexer);
    FulcrumParser parser(&tokens);
    fill(lexerDfa_, lexer.getATN());
    fill(parserDfa_, parser.getATN());
  }

  static void fill(std::vector<antlr4::dfa::DFA>& dfas, const antlr4::atn::ATN& atn) {
    dfas.reserve(atn.getNumberOfDecisions());
    for (size_t i = 0; i < atn.getNumberOfDecisions(); ++i)
      dfas.emplace_back(atn.getDecisionState(i), i);
  }

  std::vector<antlr4::dfa::DFA> lexerDfa_, parserDfa_;
  antlr4::atn::PredictionContextCache lexerContexts_, parserContexts_;
};

// One lexer + parser over one text; owns the tokens and the parse tree until destroyed.
class ParseSession {
public:
  ParseSession(const std::string& text, const TokenPositions& positions, DiagnosticSink& sink,
               PredictionCaches& caches, std::string endOfText = "end of file")
      : pos_(positions), sink_(sink), input_(text), lexer_(&input_), tokens_(&lexer_),
        parser_(&tokens_), errors_(pos_, sink, std::move(endOfText)) {
    lexer_.removeErrorListeners();
    parser_.removeErrorListeners();
    caches.use(lexer_, parser_);
  }

  // Lexes everything; false when there were lexical errors (all reported).
  bool lex() {
    lexer_.reset();
    tokens_.fill();
    parser_.setTokenStream(&tokens_);
    return !reportLexicalErrors(tokens_, pos_, sink_);
  }

  // Stage 1 for a whole file: SLL with bail-out, one declaration (inside a framework, one
  // member) at a time, each piece built and its parse tree freed at once, so memory stays
  // bounded by the largest piece. Null when SLL cannot parse the file.
  // Tokens are read lazily and dropped once a piece is built; a character no token starts
  // with fails the parse, so lexical errors are reported by stage 2's full lexing.
  std::unique_ptr<ast::Module> parseStreaming(AstBuilder& builder, FileId file) {
    antlr4::UnbufferedTokenStream stream(&lexer_);
    parser_.setTokenStream(&stream);
    parser_.resetLimits();
    useSll();
    auto module = std::make_unique<ast::Module>();
    module->file = file;
    // Each piece holds a mark, so its tokens live until its AST is built.
    auto piece = [&](auto parse, auto build) {
      const ssize_t marker = stream.mark();
      build(parse());
      parser_.getTreeTracker().reset();
      stream.release(marker);
    };
    try {
      while (stream.LA(1) != antlr4::Token::EOF) {
        if (stream.LA(1) != FulcrumParser::FRAMEWORK) {
          piece([&] { return parser_.decl(); },
                [&](auto* decl) { module->decls.push_back(builder.buildDecl(decl)); });
          continue;
        }
        std::unique_ptr<ast::FrameworkDecl> framework;
        piece([&] { return parser_.frameworkHead(); },
              [&](auto* head) { framework = builder.buildFrameworkHead(head); });
        while (stream.LA(1) != FulcrumParser::RBRACE && stream.LA(1) != antlr4::Token::EOF)
          piece([&] { return parser_.member(); },
                [&](auto* member) { framework->members.push_back(builder.buildMember(member)); });
        piece([&] { return parser_.frameworkEnd(); },
              [&](auto* end) { framework->range.end = pos_.end(end->getStop()); });
        module->decls.push_back(std::move(framework));
      }
    } catch (const antlr4::ParseCancellationException&) {
      parser_.setTokenStream(&tokens_); // the streaming source is about to go away
      return nullptr;
    }
    parser_.setTokenStream(&tokens_);
    return module;
  }

  // Runs `rule` in SLL mode and, only when that fails, again in full LL mode with recovery.
  // Returns null when there were errors (all reported).
  template <typename Ctx> Ctx* parse(Ctx* (FulcrumParser::*rule)()) {
    parser_.resetLimits();
    useSll();
    try {
      return (parser_.*rule)();
    } catch (const antlr4::ParseCancellationException&) {
      return parseWithRecovery(rule);
    }
  }

  // Stage 2: full LL prediction and ANTLR's error recovery, every syntax error reported.
  template <typename Ctx> Ctx* parseWithRecovery(Ctx* (FulcrumParser::*rule)()) {
    tokens_.seek(0);
    parser_.setTokenStream(&tokens_); // also resets the parser
    parser_.resetLimits();
    parser_.addErrorListener(&errors_);
    parser_.setErrorHandler(std::make_shared<MemberAwareRecovery>());
    parser_.getInterpreter<antlr4::atn::ParserATNSimulator>()->setPredictionMode(
        antlr4::atn::PredictionMode::LL);
    auto* tree = (parser_.*rule)();
    return errors_.count() == 0 ? tree : nullptr;
  }

  void reportLimit(const LimitReached& limit) {
    const SourceRange at = pos_.range(limit.line, limit.charPositionInLine, limit.width);
    if (limit.kind == DiagKind::TooManyDeclarations)
      sink_.report(limit.kind, at,
                   fmt::format("file has more than {} declarations", kMaxDeclarations),
                   "split it into modules joined with `import`");
    else
      sink_.report(DiagKind::NestingTooDeep, at,
                   fmt::format("expression is nested more than {} levels deep", kMaxNesting),
                   "split it into several metrics");
  }

private:
  void useSll() {
    parser_.getInterpreter<antlr4::atn::ParserATNSimulator>()->setPredictionMode(
        antlr4::atn::PredictionMode::SLL);
    parser_.setErrorHandler(std::make_shared<antlr4::BailErrorStrategy>());
  }

  TokenPositions pos_;
  DiagnosticSink& sink_;
  antlr4::ANTLRInputStream input_;
  FulcrumLexer lexer_;
  antlr4::CommonTokenStream tokens_;
  GuardedParser parser_;
  SyntaxErrorCollector errors_;
};

ast::ExprPtr parseHole(const std::string& text, TokenPositions positions, DiagnosticSink& sink,
                       int depth, PredictionCaches& caches) {
  ParseSession session(text, positions, sink, caches, "`}`"); // a hole ends at its `}`
  const SourceRange range{positions.file,
                          {positions.lineOffset + 1, positions.columnOffset + 1},
                          {positions.lineOffset + 1, positions.columnOffset + 1}};
  FulcrumParser::HoleExprContext* tree = nullptr;
  try {
    if (session.lex())
      tree = session.parse(&FulcrumParser::holeExpr);
  } catch (const LimitReached& limit) {
    session.reportLimit(limit);
  } catch (const TooManySyntaxErrors& stop) {
    reportTooManyErrors(sink, stop.at);
  }
  if (tree == nullptr)
    return std::make_unique<ast::ErrorExpr>(range);
  HoleParser nested = [&sink, &caches, file = positions.file](const std::string& hole, SourceLoc at,
                                                              int nestedDepth) {
    return parseHole(hole, TokenPositions{file, at.line - 1, at.column - 1}, sink, nestedDepth,
                     caches);
  };
  AstBuilder builder(positions, sink, nested, depth);
  return builder.buildExpr(tree->expr());
}

} // namespace

std::unique_ptr<ast::Module> parseFile(const SourceManager& sources, FileId file,
                                       DiagnosticSink& sink) {
  // ANTLR 4.9's prediction caches (PredictionCaches) and its lazily filled ATN are not safe to
  // fill from several threads at once, so parses take turns. A file's string holes are parsed
  // inside its turn.
  static std::mutex parsing;
  const std::lock_guard<std::mutex> turn(parsing);
  const SourceFile& source = sources.file(file);
  if (source.text.size() > kMaxSourceBytes) {
    sink.report(DiagKind::SourceTooLarge, SourceRange{file, {1, 1}, {1, 1}},
                fmt::format("file is larger than {} MiB, the limit for one source file",
                            kMaxSourceBytes >> 20),
                "split it into modules joined with `import`");
    return nullptr;
  }
  for (uint32_t line = 1; line <= source.lineStarts.size(); ++line) {
    const size_t length = source.lineText(line).size();
    if (length > kMaxLineBytes) {
      sink.report(
          DiagKind::LineTooLong, SourceRange{file, {line, 1}, {line, 1}},
          fmt::format("line is {} bytes long; the limit is {} KiB", length, kMaxLineBytes >> 10),
          "break it: a declaration or expression may go on over several lines");
      return nullptr;
    }
  }
  if (!checkUtf8(source, file, sink))
    return nullptr;
  const TokenPositions positions{file, 0, 0};
  PredictionCaches& caches = PredictionCaches::forNextFile();
  ParseSession session(source.text, positions, sink, caches); // the BOM is already dropped
  const size_t errorsBefore = sink.errorCount();
  try {
    // Stage 1's own diagnostics (bad literals, holes) are kept aside: if SLL gives up, stage 2
    // builds everything again and would report them twice.
    DiagnosticSink staged;
    HoleParser stagedHoles = [&staged, &caches, file](const std::string& hole, SourceLoc at,
                                                      int depth) {
      return parseHole(hole, TokenPositions{file, at.line - 1, at.column - 1}, staged, depth,
                       caches);
    };
    AstBuilder streaming(positions, staged, stagedHoles);
    if (auto module = session.parseStreaming(streaming, file)) {
      for (const Diagnostic& d : staged.diagnostics())
        sink.report(d.kind, d.range, d.message, d.hint);
      // Literal and hole errors leave holes in the tree; checking it would only add noise.
      return staged.hasErrors() ? nullptr : std::move(module);
    }
    if (!session.lex())
      return nullptr;
    auto* tree = session.parseWithRecovery(&FulcrumParser::program);
    if (tree == nullptr)
      return nullptr;
    HoleParser holes = [&sink, &caches, file](const std::string& hole, SourceLoc at, int depth) {
      return parseHole(hole, TokenPositions{file, at.line - 1, at.column - 1}, sink, depth, caches);
    };
    AstBuilder builder(positions, sink, holes);
    auto module = builder.buildModule(tree);
    return sink.errorCount() > errorsBefore ? nullptr : std::move(module);
  } catch (const LimitReached& limit) {
    session.reportLimit(limit);
    return nullptr;
  } catch (const TooManySyntaxErrors& stop) {
    reportTooManyErrors(sink, stop.at);
    return nullptr;
  }
}

} // namespace fulcrum
