/* Fulcrum's C API: compile a framework, bind its tables, run it, read the results and alerts.
 *
 * Conventions (docs/embedding.md has examples):
 * - C99. Every object is an opaque handle made by a `_new`, `compile` or `run` call and released
 *   by its `_free` call; `_free` of NULL does nothing. Strings handed out (`const char*`) are
 *   UTF-8, NUL-terminated, and owned by the object they came from: they live until it is freed.
 * - Every call except the `_free` calls, fulcrum_version() and fulcrum_status_name() returns a
 *   fulcrum_status. A call that fails may also hand out an error object (when `error` is not
 *   NULL) holding the message and the diagnostics; the caller frees it with fulcrum_error_free.
 *   Nothing throws or aborts across this boundary: a C++ exception or an out-of-memory inside
 *   becomes FULCRUM_INTERNAL_ERROR or FULCRUM_DATA_ERROR.
 * - Lifetimes: a fulcrum_data, and the results and alert sessions made from it, read the
 *   program they came from: free them before the program. A bound Arrow column's memory is read
 *   until the fulcrum_data is freed.
 * - Threads: a fulcrum_program and a loaded fulcrum_data are immutable; any number of threads may
 *   run them at once, each with its own fulcrum_run_options. Builders (options, a fulcrum_data
 *   before fulcrum_data_load, an alert session) belong to one thread at a time.
 *   fulcrum_cancel_request may be called from any thread.
 * - Stack: compiling needs at most FULCRUM_COMPILE_STACK_BYTES of stack on the calling thread
 *   (nesting is bounded; deeper source is a diagnostic, not a crash); runs need less.
 * - Versioning: FULCRUM_API_VERSION grows when calls are added; no call's meaning changes and
 *   none is removed within a major version. fulcrum_api_version() is the library's, so a host
 *   can check it runs against a library at least as new as its header. */
#ifndef FULCRUM_FULCRUM_H
#define FULCRUM_FULCRUM_H

#include "fulcrum/arrow_c_data.h"

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__)
#define FULCRUM_EXPORT __attribute__((visibility("default")))
#else
#define FULCRUM_EXPORT
#endif

/* 2: fulcrum_scan_partial, fulcrum_run_from_partials, fulcrum_program_source_digest */
#define FULCRUM_API_VERSION 2
#define FULCRUM_COMPILE_STACK_BYTES (256u * 1024u)

/* The outcome of a call; the values are the CLI's exit statuses where one exists. */
typedef enum fulcrum_status {
  FULCRUM_OK = 0,
  FULCRUM_COMPILE_ERROR = 1,  /* the source has errors: see the error's diagnostics */
  FULCRUM_DATA_ERROR = 2,     /* bad data, an unreadable file, the memory limit */
  FULCRUM_CHECK_VIOLATED = 3, /* reserved: checks are reported in results, not as a status */
  FULCRUM_CANCELLED = 4,      /* fulcrum_cancel_request stopped it */
  FULCRUM_USAGE_ERROR = 64,   /* a bad argument: unknown name, bad period, NULL handle */
  FULCRUM_INTERNAL_ERROR = 70 /* a defect in Fulcrum; please report it */
} fulcrum_status;

typedef enum fulcrum_engine {
  FULCRUM_ENGINE_JIT = 0,        /* LLVM; falls back to the interpreter with a warning */
  FULCRUM_ENGINE_INTERPRETER = 1 /* the reference interpreter */
} fulcrum_engine;

/* A value's type as the language names it. */
typedef enum fulcrum_type {
  FULCRUM_TYPE_NUMBER = 0,
  FULCRUM_TYPE_COUNT = 1,
  FULCRUM_TYPE_MONEY = 2,   /* exact: whole units of 1/10,000 (fulcrum_result_money_units) */
  FULCRUM_TYPE_PERCENT = 3, /* a fraction: 40% is 0.4 */
  FULCRUM_TYPE_BOOL = 4,
  FULCRUM_TYPE_TEXT = 5, /* text and bands */
  FULCRUM_TYPE_DATE = 6, /* days since 1970-01-01 */
  FULCRUM_TYPE_PERIOD = 7,
  FULCRUM_TYPE_DURATION = 8,
  FULCRUM_TYPE_REFERENCE = 9 /* a field naming a row of an entity, by its key */
} fulcrum_type;

