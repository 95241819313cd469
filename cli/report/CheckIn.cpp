// The weekly check-in of OKRs (`--as-of-every week`): per subject and objective, each key
// result's progress as of each week's end (period to date) against the straight line from 0 at
// the period's start to the target at its end: above the line is ahead of pace. The first
// subjects in the table's order are drawn; a table behind.
#include "cli/report/Html.h"
#include "cli/report/ReportInput.h"
#include "support/Calendar.h"

#include <fmt/format.h>
#include <map>

namespace fulcrum::cli::report {

namespace {

constexpr size_t kMostSubjects = 30;

} // namespace

std::string checkIn(const ReportInput& input) {
  const auto start = parseDate(input.checkInStart), end = parseDate(input.checkInEnd);
  if (input.shape.objectives.empty() || input.trend.empty() || !start || !end || *end <= *start)
    return "";
  std::vector<std::map<std::string, size_t>> rows;
  for (const PeriodRun& run : input.trend)
    rows.push_back(rowsByKey(run.result.table));

  const double left = 40, top = 10, plotWidth = 480, plotHeight = 160;
  const double width = left + plotWidth + 20, height = top + plotHeight + 30;
  auto px = [&](DayNumber day) {
    return left +
           plotWidth * static_cast<double>(day - *start) / static_cast<double>(*end - *start);
  };
  auto py = [&](double progress) { return top + plotHeight * (1 - progress); };

  std::string out = fmt::format(
      "<section aria-labelledby=\"checkin-heading\">\n<h2 id=\"checkin-heading\">Weekly check-in: "
      "progress as of each date, against the straight line to the target ({} to {})</h2>\n",
      markupEscaped(input.checkInStart), markupEscaped(input.checkInEnd));
  std::string tableRows;
  const std::vector<size_t> order = runtime::subjectOrder(input.table());
  for (size_t n = 0; n < order.size() && n < kMostSubjects; ++n) {
    const std::string& key = input.table().keys[order[n]];
    for (const ObjectiveShape& objective : input.shape.objectives) {
      out += fmt::format("<figure class=\"checkin\"><figcaption><strong>{}</strong>: {}"
                         "<span class=\"legend\">",
                         markupEscaped(key),
                         markupEscaped(objective.title.empty() ? objective.name : objective.title));
      for (size_t k = 0; k < objective.keyResults.size(); ++k)
        out += fmt::format(" <span class=\"swatch seg{}\"></span>{}", k % 6,
                           markupEscaped(objective.keyResults[k].name));
      out += fmt::format(
          "</span></figcaption>\n<svg data-chart=\"checkin\" data-subject=\"{}\" "
          "data-objective=\"{}\" viewBox=\"0 0 {} {}\" width=\"{}\" height=\"{}\" role=\"img\" "
          "aria-label=\"Weekly progress of {}\">\n",
          markupEscaped(key), markupEscaped(objective.name), svgNumber(width), svgNumber(height),
          svgNumber(width), svgNumber(height), markupEscaped(objective.name));
      out += fmt::format("<rect class=\"plot\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"/>"
                         "<line class=\"pace\" x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\"/>"
                         "<text x=\"{}\" y=\"{}\" text-anchor=\"end\">1</text><text x=\"{}\" "
                         "y=\"{}\" text-anchor=\"end\">0</text><text x=\"{}\" y=\"{}\">{}</text>"
                         "<text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>\n",
                         svgNumber(left), svgNumber(top), svgNumber(plotWidth),
                         svgNumber(plotHeight), svgNumber(px(*start)), svgNumber(py(0)),
                         svgNumber(px(*end)), svgNumber(py(1)), svgNumber(left - 4),
                         svgNumber(top + 4), svgNumber(left - 4), svgNumber(top + plotHeight),
                         svgNumber(left), svgNumber(top + plotHeight + 16),
                         markupEscaped(input.checkInStart), svgNumber(left + plotWidth),
                         svgNumber(top + plotHeight + 16), markupEscaped(input.checkInEnd));
      for (size_t k = 0; k < objective.keyResults.size(); ++k) {
        const KeyResultShape& kr = objective.keyResults[k];
        std::string points, dots;
        for (size_t r = 0; r < input.trend.size(); ++r) {
          const runtime::ResultTable& table = input.trend[r].result.table;
          const auto at = rows[r].find(key);
          const auto column = columnOf(table, kr.name + ".progress");
          const auto day = parseDate(input.trend[r].period);
          if (at == rows[r].end() || !column || !day)
            continue;
          const std::string csv = table.raw(*column, at->second);
          tableRows += fmt::format("<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>\n",
                                   markupEscaped(key), markupEscaped(kr.name),
                                   markupEscaped(input.trend[r].period),
                                   markupEscaped(runtime::humanValue(table, *column, at->second)));
          if (!table.present(*column, at->second))
            continue;
          const double progress = table.value(*column, at->second);
          points += fmt::format("{}{},{}", points.empty() ? "" : " ", svgNumber(px(*day)),
                                svgNumber(py(progress)));
          dots += fmt::format("<circle class=\"seg{}\" data-key-result=\"{}\" data-subject=\"{}\" "
                              "data-as-of=\"{}\" data-progress=\"{}\" cx=\"{}\" cy=\"{}\" r=\"3\">"
                              "<title>{} as of {}: {}</title></circle>",
                              k % 6, markupEscaped(kr.name), markupEscaped(key),
                              markupEscaped(input.trend[r].period), markupEscaped(csv),
                              svgNumber(px(*day)), svgNumber(py(progress)), markupEscaped(kr.name),
                              markupEscaped(input.trend[r].period),
                              markupEscaped(runtime::humanValue(table, *column, at->second)));
        }
        if (!points.empty())
          out += fmt::format("<polyline class=\"line seg{}\" points=\"{}\"/>", k % 6, points);
        out += dots + "\n";
      }
      out += "</svg></figure>\n";
    }
  }
  if (order.size() > kMostSubjects)
    out +=
        fmt::format("<p>The first {} of {} subjects are drawn.</p>\n", kMostSubjects, order.size());
  out += chartDataTable({"subject", "key result", "as of", "progress"}, tableRows) + "</section>\n";
  return out;
}

} // namespace fulcrum::cli::report
