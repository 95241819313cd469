// One lexer and parser over one text, parsing in two stages (internal to compiler/parse/).
#pragma once

#include "FulcrumLexer.h"
#include "FulcrumParser.h"
#include "compiler/parse/AstBuilder.h"
#include "compiler/parse/GuardedParser.h"
#include "compiler/parse/PredictionCaches.h"
#include "compiler/parse/SyntaxErrors.h"
#include "compiler/parse/TokenPositions.h"

#include <antlr4-runtime.h>
#include <memory>
#include <mutex>
#include <string>

namespace fulcrum {

// ANTLR 4.9's prediction caches (PredictionCaches) and its lazily filled ATN are not safe to fill
// from several threads at once, so every parse of a file holds this lock for its whole turn.
std::mutex& parsingTurn();

// One lexer + parser over one text; owns the tokens and the parse tree until destroyed.
// Stage 1 is SLL prediction that bails out at the first error; stage 2, only when stage 1
// fails, is full LL prediction with ANTLR's recovery and every syntax error reported.
class ParseSession {
public:
  ParseSession(const std::string& text, const TokenPositions& positions, DiagnosticSink& sink,
               PredictionCaches& caches, std::string endOfText = "end of file");

  // Lexes everything; false when there were lexical errors (all reported).
  bool lex();

  // Stage 1 for a whole file: SLL with bail-out, one declaration (inside a framework, one
  // member) at a time, each piece built and its parse tree freed at once, so memory stays
  // bounded by the largest piece. Null when SLL cannot parse the file.
  // Tokens are read lazily and dropped once a piece is built; a character no token starts
  // with fails the parse, so lexical errors are reported by stage 2's full lexing.
  std::unique_ptr<ast::Module> parseStreaming(AstBuilder& builder, FileId file);

  // Every token lexed, comments (the hidden channel) included. Needs lex() first.
  std::vector<antlr4::Token*> allTokens() { return tokens_.getTokens(); }

  // Runs `rule` in SLL mode and, only when that fails, again in full LL mode with recovery.
  // Returns null when there were errors (all reported). Needs lex() first.
  template <typename Ctx> Ctx* parse(Ctx* (grammar::FulcrumParser::*rule)()) {
    parser_.resetLimits();
    useSll();
    try {
      return (parser_.*rule)();
    } catch (const antlr4::ParseCancellationException&) {
      return parseWithRecovery(rule);
    }
  }

  // Stage 2: full LL prediction and ANTLR's error recovery, every syntax error reported.
  // Returns null when there were errors. Needs lex() first.
  template <typename Ctx> Ctx* parseWithRecovery(Ctx* (grammar::FulcrumParser::*rule)()) {
    useLlWithRecovery();
    auto* tree = (parser_.*rule)();
    return errors_.count() == 0 ? tree : nullptr;
  }

private:
  void useSll();
  // Rewinds to the first token and readies the parser for stage 2.
  void useLlWithRecovery();

  TokenPositions pos_;
  DiagnosticSink& sink_;
  antlr4::ANTLRInputStream input_;
  grammar::FulcrumLexer lexer_;
  antlr4::CommonTokenStream tokens_;
  GuardedParser parser_;
  SyntaxErrorCollector errors_;
};

} // namespace fulcrum
