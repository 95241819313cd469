// The alert feed's formats. Records arrive in the feed's order (runtime/program/RunAlerts.cpp).
#include "runtime/output/AlertFeed.h"

#include "support/Text.h"

#include <cctype>
#include <fmt/format.h>

namespace fulcrum::runtime {

namespace {

std::string dateText(const AlertRecord& record) {
  return record.date ? formatDate(*record.date) : "";
}

std::string csv(const std::vector<AlertRecord>& alerts) {
  std::string out = "subject,alert,title,date,message,priority\n";
  for (const AlertRecord& a : alerts)
    out += fmt::format("{},{},{},{},{},{}\n", csvField(a.subject), csvField(a.alert),
                       csvField(a.title), dateText(a), csvField(a.message),
                       csvField(a.priority.value_or("")));
  return out;
}

std::string json(const std::vector<AlertRecord>& alerts) {
  std::string out = "[";
  for (size_t i = 0; i < alerts.size(); ++i) {
    const AlertRecord& a = alerts[i];
    std::string priority = "null";
    if (a.priority && !a.priority->empty())
      priority = a.priorityIsText ? jsonQuote(*a.priority) : *a.priority;
    out += fmt::format(
        "{}\n  {{\"subject\": {}, \"alert\": {}, \"title\": {}, \"date\": {}, \"message\": {}, "
        "\"priority\": {}}}",
        i ? "," : "", jsonQuote(a.subject), jsonQuote(a.alert), jsonQuote(a.title),
        a.date ? jsonQuote(dateText(a)) : "null", jsonQuote(a.message), priority);
  }
  return out + (alerts.empty() ? "]\n" : "\n]\n");
}

// Like the feed a rep reads: a count at the top, then each subject's alerts, newest first.
std::string table(const std::vector<AlertRecord>& alerts, const std::string& subjectEntity) {
  std::string entity = subjectEntity;
  if (!entity.empty())
    entity[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(entity[0])));
  std::string out = fmt::format("{} Alerts - {}\n", entity, alerts.size());
  for (size_t i = 0; i < alerts.size(); ++i) {
    const AlertRecord& a = alerts[i];
    if (i == 0 || alerts[i - 1].subject != a.subject)
      out += fmt::format("\n{}\n", a.subject);
    out += fmt::format("  {:<10}  {}: {}", dateText(a).empty() ? "-" : dateText(a), a.title,
                       a.message);
    if (a.priority && !a.priority->empty())
      out += fmt::format("  (priority {})", *a.priority);
    out += "\n";
  }
  return out;
}

} // namespace

std::string formatAlerts(const std::vector<AlertRecord>& alerts, OutputFormat format,
                         const std::string& subjectEntity) {
  switch (format) {
  case OutputFormat::Csv:
    return csv(alerts);
  case OutputFormat::Json:
    return json(alerts);
  case OutputFormat::Table:
    return table(alerts, subjectEntity);
  }
  return "";
}

} // namespace fulcrum::runtime
