// ANTLR's prediction caches: one generation serves kParsesPerGeneration files, then a fresh one
// starts, so what ANTLR learns while parsing cannot grow without bound.
#include "compiler/parse/PredictionCaches.h"

#include <memory>

namespace fulcrum {

using grammar::FulcrumLexer;
using grammar::FulcrumParser;

// One DFA per decision of `atn`, empty.
static void fill(std::vector<antlr4::dfa::DFA>& dfas, const antlr4::atn::ATN& atn) {
  dfas.reserve(atn.getNumberOfDecisions());
  for (size_t i = 0; i < atn.getNumberOfDecisions(); ++i)
    dfas.emplace_back(atn.getDecisionState(i), i);
}

PredictionCaches& PredictionCaches::forNextFile() {
  static std::unique_ptr<PredictionCaches> current;
  static size_t parses = 0;
  if (!current || ++parses % kParsesPerGeneration == 0)
    current.reset(new PredictionCaches());
  return *current;
}

void PredictionCaches::use(FulcrumLexer& lexer, FulcrumParser& parser) {
  // The generated constructors made simulators over the statics; setInterpreter deletes
  // those, and the recognizers delete these when destroyed.
  lexer.setInterpreter(
      new antlr4::atn::LexerATNSimulator(&lexer, lexer.getATN(), lexerDfa_, lexerContexts_));
  parser.setInterpreter(
      new antlr4::atn::ParserATNSimulator(&parser, parser.getATN(), parserDfa_, parserContexts_));
}

PredictionCaches::PredictionCaches() {
  // Any recognizer's ATN will do: they are the generated classes' shared, read-only graphs.
  antlr4::ANTLRInputStream empty("");
  FulcrumLexer lexer(&empty);
  antlr4::CommonTokenStream tokens(&lexer);
  FulcrumParser parser(&tokens);
  fill(lexerDfa_, lexer.getATN());
  fill(parserDfa_, parser.getATN());
}

} // namespace fulcrum
