// Targets: per subject, the funnel back-solved from the quota (each stage's bar against the
// largest of that stage over all subjects), then each stage's own rate against the team's
// median (1 is the median), the weakest one below 1 highlighted: the coaching point. The first
// subjects in the table's order are drawn; a table behind. Which metrics: ReportShape.h. A quota
// that is a `param` is drawn as the first stage with the run's value of it (`--param` or its
// default), the same for every subject, marked `data-param`.
#include "cli/report/Html.h"
#include "cli/report/ReportInput.h"
#include "support/Money.h"

#include <algorithm>
#include <fmt/format.h>

namespace fulcrum::cli::report {

namespace {

constexpr size_t kMostSubjects = 60;

// One stage of the funnel: an output column, or the param the funnel starts from (its run's
// value, the same for every subject).
struct Stage {
  std::string name;
  std::optional<size_t> column;
  const runtime::RunParamValue* param = nullptr;

  std::optional<double> number(const ReportInput& input, size_t s) const {
    if (column)
      return input.number(*column, s);
    if (!param->present || !numericKind(param->kind))
      return std::nullopt;
    return param->kind == runtime::ValueType::Money ? moneyDollars(param->value) : param->value;
  }
  std::string csv(const ReportInput& input, size_t s) const {
    return column ? input.csv(*column, s) : param->csv;
  }
  std::string shown(const ReportInput& input, size_t s) const {
    return column ? input.shown(*column, s) : param->shown;
  }
};

std::vector<Stage> stagesOf(const ReportInput& input, const FunnelShape& shape) {
  std::vector<Stage> stages;
  for (const std::string& name : shape.stages) {
    if (auto c = input.column(name)) {
      stages.push_back({name, c, nullptr});
      continue;
    }
    for (const runtime::RunParamValue& param : input.result.params)
      if (param.name == name)
        stages.push_back({name, std::nullopt, &param});
  }
  return stages;
}

} // namespace

std::string funnel(const ReportInput& input, const FunnelShape& shape) {
  const std::vector<Stage> stages = stagesOf(input, shape);
  std::vector<size_t> comparisons;
  for (const std::string& name : shape.comparisons)
    if (auto c = input.column(name))
      comparisons.push_back(*c);
  if (stages.empty())
    return "";
  const size_t subjects = input.table().subjects();
  std::vector<double> largest(stages.size(), 0);
  for (size_t i = 0; i < stages.size(); ++i)
    for (size_t s = 0; s < subjects; ++s)
      largest[i] = std::max(largest[i], stages[i].number(input, s).value_or(0));
  double widestRatio = 1.5;
  for (size_t c : comparisons)
    for (size_t s = 0; s < subjects; ++s)
      widestRatio = std::max(widestRatio, input.number(c, s).value_or(0));

  const std::vector<size_t> order = runtime::subjectOrder(input.table());
  std::string out = "<section aria-labelledby=\"funnel-heading\">\n<h2 id=\"funnel-heading\">"
                    "The funnel from quota back to daily activity, and the stage to coach</h2>\n";
  std::string rows;
  const double labelWidth = 240, barWidth = 300, rowHeight = 22;
  for (size_t n = 0; n < order.size() && n < kMostSubjects; ++n) {
    const size_t s = order[n];
    const std::string& key = input.table().keys[s];
    // The stage to coach: the least own-to-median ratio, when it is below the median (none when
    // the subject is at or above the team everywhere, or every ratio is missing).
    std::optional<size_t> weakest;
    for (size_t c : comparisons)
      if (auto v = input.number(c, s); v && *v < 1 && (!weakest || *v < *input.number(*weakest, s)))
        weakest = c;
    const double height = rowHeight * static_cast<double>(stages.size() + comparisons.size()) + 30;
    out += fmt::format(
        "<figure class=\"funnel\"><figcaption><strong>{}</strong>{}</figcaption>\n"
        "<svg data-chart=\"funnel\" data-subject=\"{}\" viewBox=\"0 0 {} {}\" "
        "width=\"{}\" height=\"{}\" role=\"img\" aria-label=\"Funnel of {}\">\n",
        markupEscaped(key),
        weakest ? ": coach <code>" + markupEscaped(input.table().columns[*weakest].name) + "</code>"
                : std::string(),
        markupEscaped(key), svgNumber(labelWidth + barWidth + 110), svgNumber(height),
        svgNumber(labelWidth + barWidth + 110), svgNumber(height), markupEscaped(key));
    double y = 4;
    for (size_t i = 0; i < stages.size(); ++i, y += rowHeight) {
      const Stage& stage = stages[i];
      const double value = stage.number(input, s).value_or(0);
      const double width = largest[i] > 0 ? barWidth * value / largest[i] : 0;
      out += fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text><rect "
                         "class=\"stage\" data-stage=\"{}\"{} data-subject=\"{}\" "
                         "data-value=\"{}\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"/>"
                         "<text x=\"{}\" y=\"{}\">{}</text>\n",
                         svgNumber(labelWidth - 8), svgNumber(y + 14),
                         markupEscaped(stage.param ? "param " + stage.name : stage.name),
                         markupEscaped(stage.name), stage.param ? " data-param=\"true\"" : "",
                         markupEscaped(key), markupEscaped(stage.csv(input, s)),
                         svgNumber(labelWidth + (barWidth - width) / 2), svgNumber(y),
                         svgNumber(width), svgNumber(rowHeight - 5),
                         svgNumber(labelWidth + barWidth + 6), svgNumber(y + 14),
                         markupEscaped(stage.shown(input, s)));
      rows += fmt::format("<tr><td>{}</td><td>{}</td><td>{}</td></tr>\n", markupEscaped(key),
                          markupEscaped(stage.name), markupEscaped(stage.shown(input, s)));
    }
    y += 8;
    const double median = labelWidth + barWidth / widestRatio;
    for (size_t c : comparisons) {
      const auto value = input.number(c, s);
      const std::string& name = input.table().columns[c].name;
      const double width = barWidth * value.value_or(0) / widestRatio;
      out += fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text><rect class=\"{}\" "
                         "data-comparison=\"{}\" data-subject=\"{}\" data-value=\"{}\"{} x=\"{}\" "
                         "y=\"{}\" width=\"{}\" height=\"{}\"/><text x=\"{}\" y=\"{}\">{}</text>\n",
                         svgNumber(labelWidth - 8), svgNumber(y + 14), markupEscaped(name),
                         weakest == c ? "versus weakest" : "versus", markupEscaped(name),
                         markupEscaped(key), markupEscaped(input.csv(c, s)),
                         weakest == c ? " data-weakest=\"true\"" : "", svgNumber(labelWidth),
                         svgNumber(y), svgNumber(width), svgNumber(rowHeight - 5),
                         svgNumber(labelWidth + barWidth + 6), svgNumber(y + 14),
                         markupEscaped(input.shown(c, s)));
      rows += fmt::format("<tr><td>{}</td><td>{}</td><td>{}</td></tr>\n", markupEscaped(key),
                          markupEscaped(name), markupEscaped(input.shown(c, s)));
      y += rowHeight;
    }
    if (!comparisons.empty())
      out += fmt::format("<line class=\"median-line\" x1=\"{0}\" y1=\"{1}\" x2=\"{0}\" y2=\"{2}\"/>"
                         "<text x=\"{0}\" y=\"{3}\" text-anchor=\"middle\">team median</text>\n",
                         svgNumber(median),
                         svgNumber(4 + rowHeight * static_cast<double>(stages.size()) + 8),
                         svgNumber(y), svgNumber(y + 12));
    out += "</svg></figure>\n";
  }
  if (order.size() > kMostSubjects)
    out += fmt::format("<p>The first {} of {} subjects are drawn; the subjects table lists every "
                       "one.</p>\n",
                       kMostSubjects, order.size());
  out += chartDataTable({"subject", "stage", "value"}, rows) + "</section>\n";
  return out;
}

} // namespace fulcrum::cli::report
