// Diagnostics as values: every phase appends to a DiagnosticSink; renderers print them.
#pragma once

#include "compiler/source/SourceManager.h"

#include <string>
#include <string_view>
#include <vector>

namespace fulcrum {

enum class Severity : uint8_t { Error, Warning };

enum class DiagKind : uint16_t {
#define DIAGNOSTIC(Name, Severity, Summary) Name,
#include "compiler/diag/DiagnosticKinds.def"
};

struct DiagKindInfo {
  std::string_view name;
  Severity severity;
  std::string_view summary;
};

const DiagKindInfo& diagKindInfo(DiagKind kind);
const std::vector<DiagKind>& allDiagKinds();

struct Diagnostic {
  DiagKind kind;
  Severity severity;
  SourceRange range;
  std::string message; // lower-case, no final period, code in backticks
  std::string hint;    // empty when there is nothing useful to add
  // The text that should replace all of `range`, when the hint names it ("did you mean
  // `closed`?" replaces the misspelled name with `closed`); empty otherwise. Tools turn it into
  // a fix (`check --format sarif`), so it is set only where the range is exactly the name.
  std::string replacement;
};

// A hint that names a replacement: the hint's text and the replacement itself.
struct NameSuggestion {
  std::string hint;
  std::string replacement;
};

// "did you mean `x`?" and `x` for the candidate closest to `name`; both empty when none is close.
NameSuggestion suggestName(std::string_view name, const std::vector<std::string>& candidates);

class DiagnosticSink {
public:
  void report(DiagKind kind, SourceRange range, std::string message, std::string hint = {});
  // `range` must be exactly the name the suggestion replaces.
  void report(DiagKind kind, SourceRange range, std::string message, NameSuggestion suggestion);
  const std::vector<Diagnostic>& diagnostics() const { return diagnostics_; }
  size_t errorCount() const { return errors_; }
  size_t warningCount() const { return diagnostics_.size() - errors_; }
  bool hasErrors() const { return errors_ > 0; }
  // Orders by file and position, keeping emission order among equals.
  void sort();

private:
  std::vector<Diagnostic> diagnostics_;
  size_t errors_ = 0;
};

// `file:line:col: error: message [Kind]`, the source line, a caret span and the hint.
std::string renderText(const Diagnostic& diagnostic, const SourceManager& sources);
// A JSON array of {file, line, column, end, severity, code, message, hint}.
std::string renderJson(const std::vector<Diagnostic>& diagnostics, const SourceManager& sources);

} // namespace fulcrum