typedef enum fulcrum_format {
  FULCRUM_FORMAT_CSV = 0,
  FULCRUM_FORMAT_JSON = 1,
  FULCRUM_FORMAT_TABLE = 2
} fulcrum_format;

typedef struct fulcrum_error fulcrum_error;
typedef struct fulcrum_compile_options fulcrum_compile_options;
typedef struct fulcrum_program fulcrum_program;
typedef struct fulcrum_data fulcrum_data;
typedef struct fulcrum_run_options fulcrum_run_options;
typedef struct fulcrum_cancel fulcrum_cancel;
typedef struct fulcrum_result fulcrum_result;
typedef struct fulcrum_alert_list fulcrum_alert_list;
typedef struct fulcrum_alert_session fulcrum_alert_session;

/* ---- Library ------------------------------------------------------------------------------ */

FULCRUM_EXPORT int fulcrum_api_version(void);     /* FULCRUM_API_VERSION of the library */
FULCRUM_EXPORT const char* fulcrum_version(void); /* `0.1.0` */
FULCRUM_EXPORT const char* fulcrum_status_name(fulcrum_status status); /* `FULCRUM_OK` */

/* ---- Errors ------------------------------------------------------------------------------- */

/* One diagnostic: where (file, 1-based line and column; 0 when it is about a whole file), how
 * bad (`error`, `warning`, `note`), its kind (`UnknownName`, `BadCell`...), what and a hint
 * (empty when there is none). For a data error, `table` and `value` name the table and the
 * offending cell (empty otherwise). */
typedef struct fulcrum_diagnostic {
  const char* file;
  uint32_t line;
  uint32_t column;
  const char* severity;
  const char* kind;
  const char* message;
  const char* hint;
  const char* table;
  const char* value;
} fulcrum_diagnostic;

FULCRUM_EXPORT fulcrum_status fulcrum_error_status(const fulcrum_error* error);
/* The whole error as the CLI prints it: every diagnostic with its source line and caret. */
FULCRUM_EXPORT const char* fulcrum_error_message(const fulcrum_error* error);
FULCRUM_EXPORT size_t fulcrum_error_diagnostic_count(const fulcrum_error* error);
FULCRUM_EXPORT fulcrum_status fulcrum_error_diagnostic(const fulcrum_error* error, size_t index,
                                                       fulcrum_diagnostic* out);
FULCRUM_EXPORT void fulcrum_error_free(fulcrum_error* error);

/* ---- Compiling ---------------------------------------------------------------------------- */

FULCRUM_EXPORT fulcrum_status fulcrum_compile_options_new(fulcrum_compile_options** out);
/* Where `import "NAME"` is looked up after the importing file's folder (the CLI's `--lib`). */
FULCRUM_EXPORT fulcrum_status
fulcrum_compile_options_add_import_path(fulcrum_compile_options* options, const char* directory);
FULCRUM_EXPORT fulcrum_status fulcrum_compile_options_set_engine(fulcrum_compile_options* options,
                                                                 fulcrum_engine engine);
FULCRUM_EXPORT void fulcrum_compile_options_free(fulcrum_compile_options* options);

/* Compiles a file and its imports (options may be NULL). Warnings do not fail a compile; they
 * are listed by fulcrum_program_warning. */
FULCRUM_EXPORT fulcrum_status fulcrum_compile_file(const char* path,
                                                   const fulcrum_compile_options* options,
                                                   fulcrum_program** out, fulcrum_error** error);
/* Compiles source text. `name` is the file name diagnostics print and the folder imports and
 * `from` paths resolve against (`frameworks/llr.fulcrum`); it need not exist. */
FULCRUM_EXPORT fulcrum_status fulcrum_compile_text(const char* name, const char* text,
                                                   size_t length,
                                                   const fulcrum_compile_options* options,
                                                   fulcrum_program** out, fulcrum_error** error);
FULCRUM_EXPORT void fulcrum_program_free(fulcrum_program* program);

FULCRUM_EXPORT fulcrum_status fulcrum_program_warning_count(const fulcrum_program* program,
                                                            size_t* out);
FULCRUM_EXPORT fulcrum_status fulcrum_program_warning(const fulcrum_program* program, size_t index,
                                                      fulcrum_diagnostic* out);
