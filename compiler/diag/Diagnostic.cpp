// The diagnostic registry's table, the sink, and the text and JSON renderers.
#include "compiler/diag/Diagnostic.h"

#include "support/Text.h"

#include <algorithm>
#include <fmt/format.h>

namespace fulcrum {

static const DiagKindInfo kKindInfo[] = {
#define DIAGNOSTIC(Name, Sev, Summary) {#Name, Severity::Sev, Summary},
#include "compiler/diag/DiagnosticKinds.def"
};

const DiagKindInfo& diagKindInfo(DiagKind kind) {
  return kKindInfo[static_cast<size_t>(kind)];
}

const std::vector<DiagKind>& allDiagKinds() {
  static const std::vector<DiagKind> kinds = [] {
    std::vector<DiagKind> result;
    for (size_t i = 0; i < std::size(kKindInfo); ++i)
      result.push_back(static_cast<DiagKind>(i));
    return result;
  }();
  return kinds;
}

void DiagnosticSink::report(DiagKind kind, SourceRange range, std::string message,
                            std::string hint) {
  const Severity severity = diagKindInfo(kind).severity;
  errors_ += severity == Severity::Error;
  diagnostics_.push_back({kind, severity, range, std::move(message), std::move(hint)});
}

void DiagnosticSink::sort() {
  std::stable_sort(diagnostics_.begin(), diagnostics_.end(),
                   [](const Diagnostic& a, const Diagnostic& b) {
                     if (a.range.file != b.range.file)
                       return a.range.file < b.range.file;
                     return a.range.begin < b.range.begin;
                   });
}

static const char* severityName(Severity severity) {
  return severity == Severity::Error ? "error" : "warning";
}

std::string renderText(const Diagnostic& d, const SourceManager& sources) {
  const SourceFile& file = sources.file(d.range.file);
  std::string out =
      fmt::format("{}:{}:{}: {}: {} [{}]\n", file.path, d.range.begin.line, d.range.begin.column,
                  severityName(d.severity), d.message, diagKindInfo(d.kind).name);
  const std::string_view line = file.lineText(d.range.begin.line);
  // A file that could not be read has no text to show.
  if (!file.text.empty()) {
    out += fmt::format("  {}\n", line);
    // Tabs before the span stay tabs so the caret lines up in a terminal.
    std::string prefix = "  ";
    size_t offset = 0;
    for (uint32_t column = 1; column < d.range.begin.column && offset < line.size(); ++column) {
      prefix += line[offset] == '\t' ? '\t' : ' ';
      ++offset;
      while (offset < line.size() && (static_cast<unsigned char>(line[offset]) & 0xC0) == 0x80)
        ++offset;
    }
    uint32_t width = 1;
    if (d.range.end.line == d.range.begin.line && d.range.end.column > d.range.begin.column)
      width = d.range.end.column - d.range.begin.column;
    else if (d.range.end.line > d.range.begin.line) {
      // A multi-line span: underline to the end of the first line.
      uint32_t lineColumns = 0;
      for (unsigned char c : line)
        lineColumns += (c & 0xC0) != 0x80;
      width = lineColumns >= d.range.begin.column ? lineColumns - d.range.begin.column + 1 : 1;
    }
    out += prefix + "^" + std::string(width - 1, '~') + "\n";
  }
  if (!d.hint.empty())
    out += fmt::format("  hint: {}\n", d.hint);
  return out;
}

std::string renderJson(const std::vector<Diagnostic>& diagnostics, const SourceManager& sources) {
  std::string out = "[";
  for (size_t i = 0; i < diagnostics.size(); ++i) {
    const Diagnostic& d = diagnostics[i];
    out += fmt::format(
        "{}\n  {{\"file\": {}, \"line\": {}, \"column\": {}, \"end\": {{\"line\": {}, \"column\": "
        "{}}}, \"severity\": \"{}\", \"code\": \"{}\", \"message\": {}, \"hint\": {}}}",
        i ? "," : "", jsonQuote(sources.file(d.range.file).path), d.range.begin.line,
        d.range.begin.column, d.range.end.line, d.range.end.column, severityName(d.severity),
        diagKindInfo(d.kind).name, jsonQuote(d.message),
        d.hint.empty() ? std::string("null") : jsonQuote(d.hint));
  }
  out += diagnostics.empty() ? "]\n" : "\n]\n";
  return out;
}

} // namespace fulcrum
