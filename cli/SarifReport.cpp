// `fulcrum check --format sarif`: one SARIF 2.1.0 log on stdout for all files, for code scanning
// and editors. Its rules are the diagnostic registry (DiagnosticKinds.def) plus `DataError`;
// each diagnostic is a result pointing at its span, in code points as the compiler counts them,
// with a fix when its hint names a replacement; `--with-data` data errors are results at the
// data file's line.
#include "cli/CheckReport.h"
#include "cli/Commands.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <nlohmann/json.hpp>

namespace fulcrum::cli {

namespace {

using Json = nlohmann::ordered_json;

const char* levelOf(Severity severity) {
  return severity == Severity::Error ? "error" : "warning";
}

// The path as a URI reference: relative paths stay relative (GitHub resolves them against the
// checkout), absolute ones become `file://` URIs. Every byte but unreserved ones and `/` is
// percent-encoded: a `:` left in a relative path's first segment would read as a scheme.
std::string uriOf(const std::string& path) {
  static const char* const kHex = "0123456789ABCDEF";
  std::string uri = !path.empty() && path[0] == '/' ? "file://" : "";
  for (unsigned char c : path) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~' || c == '/') {
      uri += static_cast<char>(c);
    } else {
      uri += '%';
      uri += kHex[c >> 4];
      uri += kHex[c & 15];
    }
  }
  return uri;
}

// SARIF's region: 1-based lines and columns, the end column one past the last character, as
// SourceRange's half-open end is. An empty span has a start only.
Json regionOf(const SourceRange& range) {
  Json region = {{"startLine", range.begin.line},
                 {"startColumn", std::max(range.begin.column, 1u)}};
  if (range.end.line != 0 && range.begin < range.end) {
    region["endLine"] = range.end.line;
    region["endColumn"] = std::max(range.end.column, 1u);
  }
  return region;
}

Json physicalLocation(const std::string& path, Json region) {
  Json location = {{"artifactLocation", {{"uri", uriOf(path)}}}};
  if (!region.is_null())
    location["region"] = std::move(region);
  return {{"physicalLocation", std::move(location)}};
}

Json rules() {
  Json rules = Json::array();
  for (DiagKind kind : allDiagKinds()) {
    const DiagKindInfo& info = diagKindInfo(kind);
    rules.push_back({{"id", info.name},
                     {"shortDescription", {{"text", info.summary}}},
                     {"defaultConfiguration", {{"level", levelOf(info.severity)}}}});
  }
  rules.push_back({{"id", kDataErrorRule},
                   {"shortDescription",
                    {{"text", "a data file that cannot be loaded, or a value in it that does not "
                              "fit its declaration (check --with-data)"}}},
                   {"defaultConfiguration", {{"level", "error"}}}});
  return rules;
}

class SarifReport final : public CheckReport {
public:
  void addDiagnostics(const std::vector<Diagnostic>& diagnostics,
                      const SourceManager& sources) override {
    for (const Diagnostic& d : diagnostics) {
      const std::string& path = sources.file(d.range.file).path;
      Json result = {
          {"ruleId", diagKindInfo(d.kind).name},
          {"ruleIndex", static_cast<size_t>(d.kind)},
          {"level", levelOf(d.severity)},
          {"message", {{"text", d.hint.empty() ? d.message : d.message + "\nhint: " + d.hint}}},
          {"locations",
           Json::array({physicalLocation(path, d.range.valid() ? regionOf(d.range) : Json())})}};
      if (!d.replacement.empty() && d.range.valid())
        result["fixes"] = Json::array({fixOf(d, path)});
      results_.push_back(std::move(result));
    }
  }

  void addDataError(const std::string& text) override {
    const DataError error = parseDataError(text);
    Json result = {{"ruleId", kDataErrorRule},
                   {"ruleIndex", allDiagKinds().size()},
                   {"level", "error"},
                   {"message", {{"text", error.message}}}};
    if (!error.file.empty()) {
      Json region;
      if (error.line > 0) {
        region = {{"startLine", error.line}};
        if (error.column > 0)
          region["startColumn"] = error.column;
      }
      result["locations"] = Json::array({physicalLocation(error.file, std::move(region))});
    } else if (!error.source.empty()) {
      // A database table is no artifact: a logical location names it.
      result["locations"] = Json::array(
          {{{"logicalLocations",
             Json::array({{{"fullyQualifiedName", error.source}, {"kind", "resource"}}})}}});
    }
    results_.push_back(std::move(result));
  }

  void finish(size_t, size_t) override { std::fputs(sarifLog(rules(), results_).c_str(), stdout); }

private:
  // The hint's replacement as a SARIF fix: delete the span, insert the suggestion.
  static Json fixOf(const Diagnostic& d, const std::string& path) {
    return {{"description", {{"text", d.hint}}},
            {"artifactChanges",
             Json::array({{{"artifactLocation", {{"uri", uriOf(path)}}},
                           {"replacements",
                            Json::array({{{"deletedRegion", regionOf(d.range)},
                                          {"insertedContent", {{"text", d.replacement}}}}})}}})}};
  }

  Json results_ = Json::array();
};

} // namespace

std::string sarifLog(const Json& rules, const Json& results) {
  const Json log = {
      {"$schema", "https://json.schemastore.org/sarif-2.1.0.json"},
      {"version", "2.1.0"},
      {"runs",
       Json::array(
           {{{"tool",
              {{"driver", {{"name", "fulcrum"}, {"version", kFulcrumVersion}, {"rules", rules}}}}},
             {"columnKind", "unicodeCodePoints"},
             {"results", results}}})}};
  // Invalid UTF-8 in a message (a string literal quoted from the source) is replaced, never a
  // throw.
  return log.dump(2, ' ', false, Json::error_handler_t::replace) + "\n";
}

Json sarifLocation(const std::string& path, uint32_t line, uint32_t column) {
  Json region;
  if (line > 0) {
    region = {{"startLine", line}};
    if (column > 0)
      region["startColumn"] = column;
  }
  return physicalLocation(path, std::move(region));
}

std::unique_ptr<CheckReport> makeSarifReport() {
  return std::make_unique<SarifReport>();
}

} // namespace fulcrum::cli
