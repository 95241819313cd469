// The C API's alert sessions (include/fulcrum/fulcrum.h, "Alerts"): fulcrum_alert_session_*
// over runtime::AlertSession (runtime/program/AlertSession.h), which keeps the run between feeds.
#include "runtime/program/AlertSession.h"

#include "api/Handles.h"
#include "runtime/arrow/ArrowImport.h"

#include <string_view>
#include <vector>

struct fulcrum_alert_session {
  std::unique_ptr<fulcrum::runtime::AlertSession> session;
};

namespace fulcrum::api {
namespace {

// A step's outcome as the C API hands it out: the alerts that became true, or the error.
fulcrum_status handOut(runtime::AlertSessionResult result, fulcrum_alert_list** fired,
                       fulcrum_error** error) {
  if (result.status != runtime::RunStatus::Ok)
    return fail(error, runError(statusOf(result.status), result.errors, result.issues));
  if (fired) {
    auto list = std::make_unique<fulcrum_alert_list>();
    fillAlerts(result.fired, *list);
    *fired = list.release();
  }
  return FULCRUM_OK;
}

// The structs are the caller's to give up on every path, failures included (fulcrum.h), as
// fulcrum_data_bind_arrow's are.
void releaseGiven(ArrowSchema* schema, ArrowArray* array) {
  if (array && array->release)
    array->release(array);
  if (schema && schema->release)
    schema->release(schema);
}

} // namespace
} // namespace fulcrum::api

extern "C" {

fulcrum_status fulcrum_alert_session_new(const fulcrum_data* data, const char* events_table,
                                         const fulcrum_run_options* options,
                                         fulcrum_alert_session** out, fulcrum_error** error) {
  using namespace fulcrum::api;
  return guarded(error, [&] {
    if (out)
      *out = nullptr;
    if (!data)
      return nullArgument(error, "data");
    if (!events_table)
      return nullArgument(error, "events_table");
    if (!out)
      return nullArgument(error, "out");
    if (!data->loaded || !data->data || !data->runtime)
      return fail(error, FULCRUM_USAGE_ERROR,
                  "the data is not loaded: call fulcrum_data_load before starting an alert "
                  "session on it",
                  "UsageError");
    fulcrum::runtime::RunRequest request = options ? options->request : data->request;
    fulcrum::runtime::AlertSessionResult outcome;
    auto session = fulcrum::runtime::AlertSession::create(*data->runtime, *data->data, events_table,
                                                          request, outcome);
    if (!session)
      return fail(error, runError(statusOf(outcome.status), outcome.errors, outcome.issues));
    auto handle = std::make_unique<fulcrum_alert_session>();
    handle->session = std::move(session);
    *out = handle.release();
    return FULCRUM_OK;
  });
}

fulcrum_status fulcrum_alert_session_feed_row(fulcrum_alert_session* session,
                                              const char* const* cells, size_t cell_count,
                                              fulcrum_alert_list** fired, fulcrum_error** error) {
  using namespace fulcrum::api;
  return guarded(error, [&] {
    if (fired)
      *fired = nullptr;
    if (!session)
      return nullArgument(error, "session");
    if (!cells && cell_count > 0)
      return nullArgument(error, "cells");
    const fulcrum::runtime::TableSchema& schema = session->session->eventsSchema();
    if (cell_count != schema.fields.size())
      return fail(error, FULCRUM_USAGE_ERROR,
                  "a row of " + schema.name + " has " + std::to_string(schema.fields.size()) +
                      " cells, one per field in declaration order; " + std::to_string(cell_count) +
                      " were given",
                  "UsageError");
    std::vector<std::string_view> row;
    row.reserve(cell_count);
    for (size_t i = 0; i < cell_count; ++i)
      row.emplace_back(cells[i] ? cells[i] : "");
    return handOut(session->session->feed(row), fired, error);
  });
}

fulcrum_status fulcrum_alert_session_feed_arrow(fulcrum_alert_session* session,
                                                struct ArrowSchema* schema,
                                                struct ArrowArray* array,
                                                fulcrum_alert_list** fired, fulcrum_error** error) {
  using namespace fulcrum::api;
  const fulcrum_status status = guarded(error, [&] {
    if (fired)
      *fired = nullptr;
    if (!session)
      return nullArgument(error, "session");
    if (!schema)
      return nullArgument(error, "schema");
    if (!array)
      return nullArgument(error, "array");
    const fulcrum::runtime::TableSchema& fields = session->session->eventsSchema();
    std::string problem;
    // Taken (moved) here; whatever happens below, the host's memory goes when `rows` does,
    // before the call returns: the session copies what it appends.
    auto rows = fulcrum::runtime::arrow::ArrowHostTable::take(fields.name, schema, array, problem);
    // Columns that are no struct array, or do not fit the fields: a data error, as
    // fulcrum_data_bind_arrow reports them (a bad cell is one too, naming its row).
    if (rows)
      problem = rows->mismatch(fields);
    if (!problem.empty())
      return arrowColumnsError(error, fields.name, problem);
    return handOut(session->session->feed(*rows), fired, error);
  });
  releaseGiven(schema, array); // released already when taken (their release is null then)
  return status;
}

fulcrum_status fulcrum_alert_session_advance(fulcrum_alert_session* session, const char* date,
                                             fulcrum_alert_list** fired, fulcrum_error** error) {
  using namespace fulcrum::api;
  return guarded(error, [&] {
    if (fired)
      *fired = nullptr;
    if (!session)
      return nullArgument(error, "session");
    if (!date)
      return nullArgument(error, "date");
    return handOut(session->session->advance(date), fired, error);
  });
}

fulcrum_status fulcrum_alert_session_current(const fulcrum_alert_session* session,
                                             fulcrum_alert_list** out) {
  using namespace fulcrum::api;
  return guarded(nullptr, [&] {
    if (out)
      *out = nullptr;
    if (!session || !out)
      return FULCRUM_USAGE_ERROR;
    auto list = std::make_unique<fulcrum_alert_list>();
    fillAlerts(session->session->current(), *list);
    *out = list.release();
    return FULCRUM_OK;
  });
}

void fulcrum_alert_session_free(fulcrum_alert_session* session) {
  delete session;
}

} // extern "C"
