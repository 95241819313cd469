// A score's histogram: ten bins over [0, out of] (the score's whole range, so two runs compare),
// each a bar of how many subjects score in it; missing scores counted apart; a table behind.
// The edges are computed once and a value placed by comparing with them (low <= v < high, the
// last bin closed, values outside the range in the end bins): the bin a value is counted in is
// the one its data-bin-low/high say, to the last bit (dividing by the bin's width would put
// 0.3 out of 3 below the edge 0.3 it equals).
#include "cli/report/Html.h"
#include "cli/report/ReportInput.h"

#include <algorithm>
#include <fmt/format.h>

namespace fulcrum::cli::report {

std::string histogram(const ReportInput& input, const ScoreShape& score) {
  const std::optional<size_t> column = input.column(score.name);
  if (!column || score.outOf <= 0)
    return "";
  constexpr size_t kBins = 10;
  std::vector<double> edges(kBins + 1);
  for (size_t i = 0; i <= kBins; ++i)
    edges[i] = score.outOf * static_cast<double>(i) / kBins;
  std::vector<size_t> counts(kBins, 0);
  size_t missing = 0;
  for (size_t s = 0; s < input.table().subjects(); ++s) {
    const std::optional<double> value = input.number(*column, s);
    if (!value) {
      ++missing;
      continue;
    }
    // The first edge above the value closes its bin: [0, 0.5), ..., [4.5, 5].
    const auto above = std::upper_bound(edges.begin() + 1, edges.end() - 1, *value);
    counts[static_cast<size_t>(above - (edges.begin() + 1))]++;
  }
  const size_t most = std::max<size_t>(1, *std::max_element(counts.begin(), counts.end()));
  const double barWidth = 40, plotHeight = 160, left = 40, top = 18;
  const double width = left + barWidth * kBins + 20, height = top + plotHeight + 40;
  std::string out = fmt::format(
      "<section class=\"chart\" aria-labelledby=\"hist-{0}\">\n<h2 id=\"hist-{0}\">Score "
      "<code>{0}</code> (out of {1}): how many subjects score in each tenth</h2>\n",
      markupEscaped(score.name), svgNumber(score.outOf));
  out += fmt::format("<svg data-chart=\"histogram\" data-column=\"{}\" viewBox=\"0 0 {} {}\" "
                     "width=\"{}\" height=\"{}\" role=\"img\" aria-label=\"Histogram of {}\">\n",
                     markupEscaped(score.name), svgNumber(width), svgNumber(height),
                     svgNumber(width), svgNumber(height), markupEscaped(score.name));
  out +=
      fmt::format("<line class=\"axis\" x1=\"{0}\" y1=\"{1}\" x2=\"{2}\" y2=\"{1}\"/>\n",
                  svgNumber(left), svgNumber(top + plotHeight), svgNumber(left + barWidth * kBins));
  std::string rows;
  for (size_t i = 0; i < kBins; ++i) {
    const double low = edges[i], high = edges[i + 1];
    const double h = plotHeight * static_cast<double>(counts[i]) / static_cast<double>(most);
    const double x = left + barWidth * static_cast<double>(i);
    const std::string range = fmt::format("{:.2f} to {:.2f}", low, high);
    out += fmt::format("<rect class=\"hist-bar\" data-bin-low=\"{}\" data-bin-high=\"{}\" "
                       "data-count=\"{}\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\">"
                       "<title>{}: {}</title></rect>",
                       low, high, counts[i], svgNumber(x + 2), svgNumber(top + plotHeight - h),
                       svgNumber(barWidth - 4), svgNumber(h), range, counts[i]);
    if (counts[i] > 0)
      out +=
          fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>",
                      svgNumber(x + barWidth / 2), svgNumber(top + plotHeight - h - 3), counts[i]);
    out += "\n";
    rows += fmt::format("<tr><th scope=\"row\">{}</th><td>{}</td></tr>\n",
                        i + 1 == kBins ? fmt::format("{:.2f} to {:.2f}", low, high)
                                       : fmt::format("{:.2f} to under {:.2f}", low, high),
                        counts[i]);
  }
  for (size_t i = 0; i <= kBins; i += 2)
    out += fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>",
                       svgNumber(left + barWidth * static_cast<double>(i)),
                       svgNumber(top + plotHeight + 16), svgNumber(edges[i]));
  out += "\n</svg>\n";
  if (missing > 0)
    out += fmt::format("<p>{} subject{} without a score.</p>\n", missing, missing == 1 ? "" : "s");
  out += chartDataTable({score.name, "subjects"}, rows) + "</section>\n";
  return out;
}

} // namespace fulcrum::cli::report
