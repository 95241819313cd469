// With --periods (or --as-of-every: each run is then labelled by its as-of date, not its period):
// each band's distribution in every period (a stacked bar per period), the moves
// between the first period's band and the last's, and the subjects whose band changed, each with
// its band and score in every period. Subjects match across periods by key.
#include "cli/report/Html.h"
#include "cli/report/ReportInput.h"

#include <algorithm>
#include <fmt/format.h>
#include <map>

namespace fulcrum::cli::report {

namespace {

constexpr size_t kMostMovers = 300;

// Per period, the subject's row by key.
std::vector<std::map<std::string, size_t>> rowsByKey(const std::vector<PeriodRun>& trend) {
  std::vector<std::map<std::string, size_t>> rows;
  for (const PeriodRun& run : trend)
    rows.push_back(report::rowsByKey(run.result.table));
  return rows;
}

std::string bandTrend(const ReportInput& input, const BandShape& band,
                      const std::vector<std::map<std::string, size_t>>& rows) {
  const std::vector<PeriodRun>& trend = input.trend;
  std::vector<std::map<std::string, size_t>> counts(trend.size());
  std::vector<std::string> labels = band.labels;
  for (size_t p = 0; p < trend.size(); ++p) {
    const runtime::ResultTable& table = trend[p].result.table;
    const auto column = columnOf(table, band.name);
    if (!column)
      return "";
    for (size_t s = 0; s < table.subjects(); ++s)
      ++counts[p][table.raw(*column, s)];
  }
  std::vector<std::string> extra;
  bool anyMissing = false;
  for (const auto& period : counts)
    for (const auto& [label, n] : period) {
      if (label.empty())
        anyMissing = true;
      else if (std::find(labels.begin(), labels.end(), label) == labels.end() &&
               std::find(extra.begin(), extra.end(), label) == extra.end())
        extra.push_back(label);
    }
  std::sort(extra.begin(), extra.end());
  labels.insert(labels.end(), extra.begin(), extra.end());
  if (anyMissing)
    labels.push_back("");

  const double labelWidth = 90, barWidth = 480, rowHeight = 24;
  const double height = rowHeight * static_cast<double>(trend.size()) + 8;
  std::string out = fmt::format("<h3>Band <code>{}</code> over time</h3>\n<p class=\"legend\">",
                                markupEscaped(band.name));
  for (size_t i = 0; i < labels.size(); ++i)
    out += fmt::format("<span class=\"swatch {}\"></span>{} ", bandColourClass(labels[i], i),
                       markupEscaped(labels[i].empty() ? "(missing)" : labels[i]));
  out += "</p>\n";
  out += fmt::format("<svg data-chart=\"band-trend\" data-column=\"{}\" viewBox=\"0 0 {} {}\" "
                     "width=\"{}\" height=\"{}\" role=\"img\" aria-label=\"{} over time\">\n",
                     markupEscaped(band.name), svgNumber(labelWidth + barWidth + 10),
                     svgNumber(height), svgNumber(labelWidth + barWidth + 10), svgNumber(height),
                     markupEscaped(band.name));
  std::string rowsHtml;
  for (size_t p = 0; p < trend.size(); ++p) {
    size_t total = 0;
    for (const auto& [label, n] : counts[p])
      total += n;
    const double y = 4 + rowHeight * static_cast<double>(p);
    out +=
        fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>",
                    svgNumber(labelWidth - 8), svgNumber(y + 15), markupEscaped(trend[p].period));
    double x = labelWidth;
    rowsHtml += "<tr><th scope=\"row\">" + markupEscaped(trend[p].period) + "</th>";
    for (size_t i = 0; i < labels.size(); ++i) {
      const size_t n = counts[p].count(labels[i]) ? counts[p].at(labels[i]) : 0;
      const double width =
          total ? barWidth * static_cast<double>(n) / static_cast<double>(total) : 0;
      out += fmt::format("<rect class=\"{}\" data-period=\"{}\" data-band=\"{}\" "
                         "data-count=\"{}\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"><title>{} "
                         "{}: {}</title></rect>",
                         bandColourClass(labels[i], i), markupEscaped(trend[p].period),
                         markupEscaped(labels[i]), n, svgNumber(x), svgNumber(y), svgNumber(width),
                         svgNumber(rowHeight - 6), markupEscaped(trend[p].period),
                         markupEscaped(labels[i].empty() ? "(missing)" : labels[i]), n);
      x += width;
      rowsHtml += fmt::format("<td>{}</td>", n);
    }
    out += "\n";
    rowsHtml += "</tr>\n";
  }
  std::vector<std::string> headers = {"period"};
  for (const std::string& label : labels)
    headers.push_back(label.empty() ? "(missing)" : label);
  out += "</svg>\n" + chartDataTable(headers, rowsHtml);

