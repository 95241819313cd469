// The options of a load and a run (a runtime::RunRequest being built), and cancel tokens.
#include "api/Handles.h"

using namespace fulcrum;
using namespace fulcrum::api;

extern "C" {

fulcrum_status fulcrum_run_options_new(fulcrum_run_options** out) {
  return guarded(nullptr, [&] {
    if (!out)
      return FULCRUM_USAGE_ERROR;
    *out = new fulcrum_run_options();
    return FULCRUM_OK;
  });
}

// The period and the date are checked when a run reads them (a bad one is the run's usage error,
// with the runtime's message), so that the C API says what the CLI says.
fulcrum_status fulcrum_run_options_set_period(fulcrum_run_options* options, const char* period) {
  return guarded(nullptr, [&] {
    if (!options)
      return FULCRUM_USAGE_ERROR;
    options->request.period = period ? period : "";
    return FULCRUM_OK;
  });
}

fulcrum_status fulcrum_run_options_set_as_of(fulcrum_run_options* options, const char* date) {
  return guarded(nullptr, [&] {
    if (!options)
      return FULCRUM_USAGE_ERROR;
    options->request.asOf = date ? date : "";
    return FULCRUM_OK;
  });
}

fulcrum_status fulcrum_run_options_set_param(fulcrum_run_options* options, const char* name,
                                             const char* value) {
  return guarded(nullptr, [&] {
    if (!options || !name || !value || !*name)
      return FULCRUM_USAGE_ERROR;
    options->request.params[name] = value;
    return FULCRUM_OK;
  });
}

fulcrum_status fulcrum_run_options_clear_params(fulcrum_run_options* options) {
  if (!options)
    return FULCRUM_USAGE_ERROR;
  options->request.params.clear();
  return FULCRUM_OK;
}

fulcrum_status fulcrum_run_options_set_threads(fulcrum_run_options* options, unsigned threads) {
  if (!options || threads > 1024)
    return FULCRUM_USAGE_ERROR;
  options->request.threads = threads;
  return FULCRUM_OK;
}

fulcrum_status fulcrum_run_options_set_memory_limit(fulcrum_run_options* options, uint64_t bytes) {
  if (!options)
    return FULCRUM_USAGE_ERROR;
  options->request.memoryLimit = static_cast<size_t>(bytes);
  return FULCRUM_OK;
}

fulcrum_status fulcrum_run_options_set_skip_bad_rows(fulcrum_run_options* options, int skip) {
  if (!options)
    return FULCRUM_USAGE_ERROR;
  options->request.skipBadRows = skip != 0;
  return FULCRUM_OK;
}

fulcrum_status fulcrum_run_options_set_alerts(fulcrum_run_options* options, int alerts) {
  if (!options)
    return FULCRUM_USAGE_ERROR;
  options->request.alerts = alerts != 0;
  return FULCRUM_OK;
}

fulcrum_status fulcrum_run_options_set_cancel(fulcrum_run_options* options,
                                              fulcrum_cancel* cancel) {
  if (!options)
    return FULCRUM_USAGE_ERROR;
  options->cancel = cancel;
  options->request.cancel = cancel ? &cancel->requested : nullptr;
  return FULCRUM_OK;
}

void fulcrum_run_options_free(fulcrum_run_options* options) {
  delete options;
}

fulcrum_status fulcrum_cancel_new(fulcrum_cancel** out) {
  return guarded(nullptr, [&] {
    if (!out)
      return FULCRUM_USAGE_ERROR;
    *out = new fulcrum_cancel();
    return FULCRUM_OK;
  });
}

fulcrum_status fulcrum_cancel_request(fulcrum_cancel* cancel) {
  if (!cancel)
    return FULCRUM_USAGE_ERROR;
  cancel->requested.store(true, std::memory_order_relaxed);
  return FULCRUM_OK;
}

fulcrum_status fulcrum_cancel_reset(fulcrum_cancel* cancel) {
  if (!cancel)
    return FULCRUM_USAGE_ERROR;
  cancel->requested.store(false, std::memory_order_relaxed);
  return FULCRUM_OK;
}

void fulcrum_cancel_free(fulcrum_cancel* cancel) {
  delete cancel;
}

} // extern "C"
