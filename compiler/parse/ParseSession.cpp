// The parse session: drives one lexer and parser through stage 1 (streaming SLL, built piece by
// piece) and stage 2 (full LL with recovery).
#include "compiler/parse/ParseSession.h"

#include "compiler/parse/LexicalErrors.h"

namespace fulcrum {

using grammar::FulcrumParser;

std::mutex& parsingTurn() {
  static std::mutex turn;
  return turn;
}

ParseSession::ParseSession(const std::string& text, const TokenPositions& positions,
                           DiagnosticSink& sink, PredictionCaches& caches, std::string endOfText)
    : pos_(positions), sink_(sink), input_(text), lexer_(&input_), tokens_(&lexer_),
      parser_(&tokens_), errors_(pos_, sink, std::move(endOfText)) {
  lexer_.removeErrorListeners();
  parser_.removeErrorListeners();
  caches.use(lexer_, parser_);
}

bool ParseSession::lex() {
  lexer_.reset();
  tokens_.fill();
  parser_.setTokenStream(&tokens_);
  return !reportLexicalErrors(tokens_, pos_, sink_);
}

std::unique_ptr<ast::Module> ParseSession::parseStreaming(AstBuilder& builder, FileId file) {
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

void ParseSession::useSll() {
  parser_.getInterpreter<antlr4::atn::ParserATNSimulator>()->setPredictionMode(
      antlr4::atn::PredictionMode::SLL);
  parser_.setErrorHandler(std::make_shared<antlr4::BailErrorStrategy>());
}

void ParseSession::useLlWithRecovery() {
  tokens_.seek(0);
  parser_.setTokenStream(&tokens_); // also resets the parser
  parser_.resetLimits();
  parser_.addErrorListener(&errors_);
  parser_.setErrorHandler(std::make_shared<MemberAwareRecovery>());
  parser_.getInterpreter<antlr4::atn::ParserATNSimulator>()->setPredictionMode(
      antlr4::atn::PredictionMode::LL);
}

} // namespace fulcrum
