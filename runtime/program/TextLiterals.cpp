// Text literals no row holds (Plan::textLiterals), found once the data is loaded: each is a
// warning that names the field, the literal and the closest values the data has.
#include "runtime/program/LoadedData.h"
#include "support/Text.h"

#include <algorithm>
#include <cctype>
#include <fmt/format.h>

namespace fulcrum::runtime {

namespace {

std::string lowered(std::string_view text) {
  std::string out(text);
  for (char& c : out)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// `value` as a string literal of the source, or empty when it would need an escape or holds a
// hole: a replacement is offered only where writing it back is plain.
std::string plainLiteral(const std::string& value) {
  if (value.find_first_of("\"\\{\r\n") != std::string::npos)
    return "";
  return "\"" + value + "\"";
}

struct Suggestion {
  std::string hint, replacement;
};

// The values to suggest for `literal`: those equal but for case, else the closest by spelling,
// else (a short list) all of them.
Suggestion suggestion(const std::string& literal, const Dictionary& values) {
  std::vector<std::string> all;
  for (size_t code = 0; code < values.size(); ++code)
    all.emplace_back(values.text(static_cast<int32_t>(code)));
  std::vector<std::string> sameButCase;
  for (const std::string& value : all)
    if (lowered(value) == lowered(literal))
      sameButCase.push_back(value);
  std::string best = sameButCase.empty() ? closestMatch(literal, all) : sameButCase.front();
  if (!best.empty())
    return {fmt::format("did you mean \"{}\"?", best), plainLiteral(best)};
  if (all.empty() || all.size() > 8)
    return {};
  std::sort(all.begin(), all.end());
  std::string list;
  for (const std::string& value : all)
    list += (list.empty() ? "\"" : ", \"") + value + "\"";
  return {"the data has " + list, ""};
}

} // namespace

std::string DataWarning::text() const {
  std::string out = fmt::format("{}:{}:{}: warning: {} [{}]\n", file, line, column, message, kKind);
  if (!hint.empty())
    out += "  hint: " + hint + "\n";
  return out;
}

std::vector<DataWarning> textLiteralWarnings(const Plan& plan, const LoadResult& loaded) {
  std::vector<DataWarning> warnings;
  for (const TextLiteralSpec& spec : plan.textLiterals) {
    const PlanTable& table = plan.tables[spec.table];
    const Table* data = loaded.table(table.name);
    const Column* column = data ? data->column(table.fields[spec.field].name) : nullptr;
    // A column without a value (an empty table) says nothing about the literal.
    if (!column || column->kind != ValueKind::Text || column->dictionary.size() == 0 ||
        column->dictionary.lookup(spec.literal) >= 0)
      continue;
    Suggestion suggested = suggestion(spec.literal, column->dictionary);
    DataWarning warning{spec.file,
                        spec.line,
                        spec.column,
                        spec.length,
                        fmt::format("no row of {} has {} \"{}\"", table.name,
                                    table.fields[spec.field].name, spec.literal),
                        std::move(suggested.hint),
                        std::move(suggested.replacement)};
    const bool seen = std::any_of(warnings.begin(), warnings.end(), [&](const DataWarning& w) {
      return w.file == warning.file && w.line == warning.line && w.column == warning.column;
    });
    if (!seen)
      warnings.push_back(std::move(warning));
  }
  return warnings;
}

} // namespace fulcrum::runtime
