// The formats of `fulcrum check` by name, and the two that print what the compiler renders:
// text and JSON.
#include "cli/CheckReport.h"

#include "runtime/data/HostTable.h"

#include <cstdio>

namespace fulcrum::cli {

DataError parseDataError(const std::string& text) {
  // formatIssue's shapes (runtime/data/LoadReport.cpp): the place is what comes before the first
  // `: error: `, its last one or two `:N` the line and column. Parsed by hand: std::regex recurses
  // per character, and a message can be long.
  const std::string_view marker = ": error: ";
  const size_t at = text.find(marker);
  if (at == std::string::npos || at == 0)
    return {"", "", 0, 0, text};
  std::string_view place(text.data(), at);
  // A database or host table's row (`postgresql:deals: row 3 (id `X`)`), or the source itself:
  // no file, and the row stays in the message.
  if (runtime::isTableSourceLabel(place)) {
    const size_t row = place.find(": row ");
    DataError error{"", std::string(place.substr(0, row)), 0, 0, text.substr(at + marker.size())};
    if (row != std::string_view::npos)
      error.message = std::string(place.substr(row + 2)) + ": " + error.message;
    return error;
  }
  std::vector<uint32_t> numbers; // from the end: the column or line first
  while (numbers.size() < 2) {
    const size_t colon = place.rfind(':');
    const std::string_view digits = colon == std::string_view::npos ? "" : place.substr(colon + 1);
    if (digits.empty() || digits.size() > 9 ||
        digits.find_first_not_of("0123456789") != std::string_view::npos || colon == 0)
      break;
    numbers.push_back(static_cast<uint32_t>(std::stoul(std::string(digits))));
    place = place.substr(0, colon);
  }
  DataError error{std::string(place), "", 0, 0, text.substr(at + marker.size())};
  if (numbers.size() == 2) {
    error.line = numbers[1];
    error.column = numbers[0];
  } else if (numbers.size() == 1) {
    error.line = numbers[0];
  }
  return error;
}

namespace {

// Each diagnostic with its source line and caret on stderr as it comes, then `N errors, M
// warnings`; data errors as the loader wrote them.
class TextReport final : public CheckReport {
public:
  void addDiagnostics(const std::vector<Diagnostic>& diagnostics,
                      const SourceManager& sources) override {
    for (const Diagnostic& d : diagnostics)
      std::fputs(renderText(d, sources).c_str(), stderr);
  }
  void addDataError(const std::string& text) override {
    std::fprintf(stderr, "%s\n", text.c_str());
  }
  void finish(size_t errors, size_t warnings) override {
    if (errors + warnings > 0)
      std::fprintf(stderr, "%zu error%s, %zu warning%s\n", errors, errors == 1 ? "" : "s", warnings,
                   warnings == 1 ? "" : "s");
  }
};

// One JSON array on stdout for all files (each diagnostic names its own file); data errors stay
// on stderr as text.
class JsonReport final : public CheckReport {
public:
  void addDiagnostics(const std::vector<Diagnostic>& diagnostics,
                      const SourceManager& sources) override {
    if (diagnostics.empty())
      return;
    const std::string part = renderJson(diagnostics, sources); // "[\n...\n]\n"
    out_ += (out_.empty() ? "" : ",\n") + part.substr(2, part.size() - 5);
  }
  void addDataError(const std::string& text) override {
    std::fprintf(stderr, "%s\n", text.c_str());
  }
  void finish(size_t, size_t) override {
    std::printf(out_.empty() ? "[]\n" : "[\n%s\n]\n", out_.c_str());
  }

private:
  std::string out_;
};

struct CheckFormat {
  std::string_view name;
  std::unique_ptr<CheckReport> (*make)();
};

const CheckFormat kCheckFormats[] = {
    {"text", []() -> std::unique_ptr<CheckReport> { return std::make_unique<TextReport>(); }},
    {"json", []() -> std::unique_ptr<CheckReport> { return std::make_unique<JsonReport>(); }},
    {"sarif", makeSarifReport},
    {"github", makeGithubAnnotations},
};

} // namespace

std::unique_ptr<CheckReport> makeCheckReport(std::string_view format) {
  for (const CheckFormat& f : kCheckFormats)
    if (f.name == format)
      return f.make();
  return nullptr;
}

std::string checkFormatNames() {
  std::string names;
  for (const CheckFormat& f : kCheckFormats)
    names += (names.empty() ? "" : "|") + std::string(f.name);
  return names;
}

} // namespace fulcrum::cli
