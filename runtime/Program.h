// The runtime's C++ API: a compiled framework (Program) and its runs. Its clients are the C API
// (api/, include/fulcrum/fulcrum.h: what embedding hosts use), the CLI, the tests, the fuzzers and
// the benchmarks. A Program is immutable after create(); run() may be called from several threads
// at once.
#pragma once

#include "runtime/data/HostTable.h"
#include "runtime/data/Loader.h"
#include "runtime/exec/Engine.h"
#include "runtime/exec/Trace.h"
#include "runtime/output/AlertFeed.h"
#include "runtime/output/ResultTable.h"
#include "runtime/plan/Plan.h"

#include <atomic>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

namespace fulcrum::runtime {

enum class EngineKind { Jit, Interpreter };

struct RunRequest {
  std::string period;                           // `2017-Q2`; must fit the framework's cadence
  std::string asOf;                             // `YYYY-MM-DD`; empty: the period's last day
  std::map<std::string, std::string> params;    // `--param quota=900000`
  std::map<std::string, std::string> dataPaths; // `--data deals=PATH`
  // Tables whose file is written in the plain forms (ISO dates, plain amounts, `,` between
  // fields, the declared column names): `fulcrum test`'s inline rows. Their `format`s and file
  // options do not apply.
  std::set<std::string> plainFormData;
  // Tables bound in memory by a host (runtime/arrow/): read instead of their files; the other
  // tables still come from files, and references between the two resolve as usual.
  HostTables hostTables;
  bool skipBadRows = false; // `--on-error skip`
  std::string rejectsPath;  // where skipped rows are written
  // Convert every declared field of every table, read or not (`check --with-data`): a run checks
  // the fields its framework never reads for presence only (docs/data-formats.md).
  bool validateAllFields = false;
  // `--threads N`: threads for loading and scans, 0 for every core. Results never depend on it.
  unsigned threads = 0;
  bool columnCache = false;     // `--cache`: keep a binary copy of each parsed CSV beside it
  bool cacheTrustsStat = false; // FULCRUM_CACHE=trust-stat: match caches on size and mtime
  bool alerts = false;          // evaluate the framework's alerts into RunResult::alerts
  // Keep the results of the frameworks it reads (RunResult::feeds) and, for a subject group with
  // `by`, which group each member is in (RunResult::members): what `fulcrum report` draws an OKR
  // cascade from. Off, a run keeps neither.
  bool keepFeeds = false;
  TraceRequest trace; // `run --explain`, `test --coverage`: RunResult::traces
  // `--memory-limit`: bytes the loaded rows may take (LoadOptions::memoryLimit); 0 for the
  // machine's default, half of its physical memory (support/MemorySize.h).
  size_t memoryLimit = 0;
  // Set from another thread, it stops a load (every 2 MiB of a file) or an evaluation (between
  // table scans and formula stages: one scan runs to its end) with RunStatus::Cancelled. Null:
  // no cancelling.
  const std::atomic<bool>* cancel = nullptr;
};

// Cancelled: RunRequest::cancel was set.
enum class RunStatus { Ok, DataError, UsageError, Cancelled };

// What the loaded data says about the framework's source: a text literal no row holds. Where it
// is written, what is wrong and a hint; text() as a diagnostic prints it.
struct DataWarning {
  std::string file;
  uint32_t line = 0, column = 0, length = 0;
  std::string message, hint;
  // The literal the hint suggests, quoted as source text (`"Won"`), to replace the span; empty
  // when the hint names no single value or the value would need escaping.
  std::string replacement;
  static constexpr const char* kKind = "TextNotInData"; // its DiagnosticKinds.def row
  std::string text() const; // `file:line:col: warning: message [TextNotInData]` and the hint
};

// A program's tables, loaded and bound once (runtime/program/LoadedData.h): any number of
// evaluations, for any period and params, may read them, from several threads at once.
struct LoadedData;

struct LoadOutcome {
  RunStatus status = RunStatus::Ok;
  std::vector<std::string> errors; // file:line:col: ... per problem
  std::vector<LoadIssue> issues;   // the loader's problems behind `errors` (table, row, value)
  std::vector<std::string> notes;  // load summaries
  // Per file read (feeds' first, each file once): its rows loaded and rejected (provenance).
  std::vector<LoadSummary> summaries;
  // What the data says about the framework: text literals no row holds. `--werror` fails on them.
  std::vector<DataWarning> warnings;
  std::shared_ptr<const LoadedData> data; // null unless status is Ok
};

struct FeedResult;

// A `param`'s value in a run (its default, or `--param`'s): what the run's formulas read.
struct RunParamValue {
  std::string name;
  ValueType kind = ValueType::Number;
  bool present = false;
  double value = 0;  // as the engines hold it (money in 1/10,000 units, a text as a code)
  std::string csv;   // as `run --format csv` writes a value of its kind
  std::string shown; // as the table format shows it
};

struct RunResult {
  RunStatus status = RunStatus::Ok;
  std::vector<std::string> errors;    // what went wrong, one message each (file:line:col: ...)
  std::vector<std::string> notes;     // load summaries, clamped score components
  std::vector<DataWarning> warnings;  // the load's (LoadOutcome::warnings)
  std::vector<LoadSummary> summaries; // the load's (LoadOutcome::summaries)
  ResultTable table;
  std::vector<CheckViolation> violations;
  // With RunRequest::alerts: every alert that fired, in the feed's order (subjects in rank
  // order, else by key; then newest first, declaration order, file order).
  std::vector<AlertRecord> alerts;
  // With RunRequest::trace: the traced subjects' values (runtime/exec/Trace.h); none when the
  // requested key is no subject's.
  std::vector<SubjectTrace> traces;
  // Every `param`'s value in this run, in declaration order.
  std::vector<RunParamValue> params;
  // With RunRequest::keepFeeds: the run of each framework this one read, in Plan::feeds' order
  // (each with its own feeds and members), the very results this run's formulas read.
  std::vector<FeedResult> feeds;
  // With RunRequest::keepFeeds, when the subject is a group with `by` (`group team of rep by
  // manager`): (member key, group key) for each member row that names a group, in load order.
  std::vector<std::pair<std::string, std::string>> members;
};

struct FeedResult {
  std::string framework;
  RunResult result;
};

// What a load holds: rows over all tables, and the bytes of their columns (values and validity).
struct LoadedSize {
  size_t rows = 0;
  size_t columnBytes = 0;
};
LoadedSize loadedSize(const LoadedData& data);

class Program {
public:
  // Prepares the engine for a plan (compiler/lower/ makes plans from source: makeProgram). On
  // failure returns null with `error`.
  static std::unique_ptr<Program> create(std::unique_ptr<Plan> plan, EngineKind engine,
                                         std::string& error);