  // From the first period's band to the last's, for the subjects of both.
  const runtime::ResultTable& first = trend.front().result.table;
  const runtime::ResultTable& last = trend.back().result.table;
  const auto firstColumn = columnOf(first, band.name), lastColumn = columnOf(last, band.name);
  std::map<std::pair<std::string, std::string>, size_t> moves;
  for (size_t s = 0; s < last.subjects(); ++s)
    if (auto at = rows.front().find(last.keys[s]); at != rows.front().end())
      ++moves[{first.raw(*firstColumn, at->second), last.raw(*lastColumn, s)}];
  out += fmt::format("<h3>From {} to {}</h3>\n<table class=\"band-moves chart-data\" "
                     "data-column=\"{}\"><thead><tr><th scope=\"col\">in {}</th><th scope=\"col\">"
                     "in {}</th><th scope=\"col\">subjects</th></tr></thead><tbody>\n",
                     markupEscaped(trend.front().period), markupEscaped(trend.back().period),
                     markupEscaped(band.name), markupEscaped(trend.front().period),
                     markupEscaped(trend.back().period));
  for (const auto& [move, n] : moves)
    if (move.first != move.second)
      out += fmt::format("<tr data-from=\"{0}\" data-to=\"{1}\" data-count=\"{2}\"><td>{3}</td>"
                         "<td>{4}</td><td>{2}</td></tr>\n",
                         markupEscaped(move.first), markupEscaped(move.second), n,
                         markupEscaped(move.first.empty() ? "(missing)" : move.first),
                         markupEscaped(move.second.empty() ? "(missing)" : move.second));
  out += "</tbody></table>\n";
  return out;
}

// The subjects whose band is not the same in every period, a subject absent from a period's run
// counting as a band of its own (so present -> absent and absent -> present are moves): each
// with its band and score in every period. Every subject of any period is considered: the last
// period's in its order, then those only earlier periods hold, in the order they first appear.
std::string movers(const ReportInput& input, const BandShape& band,
                   const std::vector<std::map<std::string, size_t>>& rows) {
  const std::vector<PeriodRun>& trend = input.trend;
  const std::string score = input.shape.scores.empty() ? "" : input.shape.scores.front().name;
  std::vector<std::string> keys;
  for (size_t s : runtime::subjectOrder(input.table()))
    keys.push_back(input.table().keys[s]);
  for (size_t p = 0; p + 1 < trend.size(); ++p)
    for (size_t s : runtime::subjectOrder(trend[p].result.table)) {
      const std::string& key = trend[p].result.table.keys[s];
      bool seen = rows.back().count(key) > 0;
      for (size_t q = 0; q < p && !seen; ++q)
        seen = rows[q].count(key) > 0;
      if (!seen)
        keys.push_back(key);
    }
  std::string body;
  size_t count = 0, listed = 0;
  for (const std::string& key : keys) {
    std::vector<std::optional<std::string>> bands; // nullopt: absent from that period's run
    for (size_t p = 0; p < trend.size(); ++p) {
      const runtime::ResultTable& table = trend[p].result.table;
      const auto at = rows[p].find(key);
      const auto column = columnOf(table, band.name);
      if (at == rows[p].end())
        bands.emplace_back(std::nullopt);
      else
        bands.emplace_back(column ? table.raw(*column, at->second) : "");
    }
    if (std::all_of(bands.begin(), bands.end(), [&](const auto& b) { return b == bands[0]; }))
      continue;
    if (++count > kMostMovers)
      continue;
    ++listed;
    body += fmt::format("<tr data-subject=\"{0}\"><th scope=\"row\">{0}</th>", markupEscaped(key));
    for (size_t p = 0; p < trend.size(); ++p) {
      const runtime::ResultTable& table = trend[p].result.table;
      const auto at = rows[p].find(key);
      if (!bands[p]) {
        body += fmt::format("<td data-period=\"{}\" data-absent=\"true\">absent</td>",
                            markupEscaped(trend[p].period));
        continue;
      }
      const auto column = score.empty() ? std::nullopt : columnOf(table, score);
      const std::string scoreCsv = column ? table.raw(*column, at->second) : "";
      const std::string scoreShown =
          column ? runtime::humanValue(table, *column, at->second) : std::string("-");
      body += fmt::format("<td data-period=\"{}\" data-band=\"{}\"{}>{}{}</td>",
                          markupEscaped(trend[p].period), markupEscaped(*bands[p]),
                          score.empty() ? "" : " data-score=\"" + markupEscaped(scoreCsv) + "\"",
                          markupEscaped(bands[p]->empty() ? "-" : *bands[p]),
                          score.empty() ? "" : " (" + markupEscaped(scoreShown) + ")");
    }
    body += "</tr>\n";
  }
  std::string out = fmt::format("<h3>Who moved: {} subject{} changed <code>{}</code></h3>\n", count,
                                count == 1 ? "" : "s", markupEscaped(band.name));
  if (count == 0)
    return out;
  out += "<div class=\"scroll\"><table id=\"movers\" class=\"chart-data\"><thead><tr><th "
         "scope=\"col\">" +
         markupEscaped(input.table().keyName) + "</th>";
  for (const PeriodRun& run : trend)
    out += "<th scope=\"col\">" + markupEscaped(run.period) + "</th>";
  out += "</tr></thead><tbody>\n" + body + "</tbody></table></div>\n";
  if (count > listed)
    out += fmt::format("<p>The first {} of {} are listed.</p>\n", listed, count);
  return out;
}

} // namespace

std::string trends(const ReportInput& input) {
  if (input.trend.empty() || input.shape.bands.empty())
    return "";
  const auto rows = rowsByKey(input.trend);
  std::string out = fmt::format("<section aria-labelledby=\"trends-heading\">\n<h2 "
                                "id=\"trends-heading\">From {} to {}</h2>\n",
                                markupEscaped(input.trend.front().period),
                                markupEscaped(input.trend.back().period));
  for (const BandShape& band : input.shape.bands)
    out += bandTrend(input, band, rows);
  out += movers(input, input.shape.bands.front(), rows);
  out += "</section>\n";
  return out;
}

} // namespace fulcrum::cli::report