/* (API version 2) The SHA-256 of every source file the program was compiled from (the root file,
 * its imports and the standard library's files it imports: each one's place and text), as 64 hex
 * digits and a NUL in `out` (65 bytes). Programs with the same digest were compiled from the same
 * text: a host that keeps compiled programs (fulcrum.dask's workers) keys them on it. */
FULCRUM_EXPORT fulcrum_status fulcrum_program_source_digest(const fulcrum_program* program,
                                                            char* out);

/* ---- What a program declares -------------------------------------------------------------- */
/* `framework` may be NULL when the program declares exactly one. */

typedef struct fulcrum_column_info {
  const char* name;      /* `attainment`, `llr.leadership` */
  const char* type_name; /* as the language writes it: `money`, `percent`, `rep` */
  fulcrum_type type;
  int optional; /* a field that may be missing (`money?`); 1 for every output */
  int is_key;   /* the result's subject key, or a table's key field */
} fulcrum_column_info;

typedef struct fulcrum_param_info {
  const char* name;
  const char* type_name;
  fulcrum_type type;
  const char* default_value; /* as `--param` would write it; NULL when there is none */
} fulcrum_param_info;

typedef struct fulcrum_table_info {
  const char* name;   /* `deals` */
  const char* path;   /* its `from` file, resolved; empty when it has none */
  int is_entity;      /* an `entity` (rows with a key that others refer to) */
  size_t field_count; /* its fields, for fulcrum_program_field */
} fulcrum_table_info;

FULCRUM_EXPORT fulcrum_status fulcrum_program_framework_count(const fulcrum_program* program,
                                                              size_t* out);
FULCRUM_EXPORT fulcrum_status fulcrum_program_framework_name(const fulcrum_program* program,
                                                             size_t index, const char** out);
/* The result's columns: the subject key first, then the outputs as `fulcrum run` prints them. */
FULCRUM_EXPORT fulcrum_status fulcrum_program_output_count(const fulcrum_program* program,
                                                           const char* framework, size_t* out);
FULCRUM_EXPORT fulcrum_status fulcrum_program_output(const fulcrum_program* program,
                                                     const char* framework, size_t index,
                                                     fulcrum_column_info* out);
FULCRUM_EXPORT fulcrum_status fulcrum_program_param_count(const fulcrum_program* program,
                                                          const char* framework, size_t* out);
FULCRUM_EXPORT fulcrum_status fulcrum_program_param(const fulcrum_program* program,
                                                    const char* framework, size_t index,
                                                    fulcrum_param_info* out);
/* The tables a framework reads, and the entities they refer to. */
FULCRUM_EXPORT fulcrum_status fulcrum_program_table_count(const fulcrum_program* program,
                                                          const char* framework, size_t* out);
FULCRUM_EXPORT fulcrum_status fulcrum_program_table(const fulcrum_program* program,
                                                    const char* framework, size_t index,
                                                    fulcrum_table_info* out);
FULCRUM_EXPORT fulcrum_status fulcrum_program_field(const fulcrum_program* program,
                                                    const char* framework, const char* table,
                                                    size_t index, fulcrum_column_info* out);

/* ---- Options of a load and a run ---------------------------------------------------------- */

FULCRUM_EXPORT fulcrum_status fulcrum_run_options_new(fulcrum_run_options** out);
FULCRUM_EXPORT fulcrum_status fulcrum_run_options_set_period(fulcrum_run_options* options,
                                                             const char* period);
FULCRUM_EXPORT fulcrum_status fulcrum_run_options_set_as_of(fulcrum_run_options* options,
                                                            const char* date);
/* `--param name=value`; value is written as on the command line (`900000`, `2017-06-30`). */
FULCRUM_EXPORT fulcrum_status fulcrum_run_options_set_param(fulcrum_run_options* options,
                                                            const char* name, const char* value);
FULCRUM_EXPORT fulcrum_status fulcrum_run_options_clear_params(fulcrum_run_options* options);
/* Threads for loading and scans; 0 (the default) for every core. Results never depend on it. */
FULCRUM_EXPORT fulcrum_status fulcrum_run_options_set_threads(fulcrum_run_options* options,
                                                              unsigned threads);
/* Bytes the loaded rows may take (the CLI's `--memory-limit`); 0 for the default, half of the
 * machine's memory. Past it a load stops with FULCRUM_DATA_ERROR naming the row. */
FULCRUM_EXPORT fulcrum_status fulcrum_run_options_set_memory_limit(fulcrum_run_options* options,
                                                                   uint64_t bytes);
