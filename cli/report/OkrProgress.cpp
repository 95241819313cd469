// OKRs: per subject and per objective, a progress bar for each key result against the 0.7 line
// (the standard library's "on track"), the objective's score and grade; a table behind. The first
// subjects in the table's order are drawn (every key result's figures are in the subjects table).
#include "cli/report/Html.h"
#include "cli/report/ReportInput.h"

#include <fmt/format.h>

namespace fulcrum::cli::report {

namespace {

constexpr double kOnTrack = 0.7;
constexpr size_t kMostSubjects = 60;

std::string objectiveChart(const ReportInput& input, const ObjectiveShape& objective, size_t s,
                           std::string& rows) {
  const std::string& key = input.table().keys[s];
  const double labelWidth = 260, barWidth = 300, rowHeight = 26;
  const double height = rowHeight * static_cast<double>(objective.keyResults.size()) + 24;
  const auto score = input.column(objective.name + ".score");
  const auto grade = input.column(objective.name + ".grade");
  std::string out = fmt::format(
      "<figure class=\"okr\"><figcaption><strong>{}</strong>: {} &mdash; score {}, grade "
      "<span data-grade=\"{}\">{}</span></figcaption>\n",
      markupEscaped(key), markupEscaped(objective.title.empty() ? objective.name : objective.title),
      score ? markupEscaped(input.shown(*score, s)) : "-",
      grade ? markupEscaped(input.csv(*grade, s)) : "",
      grade ? markupEscaped(input.shown(*grade, s)) : "-");
  out += fmt::format("<svg data-chart=\"okr\" data-subject=\"{}\" data-objective=\"{}\" "
                     "viewBox=\"0 0 {} {}\" width=\"{}\" height=\"{}\" role=\"img\" "
                     "aria-label=\"Key results of {}\">\n",
                     markupEscaped(key), markupEscaped(objective.name),
                     svgNumber(labelWidth + barWidth + 90), svgNumber(height),
                     svgNumber(labelWidth + barWidth + 90), svgNumber(height),
                     markupEscaped(objective.name));
  for (size_t i = 0; i < objective.keyResults.size(); ++i) {
    const KeyResultShape& kr = objective.keyResults[i];
    const auto progress = input.column(kr.name + ".progress");
    const auto actual = input.column(kr.name + ".actual");
    const auto target = input.column(kr.name + ".target");
    if (!progress)
      continue;
    const double y = 4 + rowHeight * static_cast<double>(i);
    const double value = input.number(*progress, s).value_or(0);
    const bool onTrack = value >= kOnTrack;
    out += fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>",
                       svgNumber(labelWidth - 8), svgNumber(y + 17), markupEscaped(kr.name));
    out += fmt::format("<rect class=\"track\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"/>",
                       svgNumber(labelWidth), svgNumber(y), svgNumber(barWidth),
                       svgNumber(rowHeight - 6));
    out += fmt::format("<rect class=\"{}\" data-key-result=\"{}\" data-subject=\"{}\" "
                       "data-progress=\"{}\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\">"
                       "<title>{}: {}</title></rect>",
                       onTrack ? "kr on-track" : "kr behind", markupEscaped(kr.name),
                       markupEscaped(key), markupEscaped(input.csv(*progress, s)),
                       svgNumber(labelWidth), svgNumber(y), svgNumber(barWidth * value),
                       svgNumber(rowHeight - 6), markupEscaped(kr.title),
                       markupEscaped(input.shown(*progress, s)));
    out += fmt::format("<text x=\"{}\" y=\"{}\">{}</text>\n", svgNumber(labelWidth + barWidth + 6),
                       svgNumber(y + 17), markupEscaped(input.shown(*progress, s)));
    rows += fmt::format(
        "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>\n",
        markupEscaped(key), markupEscaped(objective.name), markupEscaped(kr.name),
        actual ? markupEscaped(input.shown(*actual, s)) : "-",
        target ? markupEscaped((kr.lowerIsBetter ? "below " : "") + input.shown(*target, s)) : "-",
        markupEscaped(input.shown(*progress, s)));
  }
  const double line = labelWidth + barWidth * kOnTrack;
  out += fmt::format("<line class=\"on-track-line\" x1=\"{0}\" y1=\"0\" x2=\"{0}\" y2=\"{1}\"/>"
                     "<text x=\"{0}\" y=\"{2}\" text-anchor=\"middle\">0.7</text>\n",
                     svgNumber(line), svgNumber(height - 16), svgNumber(height - 4));
  out += "</svg></figure>\n";
  return out;
}

} // namespace

std::string okrProgress(const ReportInput& input) {
  if (input.shape.objectives.empty())
    return "";
  const std::vector<size_t> order = runtime::subjectOrder(input.table());
  std::string out = "<section aria-labelledby=\"okr-heading\">\n<h2 id=\"okr-heading\">Key "
                    "results: progress against the 0.7 line</h2>\n";
  std::string rows;
  for (size_t i = 0; i < order.size() && i < kMostSubjects; ++i)
    for (const ObjectiveShape& objective : input.shape.objectives)
      out += objectiveChart(input, objective, order[i], rows);
  if (order.size() > kMostSubjects)
    out += fmt::format("<p>The first {} of {} subjects are drawn; the table below the charts "
                       "lists every one.</p>\n",
                       kMostSubjects, order.size());
  out +=
      chartDataTable({"subject", "objective", "key result", "actual", "target", "progress"}, rows) +
      "</section>\n";
  return out;
}

} // namespace fulcrum::cli::report
