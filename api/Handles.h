// The opaque structs behind include/fulcrum/fulcrum.h's handles, and the helpers every entry
// point shares: the guard that turns any exception into a status (nothing may throw across the C
// boundary) and the error objects it hands out. Only api/ includes this file.
#pragma once

#include "compiler/cache/ProgramCache.h"
#include "compiler/driver/Compilation.h"
#include "fulcrum/fulcrum.h"
#include "runtime/Program.h"
#include "runtime/data/Loader.h"

#include <atomic>
#include <exception>
#include <memory>
#include <mutex>
#include <new>
#include <optional>
#include <string>
#include <vector>

namespace fulcrum::api {

// One diagnostic with its strings owned, so fulcrum_diagnostic can point into it.
struct Diag {
  std::string file;
  uint32_t line = 0, column = 0;
  std::string severity = "error";
  std::string kind;
  std::string message, hint, table, value;
};

// A framework of a program: its runtime::Program (and so its plan), made on first use, once, so
// that the program stays immutable for the threads that run it. It comes from the program cache
// (compiler/cache/ProgramCache.h), so every handle compiled from the same sources shares it.
struct Framework {
  std::string name;
  std::once_flag once;
  std::shared_ptr<const runtime::Program> program; // null when it could not be made
  std::vector<Diag> diagnostics;                   // why not (NotSupportedYet, no engine)
  std::string message;                             // ... as the CLI prints it
};

// Introspection's strings, made once per framework (after its program) so the `const char*`
// handed out live as long as the program.
struct Description {
  struct Column {
    std::string name, typeName;
    fulcrum_type type = FULCRUM_TYPE_NUMBER;
    bool optional = false, isKey = false;
  };
  struct Param {
    std::string name, typeName;
    fulcrum_type type = FULCRUM_TYPE_NUMBER;
    std::optional<std::string> defaultValue;
  };
  struct Table {
    std::string name, path;
    bool isEntity = false;
    std::vector<Column> fields;
  };
  std::vector<Column> outputs; // the subject key first
  std::vector<Param> params;
  std::vector<Table> tables;
};

} // namespace fulcrum::api

struct fulcrum_error {
  fulcrum_status status = FULCRUM_INTERNAL_ERROR;
  std::string message; // every diagnostic as the CLI prints it
  std::vector<fulcrum::api::Diag> diagnostics;
};

struct fulcrum_compile_options {
  fulcrum::CompileOptions compile;
  fulcrum::runtime::EngineKind engine = fulcrum::runtime::EngineKind::Jit;
};

struct fulcrum_program {
  // The cache's entry (shared with every handle compiled from the same sources and options).
  std::shared_ptr<const fulcrum::CompiledSources> compiled;
  std::shared_ptr<const fulcrum::Compilation> compilation; // compiled's, immutable
  fulcrum::runtime::EngineKind engine = fulcrum::runtime::EngineKind::Jit;
  // In declaration order (the root file's first, then its imports'); the pointers stay put.
  std::vector<std::unique_ptr<fulcrum::api::Framework>> frameworks;
  std::vector<std::unique_ptr<fulcrum::api::Description>> descriptions; // per framework
  std::vector<std::once_flag> described;                                // per framework
  std::vector<fulcrum::api::Diag> warnings;
};

struct fulcrum_cancel {
  std::atomic<bool> requested{false};
};

struct fulcrum_run_options {
  fulcrum::runtime::RunRequest request; // period, as-of, params, threads, limit, skip, alerts
  fulcrum_cancel* cancel = nullptr;
};

// The tables of one framework: a RunRequest being built (its dataPaths are the CSV bindings;
// fulcrum_data_bind_arrow adds its own), then, after fulcrum_data_load, the loaded data.
struct fulcrum_data {
  const fulcrum_program* program = nullptr;
  size_t framework = 0; // index into program->frameworks
  const fulcrum::runtime::Program* runtime = nullptr;
  fulcrum::runtime::RunRequest request;
  bool loaded = false;
  // After load: the loaded tables (shared with every run), its summaries and warnings.
  std::shared_ptr<const fulcrum::runtime::LoadedData> data;
  std::vector<fulcrum::runtime::DataWarning> warnings;
  std::vector<std::string> notes; // summaries, then the warnings' text
};

// One alert with its strings owned (fulcrum_alert points into it).
struct fulcrum_alert_list {
  struct Entry {
    std::string subject, alert, title, date, message, identity;
    std::optional<std::string> priority;
  };
  std::vector<Entry> entries;
};

