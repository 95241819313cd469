// Alert lists: the alerts of a run (fulcrum_result_alerts), and the lists an alert session hands
// out (api/ alert sessions fill them with fillAlerts, api/Handles.h).
#include "api/Handles.h"

extern "C" {

fulcrum_status fulcrum_alert_list_count(const fulcrum_alert_list* list, size_t* out) {
  if (!list || !out)
    return FULCRUM_USAGE_ERROR;
  *out = list->entries.size();
  return FULCRUM_OK;
}

fulcrum_status fulcrum_alert_list_get(const fulcrum_alert_list* list, size_t index,
                                      fulcrum_alert* out) {
  if (!list || !out || index >= list->entries.size())
    return FULCRUM_USAGE_ERROR;
  const fulcrum_alert_list::Entry& entry = list->entries[index];
  out->subject = entry.subject.c_str();
  out->alert = entry.alert.c_str();
  out->title = entry.title.c_str();
  out->date = entry.date.c_str();
  out->message = entry.message.c_str();
  out->priority = entry.priority ? entry.priority->c_str() : nullptr;
  out->identity = entry.identity.c_str();
  return FULCRUM_OK;
}

void fulcrum_alert_list_free(fulcrum_alert_list* list) {
  delete list;
}

fulcrum_status fulcrum_result_alerts(const fulcrum_result* result, const fulcrum_alert_list** out) {
  if (!result || !out)
    return FULCRUM_USAGE_ERROR;
  *out = &result->alerts;
  return FULCRUM_OK;
}

} // extern "C"
