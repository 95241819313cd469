// The 2x2: every subject a point at (x, y), the two bands' thresholds drawn as the quadrant lines,
// each point's size by its rank (the first subject largest). Behind it, the count of subjects in
// each cell of the two bands. Which two metrics: ReportShape.h.
#include "cli/report/Html.h"
#include "cli/report/ReportInput.h"

#include <algorithm>
#include <fmt/format.h>
#include <map>

namespace fulcrum::cli::report {

namespace {

struct Axis {
  double low = 0, high = 1;
  double at(double value, double from, double length) const {
    return from + (value - low) / (high - low) * length;
  }
};

Axis axisOver(const std::vector<double>& values, const std::vector<double>& lines) {
  Axis axis{0, 0};
  bool any = false;
  for (const std::vector<double>* list : {&values, &lines})
    for (double v : *list) {
      axis.low = any ? std::min(axis.low, v) : v;
      axis.high = any ? std::max(axis.high, v) : v;
      any = true;
    }
  axis.low = std::min(axis.low, 0.0);
  if (axis.high <= axis.low)
    axis.high = axis.low + 1;
  axis.high += (axis.high - axis.low) * 0.05;
  return axis;
}

} // namespace

std::string scatter2x2(const ReportInput& input, const QuadrantShape& quadrant) {
  const std::optional<size_t> xColumn = input.column(quadrant.x);
  const std::optional<size_t> yColumn = input.column(quadrant.y);
  if (!xColumn || !yColumn)
    return "";
  const std::optional<size_t> rankColumn =
      quadrant.rank.empty() ? std::nullopt : input.column(quadrant.rank);
  const size_t subjects = input.table().subjects();
  std::vector<double> xs, ys;
  size_t unplotted = 0;
  for (size_t s = 0; s < subjects; ++s) {
    const auto x = input.number(*xColumn, s), y = input.number(*yColumn, s);
    if (x && y) {
      xs.push_back(*x);
      ys.push_back(*y);
    } else {
      ++unplotted;
    }
  }
  const Axis xAxis = axisOver(xs, quadrant.xLines), yAxis = axisOver(ys, quadrant.yLines);
  const double left = 80, top = 10, plotWidth = 560, plotHeight = 380;
  const double width = left + plotWidth + 20, height = top + plotHeight + 50;
  auto px = [&](double v) { return xAxis.at(v, left, plotWidth); };
  auto py = [&](double v) { return yAxis.at(v, top + plotHeight, -plotHeight); };

  std::string out = fmt::format(
      "<section class=\"chart\" aria-labelledby=\"quadrant-heading\">\n<h2 id=\"quadrant-heading\">"
      "<code>{}</code> against <code>{}</code></h2>\n<p>Lines: the thresholds of bands "
      "<code>{}</code> and <code>{}</code>.{}</p>\n",
      markupEscaped(quadrant.y), markupEscaped(quadrant.x), markupEscaped(quadrant.xBand),
      markupEscaped(quadrant.yBand),
      quadrant.rank.empty()
          ? std::string()
          : " Larger points rank higher by <code>" + markupEscaped(quadrant.rank) + "</code>.");
  out += fmt::format("<svg data-chart=\"quadrant\" data-x-column=\"{}\" data-y-column=\"{}\" "
                     "viewBox=\"0 0 {} {}\" width=\"{}\" height=\"{}\" role=\"img\" "
                     "aria-label=\"{} against {}\">\n",
                     markupEscaped(quadrant.x), markupEscaped(quadrant.y), svgNumber(width),
                     svgNumber(height), svgNumber(width), svgNumber(height),
                     markupEscaped(quadrant.y), markupEscaped(quadrant.x));
  out += fmt::format("<rect class=\"plot\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"/>\n",
                     svgNumber(left), svgNumber(top), svgNumber(plotWidth), svgNumber(plotHeight));
  for (double line : quadrant.xLines)
    out += fmt::format("<line class=\"threshold\" data-threshold=\"{0}\" x1=\"{1}\" y1=\"{2}\" "
                       "x2=\"{1}\" y2=\"{3}\"/><text x=\"{1}\" y=\"{4}\" text-anchor=\"middle\">{5}"
                       "</text>\n",
                       line, svgNumber(px(line)), svgNumber(top), svgNumber(top + plotHeight),
                       svgNumber(top + plotHeight + 16),
                       markupEscaped(input.shownNumber(*xColumn, line)));
  for (double line : quadrant.yLines)
    out += fmt::format("<line class=\"threshold\" data-threshold=\"{0}\" x1=\"{1}\" y1=\"{2}\" "
                       "x2=\"{3}\" y2=\"{2}\"/><text x=\"{4}\" y=\"{5}\" text-anchor=\"end\">{6}"
                       "</text>\n",
                       line, svgNumber(left), svgNumber(py(line)), svgNumber(left + plotWidth),
                       svgNumber(left - 4), svgNumber(py(line) + 4),
                       markupEscaped(input.shownNumber(*yColumn, line)));
  // The axes' ends, as people read the metrics.
  out += fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"start\">{}</text><text x=\"{}\" "
                     "y=\"{}\" text-anchor=\"end\">{}</text>\n",
                     svgNumber(left), svgNumber(top + plotHeight + 16),
                     markupEscaped(input.shownNumber(*xColumn, xAxis.low)),
                     svgNumber(left + plotWidth), svgNumber(top + plotHeight + 16),
                     markupEscaped(input.shownNumber(*xColumn, xAxis.high)));
  out += fmt::format("<text x=\"{0}\" y=\"{1}\" text-anchor=\"end\">{2}</text><text x=\"{0}\" "
                     "y=\"{3}\" text-anchor=\"end\">{4}</text>\n",
                     svgNumber(left - 4), svgNumber(top + plotHeight),
                     markupEscaped(input.shownNumber(*yColumn, yAxis.low)), svgNumber(top + 10),
                     markupEscaped(input.shownNumber(*yColumn, yAxis.high)));
  out += fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>\n",
                     svgNumber(left + plotWidth / 2), svgNumber(top + plotHeight + 38),
                     markupEscaped(quadrant.x));
  out += fmt::format("<text x=\"14\" y=\"{0}\" text-anchor=\"middle\" transform=\"rotate(-90 14 "
                     "{0})\">{1}</text>\n",
                     svgNumber(top + plotHeight / 2), markupEscaped(quadrant.y));

  // Lowest rank drawn first, so the top subjects lie on top.
  std::vector<size_t> order = runtime::subjectOrder(input.table());
  std::reverse(order.begin(), order.end());
  double worst = 1;
  if (rankColumn)
    for (size_t s = 0; s < subjects; ++s)
      if (auto r = input.number(*rankColumn, s))
        worst = std::max(worst, *r);
  for (size_t s : order) {
    const auto x = input.number(*xColumn, s), y = input.number(*yColumn, s);
    if (!x || !y)
      continue;
    double radius = 4;
    std::string rankText;
    if (rankColumn) {
      const auto r = input.number(*rankColumn, s);
      radius = r && worst > 1 ? 3 + 9 * (worst - *r) / (worst - 1) : 3;
      rankText = fmt::format(" data-rank=\"{}\"", markupEscaped(input.csv(*rankColumn, s)));
    }
    const std::string& key = input.table().keys[s];
    out += fmt::format("<circle data-subject=\"{}\" data-x=\"{}\" data-y=\"{}\"{} cx=\"{}\" "
                       "cy=\"{}\" r=\"{}\"><title>{}: {} {}, {} {}</title></circle>\n",
                       markupEscaped(key), markupEscaped(input.csv(*xColumn, s)),
                       markupEscaped(input.csv(*yColumn, s)), rankText, svgNumber(px(*x)),
                       svgNumber(py(*y)), svgNumber(radius), markupEscaped(key),
                       markupEscaped(quadrant.x), markupEscaped(input.shown(*xColumn, s)),
                       markupEscaped(quadrant.y), markupEscaped(input.shown(*yColumn, s)));
  }
  out += "</svg>\n";
  if (unplotted > 0)
    out += fmt::format("<p>{} subject{} not drawn: a value is missing.</p>\n", unplotted,
                       unplotted == 1 ? "" : "s");

  // Behind the chart: subjects per cell of the two bands.
  const std::optional<size_t> xBand = input.column(quadrant.xBand);
  const std::optional<size_t> yBand = input.column(quadrant.yBand);
  if (xBand && yBand) {
    std::map<std::pair<std::string, std::string>, size_t> cells;
    for (size_t s = 0; s < subjects; ++s)
      ++cells[{input.csv(*yBand, s), input.csv(*xBand, s)}];
    std::string rows;
    for (const auto& [cell, count] : cells)
      rows += fmt::format("<tr><td>{}</td><td>{}</td><td>{}</td></tr>\n", markupEscaped(cell.first),
                          markupEscaped(cell.second), count);
    out += chartDataTable({quadrant.yBand, quadrant.xBand, "subjects"}, rows);
  }
  out += "</section>\n";
  return out;
}

