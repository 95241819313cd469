// The alert feed (`fulcrum alerts`): one record per alert that fired, and its formats.
#pragma once

#include "runtime/output/ResultFormat.h"
#include "support/Calendar.h"

#include <optional>
#include <string>
#include <vector>

namespace fulcrum::runtime {

struct AlertRecord {
  std::string subject; // the subject's key
  std::string alert;   // the alert's name
  std::string title;
  std::optional<DayNumber> date; // the row's date (active), the as-of day (passive)
  std::string message;
  // Its priority as CSV prints it (empty when missing), and whether JSON quotes it; none when
  // the alert declares no priority.
  std::optional<std::string> priority;
  bool priorityIsText = false;
  // Who it is across runs (`--state`): alert, subject, and for an active alert the row's key,
  // or a hash of the row's fields when its table has no key.
  std::string identity;
  bool active = false;
};

// CSV and JSON: one record per alert, fields `subject, alert, title, date, message, priority`.
// The table format: `{Entity} Alerts - N`, then per subject a heading and its alerts.
// `subjectEntity` names the subject entity (`account`) for the table's heading.
std::string formatAlerts(const std::vector<AlertRecord>& alerts, OutputFormat format,
                         const std::string& subjectEntity);

} // namespace fulcrum::runtime