/* `--on-error skip`: leave out bad rows (listed as warnings) instead of failing the load. */
FULCRUM_EXPORT fulcrum_status fulcrum_run_options_set_skip_bad_rows(fulcrum_run_options* options,
                                                                    int skip);
/* Evaluate the framework's alerts too (fulcrum_result_alerts). */
FULCRUM_EXPORT fulcrum_status fulcrum_run_options_set_alerts(fulcrum_run_options* options,
                                                             int alerts);
/* A run or load with this token stops soon after fulcrum_cancel_request with FULCRUM_CANCELLED.
 * The token must outlive the calls that use it. NULL removes it. */
FULCRUM_EXPORT fulcrum_status fulcrum_run_options_set_cancel(fulcrum_run_options* options,
                                                             fulcrum_cancel* cancel);
FULCRUM_EXPORT void fulcrum_run_options_free(fulcrum_run_options* options);

FULCRUM_EXPORT fulcrum_status fulcrum_cancel_new(fulcrum_cancel** out);
FULCRUM_EXPORT fulcrum_status fulcrum_cancel_request(fulcrum_cancel* cancel); /* any thread */
FULCRUM_EXPORT fulcrum_status fulcrum_cancel_reset(fulcrum_cancel* cancel);
FULCRUM_EXPORT void fulcrum_cancel_free(fulcrum_cancel* cancel);

/* ---- Data --------------------------------------------------------------------------------- */

/* The tables of one framework: bind some (the rest are read from their declared `from` files),
 * then load once; a loaded fulcrum_data serves any number of runs, for any period and params,
 * from several threads at once. */
FULCRUM_EXPORT fulcrum_status fulcrum_data_new(const fulcrum_program* program,
                                               const char* framework, fulcrum_data** out,
                                               fulcrum_error** error);
/* Reads `table` from a CSV file instead of its `from` file (the CLI's `--data table=path`). */
FULCRUM_EXPORT fulcrum_status fulcrum_data_bind_csv(fulcrum_data* data, const char* table,
                                                    const char* path, fulcrum_error** error);
/* Binds `table` to caller-owned columns: a struct array (format `+s`) whose children are named
 * after the table's fields. fulcrum takes over both structs (their release callbacks are called
 * when `data` is freed; the caller's copies are marked released). Types: money as
 * decimal128(18,4) (`d:18,4`) or int64 units of 1/10,000; count as int64 (`l`); number, percent
 * and duration (days) as float64 (`g`, used without copying when it has no nulls); date as date32
 * (`tdD`, used without copying when it has no nulls);
 * text, references and periods as utf8 (`u`, `U`) or a dictionary of utf8 over int8/16/32
 * indexes; bool as Arrow's bit-packed booleans (`b`). Validity bitmaps are honoured. The loader's
 * rules apply as to a file: a null in a required field, an unknown reference or a duplicate key
 * is a FULCRUM_DATA_ERROR naming the table, row and value. */
FULCRUM_EXPORT fulcrum_status fulcrum_data_bind_arrow(fulcrum_data* data, const char* table,
                                                      struct ArrowSchema* schema,
                                                      struct ArrowArray* array,
                                                      fulcrum_error** error);
/* Loads and binds every table (options may be NULL: threads, memory limit, skip bad rows,
 * cancel). After it `data` is immutable. */
FULCRUM_EXPORT fulcrum_status fulcrum_data_load(fulcrum_data* data,
                                                const fulcrum_run_options* options,
                                                fulcrum_error** error);
/* Load summaries (`deals: 8800 rows, 8800 loaded, 0 rejected`) and warnings. */
FULCRUM_EXPORT fulcrum_status fulcrum_data_note_count(const fulcrum_data* data, size_t* out);
FULCRUM_EXPORT fulcrum_status fulcrum_data_note(const fulcrum_data* data, size_t index,
                                                const char** out);
FULCRUM_EXPORT void fulcrum_data_free(fulcrum_data* data);

/* ---- Running and results ------------------------------------------------------------------ */

/* Evaluates loaded data for the options' period or as-of date and params. */
FULCRUM_EXPORT fulcrum_status fulcrum_run(const fulcrum_data* data,
                                          const fulcrum_run_options* options, fulcrum_result** out,
                                          fulcrum_error** error);
FULCRUM_EXPORT void fulcrum_result_free(fulcrum_result* result);