std::string topSubjects(const ReportInput& input, const std::string& rank) {
  const std::optional<size_t> rankColumn = input.column(rank);
  if (!rankColumn)
    return "";
  const runtime::ResultTable& table = input.table();
  const std::vector<size_t> order = runtime::subjectOrder(table);
  constexpr size_t kTop = 10;
  std::string out =
      fmt::format("<section aria-labelledby=\"top-heading\">\n<h2 id=\"top-heading\">"
                  "The top {} by <code>{}</code></h2>\n<table id=\"top-subjects\">"
                  "<thead><tr><th scope=\"col\">{}</th>",
                  std::min(kTop, order.size()), markupEscaped(rank), markupEscaped(table.keyName));
  for (const runtime::OutputColumn& c : table.columns)
    out += "<th scope=\"col\">" + markupEscaped(c.name) + "</th>";
  out += "</tr></thead><tbody>\n";
  for (size_t i = 0; i < order.size() && i < kTop; ++i) {
    const size_t s = order[i];
    out += fmt::format("<tr data-subject=\"{0}\"><th scope=\"row\">{0}</th>",
                       markupEscaped(table.keys[s]));
    for (size_t c = 0; c < table.columns.size(); ++c)
      out += fmt::format("<td data-column=\"{}\" data-value=\"{}\">{}</td>",
                         markupEscaped(table.columns[c].name), markupEscaped(input.csv(c, s)),
                         markupEscaped(input.shown(c, s)));
    out += "</tr>\n";
  }
  out += "</tbody></table>\n</section>\n";
  return out;
}

} // namespace fulcrum::cli::report
