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
  diagnostics_.push_back({kind, severity, range, std::move(message), std::move(hint), {}});
}

void DiagnosticSink::report(DiagKind kind, SourceRange range, std::string message,
                            NameSuggestion suggestion) {
  report(kind, range, std::move(message), std::move(suggestion.hint));
  diagnostics_.back().replacement = std::move(suggestion.replacement);
}

NameSuggestion suggestName(std::string_view name, const std::vector<std::string>& candidates) {
  std::string best = closestMatch(name, candidates);
  if (best.empty())
    return {};
  return {"did you mean `" + best + "`?", std::move(best)};
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

namespace {

// Where column `column` (1-based, one per UTF-8 character) of `line` starts, scanning from
// byte `from`, which starts column `fromColumn`; the line's size past its end.
size_t byteOfColumn(std::string_view line, uint32_t column, size_t from = 0,
                    uint32_t fromColumn = 1) {
  size_t i = from;
  for (uint32_t c = fromColumn; c < column && i < line.size(); ++c) {
    ++i;
    while (i < line.size() && (static_cast<unsigned char>(line[i]) & 0xC0) == 0x80)
      ++i;
  }
  return i;
}

uint32_t columnCount(std::string_view line) {
  uint32_t columns = 0;
  for (unsigned char c : line)
    columns += (c & 0xC0) != 0x80;
  return columns;
}

// `text` as a terminal should show it, one character per column (as columnCount counts them)
// so that the caret still lines up: malformed UTF-8 and C1 controls as U+FFFD, other control
// characters but tab as their Control Pictures (U+2400 to U+2421). A source file (a string
// literal quoted in a message, say) can thus put no escape sequence into a terminal or a CI log.
std::string printable(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size();) {
    size_t end = i + 1; // the column: a byte and the continuation bytes after it
    while (end < text.size() && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80)
      ++end;
    const auto c = static_cast<unsigned char>(text[i]);
    if (c == '\t') {
      out += '\t';
    } else if (c < 0x20) {
      out += {'\xE2', '\x90', static_cast<char>(0x80 + c)};
    } else if (c == 0x7F) {
      out += "\u2421";
    } else if (utf8CharacterLength(text, i) != end - i ||
               (c == 0xC2 && static_cast<unsigned char>(text[i + 1]) < 0xA0)) {
      out += "\uFFFD";
    } else {
      out.append(text.substr(i, end - i));
    }
    i = end;
  }
  return out;
}

// The source line and a caret span under `range`. A long line is shown as a window of
// kShownColumns around the span's start, `...` marking what is cut.
std::string snippet(std::string_view line, const SourceRange& range) {
  constexpr uint32_t kShownColumns = 120, kContextBefore = 40;
  const uint32_t columns = columnCount(line);
  const uint32_t begin = std::min(std::max(range.begin.column, 1u), columns + 1);
  uint32_t width = 1;
  if (range.end.line == range.begin.line && range.end.column > range.begin.column)
    width = range.end.column - range.begin.column;
  else if (range.end.line > range.begin.line) // a multi-line span: to the end of the first line
    width = columns >= begin ? columns - begin + 1 : 1;
  uint32_t first = 1; // the first column shown
  if (columns > kShownColumns && begin > kContextBefore + 1)
    first = std::min(begin - kContextBefore, columns - kShownColumns + 1);
  const uint32_t last = std::min(columns, first + kShownColumns - 1);
  const size_t firstByte = byteOfColumn(line, first);
  const size_t endByte = byteOfColumn(line, last + 1, firstByte, first);
  const std::string before = first > 1 ? "..." : "";
  const std::string after = last < columns ? "..." : "";
  // Tabs before the span stay tabs so the caret lines up in a terminal.
  std::string prefix = "  " + std::string(before.size(), ' ');
  uint32_t column = first;
  for (size_t i = firstByte; i < endByte && column < begin; ++i) {
    if ((static_cast<unsigned char>(line[i]) & 0xC0) == 0x80)
      continue;
    prefix += line[i] == '\t' ? '\t' : ' ';
    ++column;
  }
  const uint32_t room = begin <= last ? last - begin + 1 : 1;
  width = std::max(1u, std::min(width, room));
  return fmt::format("  {}{}{}\n{}^{}\n", before,
                     printable(line.substr(firstByte, endByte - firstByte)), after, prefix,
                     std::string(width - 1, '~'));
}

} // namespace

std::string renderText(const Diagnostic& d, const SourceManager& sources) {
  const SourceFile& file = sources.file(d.range.file);
  std::string out = fmt::format("{}:{}:{}: {}: {} [{}]\n", printable(file.path), d.range.begin.line,
                                d.range.begin.column, severityName(d.severity),
                                printable(d.message), diagKindInfo(d.kind).name);
  // A file that could not be read has no text to show.
  if (!file.text.empty())
    out += snippet(file.lineText(d.range.begin.line), d.range);
  if (!d.hint.empty())
    out += fmt::format("  hint: {}\n", printable(d.hint));
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
