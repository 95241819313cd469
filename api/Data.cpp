// The tables of one framework: bound to files (or, by fulcrum_data_bind_arrow, to memory), then
// loaded once for any number of runs.
#include "api/Handles.h"
#include "runtime/program/LoadedData.h"

using namespace fulcrum;
using namespace fulcrum::api;

// The declared names `--data NAME=PATH` may give, or a usage error naming the table.
fulcrum_status fulcrum::api::checkDeclaredTable(const fulcrum_data& data, const char* table,
                                                fulcrum_error** error) {
  std::vector<std::string> names;
  for (const runtime::DeclaredData& declared : data.runtime->plan().declaredData) {
    if (declared.name == table)
      return FULCRUM_OK;
    names.push_back(declared.name);
  }
  const NameSuggestion suggestion = suggestName(table, names);
  std::string message = std::string("framework `") + data.runtime->plan().frameworkName +
                        "` reads no table named `" + table + "`";
  if (!suggestion.hint.empty())
    message += "; " + suggestion.hint;
  return fail(error, FULCRUM_USAGE_ERROR, message, "UnknownName");
}

extern "C" {

fulcrum_status fulcrum_data_new(const fulcrum_program* program, const char* framework,
                                fulcrum_data** out, fulcrum_error** error) {
  return guarded(error, [&] {
    if (out)
      *out = nullptr;
    if (!program)
      return nullArgument(error, "program");
    if (!out)
      return nullArgument(error, "out");
    fulcrum_status status = FULCRUM_OK;
    Framework* made = frameworkNamed(*program, framework, error, status);
    if (!made)
      return status;
    if ((status = ensureProgram(*program, *made, error)) != FULCRUM_OK)
      return status;
    auto data = std::make_unique<fulcrum_data>();
    data->program = program;
    while (program->frameworks[data->framework].get() != made)
      ++data->framework;
    data->runtime = made->program.get();
    *out = data.release();
    return FULCRUM_OK;
  });
}

fulcrum_status fulcrum_data_bind_csv(fulcrum_data* data, const char* table, const char* path,
                                     fulcrum_error** error) {
  return guarded(error, [&] {
    if (!data)
      return nullArgument(error, "data");
    if (!table)
      return nullArgument(error, "table");
    if (!path)
      return nullArgument(error, "path");
    if (data->loaded)
      return fail(error, FULCRUM_USAGE_ERROR, "the data is loaded already; bind before loading");
    if (fulcrum_status status = checkDeclaredTable(*data, table, error); status != FULCRUM_OK)
      return status;
    data->request.dataPaths[table] = path;
    data->request.hostTables.erase(table); // the last binding of a table wins
    return FULCRUM_OK;
  });
}

fulcrum_status fulcrum_data_load(fulcrum_data* data, const fulcrum_run_options* options,
                                 fulcrum_error** error) {
  return guarded(error, [&] {
    if (!data)
      return nullArgument(error, "data");
    if (data->loaded)
      return fail(error, FULCRUM_USAGE_ERROR, "the data is loaded already");
    runtime::RunRequest& request = data->request;
    if (options) {
      request.threads = options->request.threads;
      request.memoryLimit = options->request.memoryLimit;
      request.skipBadRows = options->request.skipBadRows;
      request.cancel = options->request.cancel;
    }
    runtime::LoadOutcome outcome = data->runtime->load(request);
    request.cancel = nullptr; // the token need only outlive this call
    if (outcome.status != runtime::RunStatus::Ok)
      return fail(error, runError(statusOf(outcome.status), outcome.errors, outcome.issues));
    data->data = std::move(outcome.data);
    data->warnings = std::move(outcome.warnings);
    data->notes = std::move(outcome.notes);
    for (const runtime::DataWarning& warning : data->warnings)
      data->notes.push_back(warning.text());
    data->loaded = true;
    return FULCRUM_OK;
  });
}

fulcrum_status fulcrum_data_note_count(const fulcrum_data* data, size_t* out) {
  if (!data || !out)
    return FULCRUM_USAGE_ERROR;
  *out = data->notes.size();
  return FULCRUM_OK;
}

fulcrum_status fulcrum_data_note(const fulcrum_data* data, size_t index, const char** out) {
  if (!data || !out || index >= data->notes.size())
    return FULCRUM_USAGE_ERROR;
  *out = data->notes[index].c_str();
  return FULCRUM_OK;
}

void fulcrum_data_free(fulcrum_data* data) {
  delete data;
}

} // extern "C"
