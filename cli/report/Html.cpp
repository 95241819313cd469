#include "cli/report/Html.h"

#include "support/Text.h"

#include <cmath>
#include <fmt/format.h>

namespace fulcrum::cli::report {

std::string scriptJson(std::string_view text) {
  const std::string quoted = jsonQuote(text);
  std::string out;
  out.reserve(quoted.size());
  for (char c : quoted)
    out += c == '<' ? std::string("\\u003c") : std::string(1, c);
  return out;
}

std::string bandColourClass(const std::string& label, size_t index) {
  if (label == "on track")
    return "grade-good";
  if (label == "at risk")
    return "grade-risk";
  if (label == "off track")
    return "grade-bad";
  return fmt::format("seg{}", index % 6);
}

std::string svgNumber(double value) {
  if (!std::isfinite(value))
    return "0";
  std::string text = fmt::format("{:.1f}", value);
  if (text == "-0.0")
    text = "0.0";
  if (text.size() > 2 && text.compare(text.size() - 2, 2, ".0") == 0)
    text.resize(text.size() - 2);
  return text;
}

std::string chartDataTable(const std::vector<std::string>& headers, const std::string& rows) {
  std::string out = "<details><summary>As a table</summary><table class=\"chart-data\"><thead><tr>";
  for (const std::string& header : headers)
    out += "<th scope=\"col\">" + markupEscaped(header) + "</th>";
  return out + "</tr></thead><tbody>\n" + rows + "</tbody></table></details>\n";
}

} // namespace fulcrum::cli::report