/* ---- Distributed runs (API version 2; docs/scaling.md) ----------------------------------------
 * A run split in two: each partition of a fact table (a load holding some of `table`'s rows,
 * the entity tables whole) gives a partial, every subject's mergeable aggregate states over that
 * table as JSON text (free with fulcrum_string_free; its "format" field is versioned, 3 today, and
 * a partial of another format is a FULCRUM_USAGE_ERROR); a load of the entity tables whole and
 * the partitioned tables empty then merges the partials' states in place of its own scans, giving
 * what fulcrum_run gives over each table's partitions read one after another in the order of
 * their names, in any order of the partials. A subject's rows may be spread over partitions.
 * `partition` names the partition in errors (its file; a PostgreSQL URI is named by its label) and
 * orders it. A subject with rows of one table in two partials is a FULCRUM_DATA_ERROR naming both
 * only where an aggregate needs its every row in one (a second pass, first/last ordered by a
 * text). */
FULCRUM_EXPORT fulcrum_status fulcrum_scan_partial(const fulcrum_data* data,
                                                   const fulcrum_run_options* options,
                                                   const char* table, const char* partition,
                                                   char** out, fulcrum_error** error);
FULCRUM_EXPORT fulcrum_status fulcrum_run_from_partials(const fulcrum_data* data,
                                                        const fulcrum_run_options* options,
                                                        const char* const* partials, size_t count,
                                                        fulcrum_result** out,
                                                        fulcrum_error** error);

/* Rows are subjects (in the order `fulcrum run` prints them); columns as fulcrum_program_output. */
FULCRUM_EXPORT fulcrum_status fulcrum_result_row_count(const fulcrum_result* result, size_t* out);
FULCRUM_EXPORT fulcrum_status fulcrum_result_column_count(const fulcrum_result* result,
                                                          size_t* out);
FULCRUM_EXPORT fulcrum_status fulcrum_result_column(const fulcrum_result* result, size_t column,
                                                    fulcrum_column_info* out);
FULCRUM_EXPORT fulcrum_status fulcrum_result_is_missing(const fulcrum_result* result, size_t row,
                                                        size_t column, int* out);
/* A number, count, percent (a fraction), money (in dollars, rounded to a double), date (days
 * since 1970-01-01) or bool (0 or 1). A missing value gives FULCRUM_USAGE_ERROR; so does text. */
FULCRUM_EXPORT fulcrum_status fulcrum_result_number(const fulcrum_result* result, size_t row,
                                                    size_t column, double* out);
/* Money exactly: whole units of 1/10,000. */
FULCRUM_EXPORT fulcrum_status fulcrum_result_money_units(const fulcrum_result* result, size_t row,
                                                         size_t column, int64_t* out);
/* Any cell as the CSV format writes it (the key, text and bands as they are; numbers plainly;
 * empty when missing). The string lives as long as `result`. */
FULCRUM_EXPORT fulcrum_status fulcrum_result_text(const fulcrum_result* result, size_t row,
                                                  size_t column, const char** out);
/* The whole result as `fulcrum run --format` prints it, byte for byte. Free with
 * fulcrum_string_free. */
FULCRUM_EXPORT fulcrum_status fulcrum_result_format(const fulcrum_result* result,
                                                    fulcrum_format format, char** out,
                                                    size_t* length);
FULCRUM_EXPORT void fulcrum_string_free(char* text);
/* The result as an Arrow struct array (one child per column, types as fulcrum_data_bind_arrow
 * takes them: money as decimal128(18,4)). The caller owns both structs and calls their release
 * callbacks; they stay valid after fulcrum_result_free. */
FULCRUM_EXPORT fulcrum_status fulcrum_result_to_arrow(const fulcrum_result* result,
                                                      struct ArrowSchema* schema_out,
                                                      struct ArrowArray* array_out);

/* Checks violated (`fulcrum run` prints them after the table). */
typedef struct fulcrum_violation {
  const char* check;
  const char* subject;
  const char* values; /* `attainment = 40%, quota = $600,000` */
} fulcrum_violation;
FULCRUM_EXPORT fulcrum_status fulcrum_result_violation_count(const fulcrum_result* result,
                                                             size_t* out);
FULCRUM_EXPORT fulcrum_status fulcrum_result_violation(const fulcrum_result* result, size_t index,
                                                       fulcrum_violation* out);
