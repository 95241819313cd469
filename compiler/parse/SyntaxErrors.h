// Syntax errors as diagnostics (internal to compiler/parse/): the error listener that words
// ANTLR's errors, the recovery strategy that keeps the next member whole, and the error limit.
#pragma once

#include "compiler/diag/Diagnostic.h"
#include "compiler/parse/TokenPositions.h"

#include <antlr4-runtime.h>
#include <set>
#include <string>

namespace fulcrum {

// Thrown by the error collector and the lexical checks (and caught by the parse driver) once
// kMaxSyntaxErrors are reported.
struct TooManySyntaxErrors {
  SourceRange at;
};

// Reports that the parse stopped at kMaxSyntaxErrors.
void reportTooManyErrors(DiagnosticSink& sink, SourceRange at);

// Offending text as messages quote it: a long token (a 2 MB name) is cut, not printed whole.
std::string shortened(const std::string& text);

// ANTLR's recovery, except that it does not swallow the keyword that starts the next member.
class MemberAwareRecovery : public antlr4::DefaultErrorStrategy {
protected:
  antlr4::Token* singleTokenDeletion(antlr4::Parser* parser) override;
};

// Collects syntax errors as diagnostics, one per line.
class SyntaxErrorCollector : public antlr4::BaseErrorListener {
public:
  // `endOfText` names the end of the input: the end of the file, or a hole's closing `}`.
  SyntaxErrorCollector(const TokenPositions& positions, DiagnosticSink& sink, std::string endOfText)
      : pos_(positions), sink_(sink), endOfText_(std::move(endOfText)) {}

  void syntaxError(antlr4::Recognizer* recognizer, antlr4::Token* offending, size_t, size_t,
                   const std::string&, std::exception_ptr) override;

  size_t count() const { return count_; }

private:
  // Where the bracket that `offending` should have closed was opened.
  std::string unclosedHint(antlr4::Recognizer* recognizer, const antlr4::Token* offending,
                           size_t open, size_t close, const std::string& fallback) const;

  const TokenPositions& pos_;
  DiagnosticSink& sink_;
  std::string endOfText_;
  std::set<uint32_t> reported_; // lines with an error
  size_t count_ = 0;
};

} // namespace fulcrum
