// ANTLR's prediction caches, kept per generation of files (internal to compiler/parse/).
#pragma once

#include "FulcrumLexer.h"
#include "FulcrumParser.h"

#include <antlr4-runtime.h>
#include <vector>

namespace fulcrum {

// ANTLR's prediction caches: DFA states and prediction contexts learned while parsing, which
// make later parses fast. The generated classes keep them in statics that only ever grow (by a
// little for each new shape of input), so the front end keeps its own and starts them afresh
// every kParsesPerGeneration files: memory stays bounded in a long-lived host. They are
// touched only under parseFile's lock (ANTLR 4.9 does not make them safe to share).
class PredictionCaches {
public:
  static constexpr size_t kParsesPerGeneration = 1000;

  // The caches for the next file; called once per file, under the parse lock.
  static PredictionCaches& forNextFile();

  // Makes `lexer` and `parser` predict with these caches.
  void use(grammar::FulcrumLexer& lexer, grammar::FulcrumParser& parser);

private:
  PredictionCaches();

  std::vector<antlr4::dfa::DFA> lexerDfa_, parserDfa_;
  antlr4::atn::PredictionContextCache lexerContexts_, parserContexts_;
};

} // namespace fulcrum