  // Loads, binds and evaluates: load() then evaluate(), with load's errors and notes.
  RunResult run(const RunRequest& request) const;
  // What run(request) gives, over a load already made: its errors and notes, then evaluate()'s
  // result. Params are checked first, as run() checks them before reading any file.
  RunResult run(const RunRequest& request, const LoadOutcome& loaded) const;
  // Loads and binds the plan's tables (request: dataPaths, skipBadRows, rejectsPath, threads,
  // columnCache).
  LoadOutcome load(const RunRequest& request) const;
  // Evaluates loaded data for the request's period, as-of date and params (its data fields are
  // not read). `data` must come from load() of this program or of another one created from the
  // same compilation and framework, whose plan is the same (the interpreter's and the JIT's).
  RunResult evaluate(const RunRequest& request, const LoadedData& data) const;
  const Plan& plan() const { return *plan_; }
  // Its engine, for evaluations kept between calls (runtime/program/AlertSession.h).
  const Engine& engine() const { return *engine_; }
  // What happened while creating it that a user should know (the JIT failed and the
  // interpreter runs instead).
  const std::vector<std::string>& warnings() const { return warnings_; }

private:
  Program() = default;
  LoadOutcome loadOwn(const RunRequest& request, const std::vector<size_t>& feedRows) const;
  std::unique_ptr<Plan> plan_;
  std::unique_ptr<Engine> engine_;
  // Per Plan::feeds, on the same engine; a framework read along several paths is one program.
  std::vector<std::shared_ptr<const Program>> feeds_;
  std::vector<std::string> warnings_;
};

// The engine for a plan: the JIT or the interpreter; null and `error` when it cannot be made.
std::unique_ptr<Engine> makeEngine(const Plan& plan, EngineKind kind, std::string& error);
// The LLVM IR the JIT generates for a plan, optimised, for `--dump-llvm`.
std::string dumpLlvmIr(const Plan& plan);
// What a user of the engine should know that is no error (the JIT's cache folder not used, and
// why), or empty.
std::string engineWarning(EngineKind kind);

} // namespace fulcrum::runtime
