// A band's distribution: how many subjects fall in each label, as horizontal bars, labels in the
// order of the case's arms (then labels only the data holds, sorted; missing last), with the same
// counts as a table.
#include "cli/report/Html.h"
#include "cli/report/ReportInput.h"

#include <algorithm>
#include <fmt/format.h>
#include <map>

namespace fulcrum::cli::report {

std::string bandChart(const ReportInput& input, const BandShape& band) {
  const std::optional<size_t> column = input.column(band.name);
  if (!column)
    return "";
  std::map<std::string, size_t> counts; // by the CSV text: empty when missing
  for (size_t s = 0; s < input.table().subjects(); ++s)
    ++counts[input.csv(*column, s)];
  std::vector<std::string> labels;
  for (const std::string& label : band.labels)
    labels.push_back(label);
  for (const auto& [label, count] : counts)
    if (!label.empty() && std::find(labels.begin(), labels.end(), label) == labels.end())
      labels.push_back(label);
  if (counts.count(""))
    labels.push_back("");
  size_t most = 1;
  for (const auto& [label, count] : counts)
    most = std::max(most, count);

  // Room for the longest label (about 7 pixels a character at the chart's 12px).
  size_t longest = 9; // `(missing)`
  for (const std::string& label : labels)
    longest = std::max(longest, label.size());
  const double rowHeight = 26,
               labelWidth = 16 + 7 * static_cast<double>(std::min<size_t>(longest, 60));
  const double barWidth = 300;
  const double height = rowHeight * static_cast<double>(labels.size()) + 8;
  std::string out = fmt::format(
      "<section class=\"chart\" aria-labelledby=\"band-{0}\">\n<h2 id=\"band-{0}\">Band "
      "<code>{0}</code>: subjects per label</h2>\n",
      markupEscaped(band.name));
  out += fmt::format("<svg data-chart=\"bands\" data-column=\"{}\" viewBox=\"0 0 {} {}\" "
                     "width=\"{}\" height=\"{}\" role=\"img\" aria-label=\"Subjects per {}\">\n",
                     markupEscaped(band.name), svgNumber(labelWidth + barWidth + 60),
                     svgNumber(height), svgNumber(labelWidth + barWidth + 60), svgNumber(height),
                     markupEscaped(band.name));
  std::string rows;
  for (size_t i = 0; i < labels.size(); ++i) {
    const std::string& label = labels[i];
    const size_t count = counts.count(label) ? counts.at(label) : 0;
    const double y = 4 + rowHeight * static_cast<double>(i);
    const double width = barWidth * static_cast<double>(count) / static_cast<double>(most);
    const std::string shownLabel = label.empty() ? "(missing)" : label;
    out += fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>",
                       svgNumber(labelWidth - 8), svgNumber(y + 17), markupEscaped(shownLabel));
    out +=
        fmt::format("<rect class=\"band-bar\" data-band=\"{}\" data-count=\"{}\" x=\"{}\" "
                    "y=\"{}\" width=\"{}\" height=\"{}\"><title>{}: {}</title></rect>",
                    markupEscaped(label), count, svgNumber(labelWidth), svgNumber(y),
                    svgNumber(width), svgNumber(rowHeight - 6), markupEscaped(shownLabel), count);
    out += fmt::format("<text x=\"{}\" y=\"{}\">{}</text>\n", svgNumber(labelWidth + width + 6),
                       svgNumber(y + 17), count);
    rows += fmt::format("<tr><th scope=\"row\">{}</th><td>{}</td></tr>\n",
                        markupEscaped(shownLabel), count);
  }
  out += "</svg>\n";
  out += chartDataTable({band.name, "subjects"}, rows) + "</section>\n";
  return out;
}

} // namespace fulcrum::cli::report
