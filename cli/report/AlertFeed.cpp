// The alert feed, grouped by subject (subjects in the feed's order: by rank, else by key), each
// subject's alerts newest first, as `fulcrum alerts` lists them. A very long feed is cut, with
// the count of what is left out (`fulcrum alerts` lists every one).
#include "cli/report/Html.h"
#include "cli/report/ReportInput.h"
#include "support/Calendar.h"

#include <fmt/format.h>
#include <map>

namespace fulcrum::cli::report {

std::string alertFeed(const ReportInput& input) {
  if (!input.shape.hasAlerts)
    return "";
  const std::vector<runtime::AlertRecord>& alerts = input.result.alerts;
  std::vector<std::string> subjects; // in the feed's order
  std::map<std::string, std::vector<const runtime::AlertRecord*>> bySubject;
  for (const runtime::AlertRecord& alert : alerts) {
    auto& list = bySubject[alert.subject];
    if (list.empty())
      subjects.push_back(alert.subject);
    list.push_back(&alert);
  }
  constexpr size_t kMostShown = 2000;
  std::string out = fmt::format("<section aria-labelledby=\"alerts-heading\">\n<h2 "
                                "id=\"alerts-heading\">Alerts: {} for {} subject{}</h2>\n",
                                alerts.size(), subjects.size(), subjects.size() == 1 ? "" : "s");
  if (alerts.empty())
    out += "<p>No alert fired.</p>\n";
  size_t shown = 0;
  for (const std::string& subject : subjects) {
    if (shown >= kMostShown)
      break;
    out += fmt::format("<h3 class=\"alert-subject\">{}</h3>\n<ul class=\"alerts\">\n",
                       markupEscaped(subject));
    for (const runtime::AlertRecord* alert : bySubject.at(subject)) {
      if (shown++ >= kMostShown)
        break;
      const std::string date = alert->date ? formatDate(*alert->date) : "";
      out += fmt::format("<li data-alert=\"{}\" data-subject=\"{}\" data-date=\"{}\"><time>{}"
                         "</time> <strong>{}</strong>: {}</li>\n",
                         markupEscaped(alert->alert), markupEscaped(alert->subject), date, date,
                         markupEscaped(alert->title), markupEscaped(alert->message));
    }
    out += "</ul>\n";
  }
  if (alerts.size() > kMostShown)
    out += fmt::format("<p>{} more alerts not shown; <code>fulcrum alerts</code> lists every one."
                       "</p>\n",
                       alerts.size() - kMostShown);
  out += "</section>\n";
  return out;
}

} // namespace fulcrum::cli::report
