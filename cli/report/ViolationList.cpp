// The checks' violations, each with the values behind it as `fulcrum run` reports them; the
// subjects table marks the same cells in place.
#include "cli/report/Html.h"
#include "cli/report/ReportInput.h"

#include <fmt/format.h>

namespace fulcrum::cli::report {

std::string violationList(const ReportInput& input) {
  const auto& violations = input.result.violations;
  if (violations.empty())
    return "";
  std::string out = fmt::format("<section aria-labelledby=\"violations-heading\">\n<h2 "
                                "id=\"violations-heading\">Checks violated: {}</h2>\n<ul "
                                "id=\"violations\">\n",
                                violations.size());
  for (const runtime::CheckViolation& v : violations)
    out += fmt::format("<li data-check=\"{}\" data-subject=\"{}\"><strong>{}</strong>: \"{}\" "
                       "violated ({})</li>\n",
                       markupEscaped(v.check), markupEscaped(v.subject), markupEscaped(v.subject),
                       markupEscaped(v.check), markupEscaped(v.valuesText()));
  out += "</ul>\n</section>\n";
  return out;
}

} // namespace fulcrum::cli::report