/* Notes of the run (clamped score components) and warnings (text no row holds). */
FULCRUM_EXPORT fulcrum_status fulcrum_result_note_count(const fulcrum_result* result, size_t* out);
FULCRUM_EXPORT fulcrum_status fulcrum_result_note(const fulcrum_result* result, size_t index,
                                                  const char** out);

/* ---- Tests -------------------------------------------------------------------------------- */

/* Runs the program's `test` blocks on both engines, as `fulcrum test FILE` does: `passed` and
 * `failed` count them; `report` (may be NULL; free with fulcrum_string_free) gets the text
 * `fulcrum test` prints. Failed tests are FULCRUM_OK: they are results, not errors. */
FULCRUM_EXPORT fulcrum_status fulcrum_program_test(const fulcrum_program* program, size_t* passed,
                                                   size_t* failed, char** report,
                                                   fulcrum_error** error);

/* ---- Alerts ------------------------------------------------------------------------------- */

/* One alert record, as `fulcrum alerts --format csv` prints it. `date` is empty when none;
 * `priority` is NULL when the alert declares none. `identity` says who it is across runs. */
typedef struct fulcrum_alert {
  const char* subject;
  const char* alert;
  const char* title;
  const char* date;
  const char* message;
  const char* priority;
  const char* identity;
} fulcrum_alert;

FULCRUM_EXPORT fulcrum_status fulcrum_alert_list_count(const fulcrum_alert_list* list, size_t* out);
FULCRUM_EXPORT fulcrum_status fulcrum_alert_list_get(const fulcrum_alert_list* list, size_t index,
                                                     fulcrum_alert* out);
FULCRUM_EXPORT void fulcrum_alert_list_free(fulcrum_alert_list* list);

/* The alerts of a run made with fulcrum_run_options_set_alerts (owned by the result). */
FULCRUM_EXPORT fulcrum_status fulcrum_result_alerts(const fulcrum_result* result,
                                                    const fulcrum_alert_list** out);

/* An alert session: the framework's alerts kept true as event rows arrive. It starts from a
 * loaded fulcrum_data (whose `events_table` rows are the history) at the options' as-of date,
 * and hands back, for each feed, the alerts that became true: the same records a batch run over
 * all events so far would add. */
FULCRUM_EXPORT fulcrum_status fulcrum_alert_session_new(const fulcrum_data* data,
                                                        const char* events_table,
                                                        const fulcrum_run_options* options,
                                                        fulcrum_alert_session** out,
                                                        fulcrum_error** error);
/* One event row: a cell per field of the events table, in declaration order, written as in a
 * CSV file (NULL or "" for a missing cell). */
FULCRUM_EXPORT fulcrum_status fulcrum_alert_session_feed_row(fulcrum_alert_session* session,
                                                             const char* const* cells,
                                                             size_t cell_count,
                                                             fulcrum_alert_list** fired,
                                                             fulcrum_error** error);
/* A batch of event rows as an Arrow struct array, one child per field matched by name, in the
 * formats fulcrum_data_bind_arrow takes; all rows or none. Columns that break the specification
 * or do not fit the events table are FULCRUM_DATA_ERROR of kind BadArrow, as for
 * fulcrum_data_bind_arrow; so are bad cells (a diagnostic per cell, its row in the batch as the
 * line). The structs are released before the call returns, on every path. */
FULCRUM_EXPORT fulcrum_status fulcrum_alert_session_feed_arrow(fulcrum_alert_session* session,
                                                               struct ArrowSchema* schema,
                                                               struct ArrowArray* array,
                                                               fulcrum_alert_list** fired,
                                                               fulcrum_error** error);
/* The clock moves forward to `date` (never back). */
FULCRUM_EXPORT fulcrum_status fulcrum_alert_session_advance(fulcrum_alert_session* session,
                                                            const char* date,
                                                            fulcrum_alert_list** fired,
                                                            fulcrum_error** error);
/* Every alert true now, as a batch run over all events so far would list them. */
FULCRUM_EXPORT fulcrum_status fulcrum_alert_session_current(const fulcrum_alert_session* session,
                                                            fulcrum_alert_list** out);
FULCRUM_EXPORT void fulcrum_alert_session_free(fulcrum_alert_session* session);

#ifdef __cplusplus
}
#endif

#endif /* FULCRUM_FULCRUM_H */