struct fulcrum_result {
  fulcrum::runtime::RunResult result;
  const fulcrum::runtime::Plan* plan = nullptr;
  std::vector<std::string> notes; // the run's notes, then the load's warnings
  std::vector<std::string> violationValues;
  fulcrum_alert_list alerts;
  fulcrum::api::Description::Column keyColumn;
  std::vector<fulcrum::api::Description::Column> columns; // outputs (key first)
  // fulcrum_result_text's strings, made on demand (a result may be read from several threads).
  mutable std::mutex textLock;
  mutable std::vector<std::unique_ptr<std::string>> texts;
};

namespace fulcrum::api {

// Sets *error (when error is not null) to a new error with one diagnostic; returns status. Never
// throws: without memory for the error object the caller gets the status alone.
fulcrum_status fail(fulcrum_error** error, fulcrum_status status, const std::string& message,
                    const std::string& kind = "");
// The same for an error already built.
fulcrum_status fail(fulcrum_error** error, std::unique_ptr<fulcrum_error> made);
// FULCRUM_OK when the data's framework reads a table named `table`; else a usage error of kind
// UnknownName with a did-you-mean hint (api/Data.cpp). Both binding calls check with it.
fulcrum_status checkDeclaredTable(const fulcrum_data& data, const char* table,
                                  fulcrum_error** error);
// Arrow columns that break the specification or do not fit a table's fields: a data error of
// kind BadArrow naming the table (`arrow:deals`), as for any bad data (api/Arrow.cpp).
fulcrum_status arrowColumnsError(fulcrum_error** error, const std::string& table,
                                 std::string message);
// A usage error for a NULL argument.
fulcrum_status nullArgument(fulcrum_error** error, const char* name);

// Runs `body` (returning a fulcrum_status); any exception becomes a status and an error:
// std::bad_alloc FULCRUM_DATA_ERROR "out of memory", anything else FULCRUM_INTERNAL_ERROR.
template <class Body> fulcrum_status guarded(fulcrum_error** error, Body&& body) noexcept {
  try {
    if (error)
      *error = nullptr;
    return body();
  } catch (const std::bad_alloc&) {
    return fail(error, FULCRUM_DATA_ERROR, "out of memory", "OutOfMemory");
  } catch (const std::exception& e) {
    return fail(error, FULCRUM_INTERNAL_ERROR, std::string("internal error: ") + e.what(),
                "InternalError");
  } catch (...) {
    return fail(error, FULCRUM_INTERNAL_ERROR, "internal error: an unknown exception",
                "InternalError");
  }
}

// The runtime's run status as the C API's.
fulcrum_status statusOf(runtime::RunStatus status);
// An error from a run's or load's messages (each a line `file:line:col: ...`) and its issues.
std::unique_ptr<fulcrum_error> runError(fulcrum_status status,
                                        const std::vector<std::string>& messages,
                                        const std::vector<runtime::LoadIssue>& issues);
// A diagnostic of a compilation, with its position resolved.
Diag diagOf(const Diagnostic& diagnostic, const SourceManager& sources);
// fulcrum_diagnostic pointing into `diag`.
void fill(const Diag& diag, fulcrum_diagnostic& out);

// The framework named `name` (null: the program's only one); null with a usage error when there
// is no such framework. Its runtime program is made on first use.
Framework* frameworkNamed(const fulcrum_program& program, const char* name, fulcrum_error** error,
                          fulcrum_status& status);
// Makes the framework's program if it is not made yet; FULCRUM_OK or why not.
fulcrum_status ensureProgram(const fulcrum_program& program, Framework& framework,
                             fulcrum_error** error);
// What the framework declares (its program made first); null with the status when it cannot.
const Description* describe(const fulcrum_program& program, const char* framework,
                            fulcrum_error** error, fulcrum_status& status);
// The alerts of a run (or of an alert session's feed) as a list hands them out.
void fillAlerts(const std::vector<runtime::AlertRecord>& records, fulcrum_alert_list& list);
// A result's columns: the subject key (named `keyName`, typed as a reference to the subject
// entity), then the outputs, each optional.
std::vector<Description::Column> resultColumns(const runtime::PlanTable& subject,
                                               const std::string& keyName,
                                               const std::vector<runtime::OutputColumn>& outputs);
// The C type of a runtime value type.
fulcrum_type typeOf(runtime::ValueType type);
const char* typeName(runtime::ValueType type);

} // namespace fulcrum::api
