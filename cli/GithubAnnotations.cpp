// `fulcrum check --format github`: one GitHub Actions workflow command per diagnostic on stdout,
// `::error file=F,line=L,col=C,endLine=L2,endColumn=C2,title=KIND::message`, which the runner
// turns into an annotation on the file. Escaped as the runner unescapes (actions/toolkit's
// command.ts): `%`, CR and LF in the message; also `:` and `,` in property values.
#include "cli/CheckReport.h"

#include <cstdio>
#include <fmt/format.h>

namespace fulcrum::cli {

namespace {

std::string escapeData(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '%')
      out += "%25";
    else if (c == '\r')
      out += "%0D";
    else if (c == '\n')
      out += "%0A";
    else
      out += c;
  }
  return out;
}

std::string escapeProperty(std::string_view text) {
  std::string out;
  for (char c : escapeData(text)) {
    if (c == ':')
      out += "%3A";
    else if (c == ',')
      out += "%2C";
    else
      out += c;
  }
  return out;
}

const char* commandOf(Severity severity) {
  return severity == Severity::Error ? "error" : "warning";
}

// GitHub takes columns only within one line (`col`, and `endColumn` the last column, inclusive);
// a span over several lines keeps its lines.
std::string positionOf(const SourceRange& range) {
  if (!range.valid())
    return "";
  std::string out = fmt::format(",line={}", range.begin.line);
  if (range.end.line > range.begin.line)
    return out + fmt::format(",endLine={}", range.end.line);
  if (range.begin.column > 0)
    out += fmt::format(",col={}", range.begin.column);
  if (range.end.line == range.begin.line && range.end.column > range.begin.column)
    out += fmt::format(",endLine={},endColumn={}", range.end.line, range.end.column - 1);
  return out;
}

class GithubAnnotations final : public CheckReport {
public:
  void addDiagnostics(const std::vector<Diagnostic>& diagnostics,
                      const SourceManager& sources) override {
    for (const Diagnostic& d : diagnostics) {
      const std::string message = d.hint.empty() ? d.message : d.message + "\nhint: " + d.hint;
      std::fputs(fmt::format("::{} file={}{},title={}::{}\n", commandOf(d.severity),
                             escapeProperty(sources.file(d.range.file).path), positionOf(d.range),
                             escapeProperty(diagKindInfo(d.kind).name), escapeData(message))
                     .c_str(),
                 stdout);
    }
  }

  void addDataError(const std::string& text) override {
    const DataError error = parseDataError(text);
    std::string properties;
    if (!error.file.empty())
      properties += "file=" + escapeProperty(error.file) + ",";
    if (error.line > 0)
      properties += fmt::format("line={},", error.line);
    if (error.column > 0)
      properties += fmt::format("col={},", error.column);
    // A source that is not a file has no annotation place: its label leads the message.
    const std::string message =
        error.source.empty() ? error.message : error.source + ": " + error.message;
    std::fputs(
        fmt::format("::error {}title={}::{}\n", properties, kDataErrorRule, escapeData(message))
            .c_str(),
        stdout);
  }

  void finish(size_t, size_t) override {}
};

} // namespace

std::unique_ptr<CheckReport> makeGithubAnnotations() {
  return std::make_unique<GithubAnnotations>();
}

} // namespace fulcrum::cli
