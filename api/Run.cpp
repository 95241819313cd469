// A run: loaded data evaluated for one period or as-of date and params. The data and the program
// are only read, so any number of runs may go at once.
#include "api/Handles.h"
#include "runtime/program/LoadedData.h"
#include "runtime/program/Partials.h"
#include "support/Calendar.h"

#include <cstdlib>
#include <cstring>

using namespace fulcrum;
using namespace fulcrum::api;

namespace fulcrum::api {

// The alert records as the list hands them out (cli `alerts --format csv` writes the same
// fields).
void fillAlerts(const std::vector<runtime::AlertRecord>& records, fulcrum_alert_list& list) {
  for (const runtime::AlertRecord& record : records) {
    fulcrum_alert_list::Entry entry;
    entry.subject = record.subject;
    entry.alert = record.alert;
    entry.title = record.title;
    entry.date = record.date ? formatDate(*record.date) : "";
    entry.message = record.message;
    entry.identity = record.identity;
    entry.priority = record.priority;
    list.entries.push_back(std::move(entry));
  }
}

} // namespace fulcrum::api

namespace {

std::unique_ptr<fulcrum_result> resultOf(runtime::RunResult run, const fulcrum_data& data) {
  auto result = std::make_unique<fulcrum_result>();
  result->plan = &data.runtime->plan();
  result->notes = run.notes;
  for (const runtime::DataWarning& warning : data.warnings)
    result->notes.push_back(warning.text());
  for (const runtime::CheckViolation& v : run.violations)
    result->violationValues.push_back(v.valuesText());
  fillAlerts(run.alerts, result->alerts);
  const runtime::ResultTable& table = run.table;
  result->columns = resultColumns(result->plan->tables.at(0), table.keyName, table.columns);
  result->texts.resize(table.subjects() * result->columns.size());
  result->result = std::move(run);
  return result;
}

// What every run needs: loaded data, and options with a period or an as-of date.
fulcrum_status checkRunnable(const fulcrum_data* data, const fulcrum_run_options* options,
                             fulcrum_error** error) {
  if (!data)
    return nullArgument(error, "data");
  if (!options)
    return nullArgument(error, "options");
  if (!data->loaded)
    return fail(error, FULCRUM_USAGE_ERROR, "the data is not loaded: call fulcrum_data_load");
  if (options->request.period.empty() && options->request.asOf.empty())
    return fail(error, FULCRUM_USAGE_ERROR,
                "a period (fulcrum_run_options_set_period) or an as-of date "
                "(fulcrum_run_options_set_as_of) is required");
  return FULCRUM_OK;
}

} // namespace

extern "C" {

fulcrum_status fulcrum_run(const fulcrum_data* data, const fulcrum_run_options* options,
                           fulcrum_result** out, fulcrum_error** error) {
  return guarded(error, [&] {
    if (out)
      *out = nullptr;
    if (fulcrum_status status = checkRunnable(data, options, error); status != FULCRUM_OK)
      return status;
    if (!out)
      return nullArgument(error, "out");
    const runtime::RunRequest& request = options->request;
    runtime::RunResult run = data->runtime->evaluate(request, *data->data);
    if (run.status != runtime::RunStatus::Ok)
      return fail(error, runError(statusOf(run.status), run.errors, {}));
    *out = resultOf(std::move(run), *data).release();
    return FULCRUM_OK;
  });
}

fulcrum_status fulcrum_scan_partial(const fulcrum_data* data, const fulcrum_run_options* options,
                                    const char* table, const char* partition, char** out,
                                    fulcrum_error** error) {
  return guarded(error, [&] {
    if (out)
      *out = nullptr;
    if (fulcrum_status status = checkRunnable(data, options, error); status != FULCRUM_OK)
      return status;
    if (!table)
      return nullArgument(error, "table");
    if (!out)
      return nullArgument(error, "out");
    runtime::PartialOutcome made = runtime::scanPartial(
        *data->runtime, options->request, *data->data, table, partition ? partition : table);
    if (made.status != runtime::RunStatus::Ok)
      return fail(error, runError(statusOf(made.status), made.errors, {}));
    *out = static_cast<char*>(std::malloc(made.partial.size() + 1));
    if (!*out)
      throw std::bad_alloc();
    std::memcpy(*out, made.partial.c_str(), made.partial.size() + 1);
    return FULCRUM_OK;
  });
}

fulcrum_status fulcrum_run_from_partials(const fulcrum_data* data,
                                         const fulcrum_run_options* options,
                                         const char* const* partials, size_t count,
                                         fulcrum_result** out, fulcrum_error** error) {
  return guarded(error, [&] {
    if (out)
      *out = nullptr;
    if (fulcrum_status status = checkRunnable(data, options, error); status != FULCRUM_OK)
      return status;
    if (count > 0 && !partials)
      return nullArgument(error, "partials");
    if (!out)
      return nullArgument(error, "out");
    std::vector<std::string> texts;
    for (size_t i = 0; i < count; ++i) {
      if (!partials[i])
        return nullArgument(error, "partials[i]");
      texts.emplace_back(partials[i]);
    }
    runtime::RunResult run =
        runtime::evaluateFromPartials(*data->runtime, options->request, *data->data, texts);
    if (run.status != runtime::RunStatus::Ok)
      return fail(error, runError(statusOf(run.status), run.errors, {}));
    *out = resultOf(std::move(run), *data).release();
    return FULCRUM_OK;
  });
}

void fulcrum_result_free(fulcrum_result* result) {
  delete result;
}

} // extern "C"
