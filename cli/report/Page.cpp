// The page: a header saying what was run, the pictures the framework's shape calls for, then
// every subject. The same input gives the same bytes (no clock, no random ids, maps sorted).
#include "cli/report/Page.h"

#include "cli/report/Html.h"

#include <fmt/format.h>

namespace fulcrum::cli::report {

std::string reportPage(const ReportInput& input) {
  const ReportShape& shape = input.shape;
  const std::string title =
      shape.title.empty() ? shape.framework : shape.title + " (" + shape.framework + ")";
  std::string out = "<!DOCTYPE html>\n<html lang=\"en\" data-fulcrum-report=\"1\">\n<head>\n"
                    "<meta charset=\"utf-8\">\n"
                    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  // Nothing may be fetched, whatever a value holds: no URL is written, and the policy says so.
  out += "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
         "style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">\n";
  out += "<title>" + markupEscaped(title) + " &mdash; " + markupEscaped(input.when) + "</title>\n";
  out += std::string("<style>\n") + kPageStyle + "</style>\n</head>\n<body>\n";
  out += fmt::format("<header><h1>{}</h1>\n<p>Framework <code>{}</code>, {}: {} {}{}.{}</p>\n"
                     "</header>\n<main>\n",
                     markupEscaped(title), markupEscaped(shape.framework),
                     markupEscaped(input.when), input.table().subjects(),
                     markupEscaped(input.table().keyName), input.table().subjects() == 1 ? "" : "s",
                     input.result.violations.empty()
                         ? std::string()
                         : fmt::format(" {} check violation{}.", input.result.violations.size(),
                                       input.result.violations.size() == 1 ? "" : "s"));
  out += "<div class=\"charts\">\n";
  for (const BandShape& band : shape.bands)
    out += bandChart(input, band);
  for (const ScoreShape& score : shape.scores)
    out += histogram(input, score);
  out += "</div>\n";
  out += trends(input);
  if (shape.quadrant) {
    out += scatter2x2(input, *shape.quadrant);
    if (!shape.quadrant->rank.empty())
      out += topSubjects(input, shape.quadrant->rank);
  }
  out += cascade(input);
  out += okrProgress(input);
  out += checkIn(input);
  if (shape.funnel)
    out += funnel(input, *shape.funnel);
  out += alertFeed(input);
  out += violationList(input);
  out += subjectsTable(input);
  out += "</main>\n<footer><p>Written by <code>fulcrum report</code>; every figure is the run's "
         "(<code>fulcrum run --format csv</code> gives the same cells).</p>\n";
  if (!input.provenance.empty())
    out += "<p class=\"provenance\">" + markupEscaped(input.provenance) + "</p>\n";
  out += "</footer>\n";
  out += std::string("<script>\n") + kPageScript + "</script>\n</body>\n</html>\n";
  return out;
}

} // namespace fulcrum::cli::report
