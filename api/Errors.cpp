// Error objects and statuses: what every failing call hands out, and the library's identity.
#include "api/Handles.h"

#include <cstdlib>
#include <cstring>

namespace fulcrum::api {

fulcrum_status fail(fulcrum_error** error, std::unique_ptr<fulcrum_error> made) {
  const fulcrum_status status = made ? made->status : FULCRUM_INTERNAL_ERROR;
  if (error)
    *error = made.release();
  return status;
}

fulcrum_status fail(fulcrum_error** error, fulcrum_status status, const std::string& message,
                    const std::string& kind) {
  if (!error)
    return status;
  *error = nullptr;
  try {
    auto made = std::make_unique<fulcrum_error>();
    made->status = status;
    made->message = message;
    Diag diag;
    diag.kind = kind.empty() ? (status == FULCRUM_USAGE_ERROR     ? "UsageError"
                                : status == FULCRUM_DATA_ERROR    ? "DataError"
                                : status == FULCRUM_CANCELLED     ? "Cancelled"
                                : status == FULCRUM_COMPILE_ERROR ? "CompileError"
                                                                  : "InternalError")
                             : kind;
    diag.message = message;
    made->diagnostics.push_back(std::move(diag));
    *error = made.release();
  } catch (...) { // no memory even for the error: the status alone says what happened
  }
  return status;
}

fulcrum_status nullArgument(fulcrum_error** error, const char* name) {
  return fail(error, FULCRUM_USAGE_ERROR, std::string("`") + name + "` is NULL", "UsageError");
}

fulcrum_status statusOf(runtime::RunStatus status) {
  switch (status) {
  case runtime::RunStatus::Ok:
    return FULCRUM_OK;
  case runtime::RunStatus::DataError:
    return FULCRUM_DATA_ERROR;
  case runtime::RunStatus::UsageError:
    return FULCRUM_USAGE_ERROR;
  case runtime::RunStatus::Cancelled:
    return FULCRUM_CANCELLED;
  }
  return FULCRUM_INTERNAL_ERROR;
}

std::unique_ptr<fulcrum_error> runError(fulcrum_status status,
                                        const std::vector<std::string>& messages,
                                        const std::vector<runtime::LoadIssue>& issues) {
  auto made = std::make_unique<fulcrum_error>();
  made->status = status;
  for (const std::string& message : messages)
    made->message += message + "\n";
  const char* kind = status == FULCRUM_USAGE_ERROR ? "UsageError"
                     : status == FULCRUM_CANCELLED ? "Cancelled"
                                                   : "DataError";
  // A load's issues carry where and what; messages without one (usage errors, a run's) are
  // diagnostics of their own.
  for (const runtime::LoadIssue& issue : issues) {
    Diag diag;
    diag.file = issue.file;
    diag.line = issue.line;
    diag.column = issue.column;
    diag.kind = kind;
    diag.message = issue.message;
    diag.table = issue.table;
    diag.value = issue.value;
    made->diagnostics.push_back(std::move(diag));
  }
  if (issues.empty())
    for (const std::string& message : messages) {
      Diag diag;
      diag.kind = kind;
      diag.message = message;
      made->diagnostics.push_back(std::move(diag));
    }
  if (made->diagnostics.empty()) {
    Diag diag;
    diag.kind = kind;
    diag.message = status == FULCRUM_CANCELLED ? "cancelled" : "the run failed";
    made->message = diag.message + "\n";
    made->diagnostics.push_back(std::move(diag));
  }
  return made;
}

Diag diagOf(const Diagnostic& diagnostic, const SourceManager& sources) {
  Diag diag;
  diag.file = sources.file(diagnostic.range.file).path;
  diag.line = diagnostic.range.begin.line;
  diag.column = diagnostic.range.begin.column;
  diag.severity = diagnostic.severity == Severity::Error ? "error" : "warning";
  diag.kind = std::string(diagKindInfo(diagnostic.kind).name);
  diag.message = diagnostic.message;
  diag.hint = diagnostic.hint;
  return diag;
}

void fill(const Diag& diag, fulcrum_diagnostic& out) {
  out.file = diag.file.c_str();
  out.line = diag.line;
  out.column = diag.column;
  out.severity = diag.severity.c_str();
  out.kind = diag.kind.c_str();
  out.message = diag.message.c_str();
  out.hint = diag.hint.c_str();
  out.table = diag.table.c_str();
  out.value = diag.value.c_str();
}

} // namespace fulcrum::api

using namespace fulcrum::api;

extern "C" {

int fulcrum_api_version(void) {
  return FULCRUM_API_VERSION;
}

const char* fulcrum_version(void) {
  return "0.1.0"; // cli/Commands.h's kFulcrumVersion: the CLI is a client of this library
}

const char* fulcrum_status_name(fulcrum_status status) {
  switch (status) {
  case FULCRUM_OK:
    return "FULCRUM_OK";
  case FULCRUM_COMPILE_ERROR:
    return "FULCRUM_COMPILE_ERROR";
  case FULCRUM_DATA_ERROR:
    return "FULCRUM_DATA_ERROR";
  case FULCRUM_CHECK_VIOLATED:
    return "FULCRUM_CHECK_VIOLATED";
  case FULCRUM_CANCELLED:
    return "FULCRUM_CANCELLED";
  case FULCRUM_USAGE_ERROR:
    return "FULCRUM_USAGE_ERROR";
  case FULCRUM_INTERNAL_ERROR:
    return "FULCRUM_INTERNAL_ERROR";
  }
  return "FULCRUM_UNKNOWN_STATUS";
}

fulcrum_status fulcrum_error_status(const fulcrum_error* error) {
  return error ? error->status : FULCRUM_USAGE_ERROR;
}

const char* fulcrum_error_message(const fulcrum_error* error) {
  return error ? error->message.c_str() : "";
}

size_t fulcrum_error_diagnostic_count(const fulcrum_error* error) {
  return error ? error->diagnostics.size() : 0;
}

fulcrum_status fulcrum_error_diagnostic(const fulcrum_error* error, size_t index,
                                        fulcrum_diagnostic* out) {
  if (!error || !out || index >= error->diagnostics.size())
    return FULCRUM_USAGE_ERROR;
  fill(error->diagnostics[index], *out);
  return FULCRUM_OK;
}

void fulcrum_error_free(fulcrum_error* error) {
  delete error;
}

void fulcrum_string_free(char* text) {
  std::free(text);
}

} // extern "C"
