// A program: its plan and engine, made once; a load of the plan's tables, bound once; and
// evaluations, each a short script of steps over a Run (runtime/program/Run.h).
#include "runtime/Program.h"

#include "runtime/bind/DataSources.h"
#include "runtime/output/ResultFormat.h"
#include "runtime/postgres/PostgresTable.h"
#include "runtime/program/LoadedData.h"
#include "runtime/program/Run.h"
#include "support/MemorySize.h"
#include "support/PostgresUri.h"

#include <algorithm>
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <new>
#include <sys/stat.h>

namespace fulcrum::runtime {

LoadedSize loadedSize(const LoadedData& data) {
  LoadedSize size;
  for (const Table& table : data.loaded.tables) {
    size.rows += table.rowCount;
    for (const Column& c : table.columns)
      // A borrowed column's values are loaded too (from a host, or a warm cache's bytes).
      size.columnBytes += c.valid.size() +
                          (c.borrowedNumbers ? c.size() : c.numbers.size()) * sizeof(double) +
                          c.bools.size() +
                          (c.codes.size() + (c.borrowedDays ? c.size() : c.days.size()) +
                           c.periodFirst.size() + c.periodLast.size() + c.rows.size()) *
                              sizeof(int32_t);
  }
  return size;
}

// Whether two paths name one existing file (the same device and inode), however they are spelt.
static bool sameFile(const std::string& a, const std::string& b) {
  struct stat first {
  }, second{};
  return !a.empty() && stat(a.c_str(), &first) == 0 && stat(b.c_str(), &second) == 0 &&
         first.st_dev == second.st_dev && first.st_ino == second.st_ino;
}

// The run's usage errors (its params, period and as-of date), found before any file is read:
// a UsageError result, or an empty Ok one when there are none.
static RunResult usageCheck(const Plan& plan, const RunRequest& request) {
  RunResult result;
  std::vector<std::string> paramStrings;
  result.errors = runParamsFor(plan, request, paramStrings).errors;
  if (!result.errors.empty())
    result.status = RunStatus::UsageError;
  return result;
}

// A run whose usage has been checked: the load's errors and notes, then the evaluation's.
static RunResult runLoaded(const Program& program, const RunRequest& request,
                           const LoadOutcome& loaded) {
  RunResult result;
  if (loaded.status != RunStatus::Ok) {
    result.status = loaded.status;
    result.errors = loaded.errors;
    result.notes = loaded.notes;
    result.summaries = loaded.summaries;
    return result;
  }
  result = program.evaluate(request, *loaded.data);
  result.warnings = loaded.warnings;
  result.summaries = loaded.summaries;
  result.errors.insert(result.errors.begin(), loaded.errors.begin(), loaded.errors.end());
  result.notes.insert(result.notes.begin(), loaded.notes.begin(), loaded.notes.end());
  return result;
}

RunResult Program::run(const RunRequest& request) const {
  RunResult usage = usageCheck(*plan_, request);
  return usage.status != RunStatus::Ok ? usage : runLoaded(*this, request, load(request));
}

RunResult Program::run(const RunRequest& request, const LoadOutcome& loaded) const {
  RunResult usage = usageCheck(*plan_, request);
  return usage.status != RunStatus::Ok ? usage : runLoaded(*this, request, loaded);
}

// Appends the summaries of `more` that `into` does not hold yet (a file read by a feed and by the
// program is one file).
static void addSummaries(std::vector<LoadSummary>& into, const std::vector<LoadSummary>& more) {
  for (const LoadSummary& summary : more)
    if (std::none_of(into.begin(), into.end(), [&](const LoadSummary& s) {
          return s.table == summary.table && s.path == summary.path;
        }))
      into.push_back(summary);
}

LoadOutcome Program::load(const RunRequest& request) const {
  LoadOutcome outcome;
  // The frameworks it reads load first; a file's summary is noted once.
  std::vector<std::shared_ptr<const LoadedData>> feeds;
  std::vector<size_t> feedRows;
  for (const auto& feed : feeds_) {
    LoadOutcome loaded = feed->load(request);
    if (loaded.status != RunStatus::Ok)
      return loaded;
    for (std::string& note : loaded.notes)
      if (std::find(outcome.notes.begin(), outcome.notes.end(), note) == outcome.notes.end())
        outcome.notes.push_back(std::move(note));
    addSummaries(outcome.summaries, loaded.summaries);
    feedRows.push_back(loaded.data->bound.subjectRows.size());
    feeds.push_back(std::move(loaded.data));
  }
  LoadOutcome own = loadOwn(request, feedRows);
  if (own.data)
    std::const_pointer_cast<LoadedData>(own.data)->feeds = std::move(feeds);
  for (std::string& note : own.notes)
    if (std::find(outcome.notes.begin(), outcome.notes.end(), note) == outcome.notes.end())
      outcome.notes.push_back(std::move(note));
  own.notes = std::move(outcome.notes);
  addSummaries(outcome.summaries, own.summaries);
  own.summaries = std::move(outcome.summaries);
  return own;
}

LoadOutcome Program::loadOwn(const RunRequest& request, const std::vector<size_t>& feedRows) const {
  LoadOutcome outcome;
  std::map<std::string, std::string> paths = request.dataPaths;
  for (const auto& [name, table] : request.hostTables)
    paths[name] = hostTableLabel(name); // not a file: the loader takes the rows from the host
  DataSources sources = dataSourcesFor(*plan_, paths, request.plainFormData);
  if (!sources.usageErrors.empty()) {
    outcome.status = RunStatus::UsageError;
    outcome.errors = std::move(sources.usageErrors);
    return outcome;
  }
  if (!sources.errors.empty()) {
    outcome.status = RunStatus::DataError;
    outcome.errors = std::move(sources.errors);
    return outcome;
  }
  // A host table's columns are named after the fields (its `= column` names a file's column).
  for (TableSchema& schema : sources.schemas)
    if (request.hostTables.count(schema.name))
      for (FieldSchema& field : schema.fields)
        field.column = field.name;
  // A database source is read by its host table; messages name it by its label, never by the
  // URI (which may hold a password).
  std::map<std::string, std::shared_ptr<const HostTable>> databaseTables;
  for (TableSchema& schema : sources.schemas)
    if (isPostgresUri(schema.path) && !request.hostTables.count(schema.name)) {
      databaseTables[schema.name] = std::make_shared<postgres::PostgresTable>(schema.path);
      schema.path = dataSourceLabel(schema.path);
    }
  // Only the columns the plan reads are fetched from a database or converted from a file's cells
  // (an unread one is checked for presence only, docs/data-formats.md); a host's typed table
  // keeps its columns as given; `check --with-data` (validateAllFields) converts them all.
  for (TableSchema& schema : sources.schemas)
    if (!request.hostTables.count(schema.name) && !request.validateAllFields)
      markFieldsRead(*plan_, schema);
  if (request.skipBadRows)
    for (const TableSchema& schema : sources.schemas)
      if (sameFile(request.rejectsPath, schema.path)) {
        outcome.status = RunStatus::UsageError;
        outcome.errors.push_back(fmt::format(
            "--rejects {}: that is the file of `{}`, which rejected rows would overwrite; name "
            "another file",
            request.rejectsPath, schema.name));
        return outcome;
      }
  LoadOptions options;
  options.skipBadRows = request.skipBadRows;
  options.rejectsPath = request.rejectsPath;
  options.threads = request.threads;
  options.columnCache = request.columnCache;
  options.cacheTrustsStat = request.cacheTrustsStat;
  options.hostTables = request.hostTables;
  options.hostTables.insert(databaseTables.begin(), databaseTables.end());
  options.memoryLimit = request.memoryLimit != 0 ? request.memoryLimit : defaultMemoryLimit();
  options.cancel = request.cancel;
  auto data = std::make_shared<LoadedData>();
  try {
    data->loaded = loadTables(sources.schemas, options);
  } catch (const std::bad_alloc&) {
    // Past parsing (references, compaction, the rejects file): a data error, never an abort.
    data.reset();
    std::vector<std::string> files;
    for (const TableSchema& schema : sources.schemas)
      files.push_back(schema.path);
    outcome.status = RunStatus::DataError;
    outcome.errors.push_back(fmt::format("error: out of memory while loading {}; --memory-limit "
                                         "sets what a run may take",
                                         fmt::join(files, ", ")));
    return outcome;
  }
  const LoadResult& loaded = data->loaded;
  if (loaded.cancelled) {
    outcome.status = RunStatus::Cancelled;
    outcome.errors.push_back("the load was cancelled");
    outcome.issues = loaded.issues;
    return outcome;
  }
  for (const LoadIssue& issue : loaded.issues)
    if (!request.skipBadRows || issue.fatal) {
      outcome.errors.push_back(formatIssue(issue));
      outcome.issues.push_back(issue);
    }
  for (const LoadSummary& summary : loaded.summaries)
    outcome.notes.push_back(formatSummary(summary));
  outcome.summaries = loaded.summaries;
  if (!loaded.ok) {
    outcome.status = RunStatus::DataError;
    return outcome;
  }
  if (request.skipBadRows && !loaded.issues.empty() && !request.rejectsPath.empty())
    outcome.notes.push_back(fmt::format("rejected rows are in {}", request.rejectsPath));
  outcome.warnings = textLiteralWarnings(*plan_, data->loaded);
  data->bound = bind(*plan_, data->loaded, feedRows);
  // Line numbers are for load messages and rejects, all written by now (unless
  // `--explain-rows` will name the rows that fed an aggregate).
  if (!request.trace.rowLines)
    for (Table& table : data->loaded.tables)
      table.lines.release();
  outcome.data = std::move(data);
  return outcome;
}

// A subject group with `by`: (member key, group key) for each member row that names a group.
static std::vector<std::pair<std::string, std::string>>
groupMembers(const Plan& plan, const LoadedData& data, const std::vector<std::string>& groupKeys) {
  std::vector<std::pair<std::string, std::string>> members;
  const PlanTable& subject = plan.tables.at(0);
  if (subject.groupMembers < 0)
    return members;
  const Table* table =
      data.loaded.table(plan.tables.at(static_cast<size_t>(subject.groupMembers)).name);
  if (!table || table->schema.keyField < 0)
    return members;
  const Column& keys = table->columns.at(static_cast<size_t>(table->schema.keyField));
  const std::vector<int32_t>& groupOf = data.bound.memberGroup;
  for (size_t row = 0; row < table->rowCount && row < groupOf.size(); ++row)
    if (groupOf[row] >= 0 && static_cast<size_t>(groupOf[row]) < groupKeys.size())
      members.emplace_back(std::string(keys.text(row)),
                           groupKeys[static_cast<size_t>(groupOf[row])]);
  return members;
}

// A cancelled run stops between steps (and between scans and stages within them): true, with
// `result` saying so.
bool stopIfCancelled(Run& run, RunResult& result) {
  if (!cancelRequested(run))
    return false;
  result = RunResult();
  result.status = RunStatus::Cancelled;
  result.errors.push_back("the run was cancelled");
  return true;
}

bool finishEvaluation(Run& run, RunResult& result) {
  const Plan& plan = run.plan;
  const RunRequest& request = run.request;
  if (stopIfCancelled(run, result))
    return false;
  runStages(run);
  if (stopIfCancelled(run, result))
    return false;
  runAlertScans(run);
  if (stopIfCancelled(run, result))
    return false;
  collectResults(run, result);
  if (request.alerts)
    collectAlerts(run, result);
  readChecks(run, result);
  noteClamps(run, result);
  notePartialScores(run, result);
  if (request.trace.enabled())
    traceSubjects(run, result);
  for (size_t i = 0; i < plan.runParams.size(); ++i) {
    const RunParamSpec& spec = plan.runParams[i];
    if (spec.kind != RunParamKind::UserParam)
      continue;
    RunParamValue param{
        spec.name, spec.paramType, run.params.valid.at(i) != 0, run.params.values.at(i), "", ""};
    if (param.present)
      param.csv = rawValue(param.kind, param.value, result.table.strings, plan.fiscalStart);
    param.shown = shownValue(param.kind, param.value, param.present, result.table.strings,
                             plan.fiscalStart, plan.currency->sign);
    result.params.push_back(std::move(param));
  }
  return true;
}

RunResult Program::evaluate(const RunRequest& request, const LoadedData& data) const {
  RunResult result;
  Run run(*plan_, *engine_, data, request);
  // The frameworks it reads, for the same period, as-of date and params (their alerts are
  // theirs).
  RunRequest feedRequest = request;
  feedRequest.alerts = false;
  feedRequest.trace = {}; // what explain and coverage read is this framework's own trace
  std::vector<FeedResult> keptFeeds;
  for (size_t i = 0; i < feeds_.size(); ++i) {
    RunResult feed = feeds_[i]->evaluate(feedRequest, *data.feeds.at(i));
    if (feed.status != RunStatus::Ok)
      return feed;
    if (request.keepFeeds) {
      run.feedTables.push_back(feed.table);
      keptFeeds.push_back({feeds_[i]->plan().frameworkName, std::move(feed)});
    } else {
      run.feedTables.push_back(std::move(feed.table));
    }
  }
  if (!prepareArguments(run, result))
    return result;
  if (stopIfCancelled(run, result))
    return result;
  runScans(run);
  if (!finishEvaluation(run, result))
    return result;
  if (request.keepFeeds) {
    result.feeds = std::move(keptFeeds);
    result.members = groupMembers(*plan_, data, result.table.keys);
  }
  return result;
}

} // namespace fulcrum::runtime
