// A run: load the plan's tables, bind them, run every scan, finalize the aggregates, run the
// formulas, then read checks, clamped components and the result table.
#include "runtime/Program.h"

#include "runtime/bind/Binder.h"
#include "runtime/bind/DataSources.h"
#include "runtime/exec/ChunkedScan.h"
#include "runtime/exec/Finalize.h"
#include "runtime/exec/Peers.h"
#include "runtime/exec/RunParams.h"
#include "runtime/output/ResultFormat.h"
#include "runtime/program/LoadedData.h"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>
#include <numeric>
#include <set>
#include <sys/stat.h>

namespace fulcrum::runtime {

std::unique_ptr<Program> Program::create(std::unique_ptr<Plan> plan, EngineKind engine,
                                         std::string& error) {
  std::vector<std::string> warnings;
  auto made = makeEngine(*plan, engine, error);
  if (!made && engine == EngineKind::Jit) {
    // The interpreter gives the same results, only slower: a JIT failure is not the user's.
    warnings.push_back(fmt::format("the JIT could not compile this framework ({}); running it "
                                   "with the interpreter",
                                   error));
    error.clear();
    made = makeEngine(*plan, EngineKind::Interpreter, error);
  }
  if (!made)
    return nullptr;
  if (std::string engineNote = engineWarning(engine); !engineNote.empty())
    warnings.push_back(std::move(engineNote));
  std::unique_ptr<Program> program(new Program());
  program->warnings_ = std::move(warnings);
  program->plan_ = std::move(plan);
  program->engine_ = std::move(made);
  return program;
}

LoadedSize loadedSize(const LoadedData& data) {
  LoadedSize size;
  for (const Table& table : data.loaded.tables) {
    size.rows += table.rowCount;
    for (const Column& c : table.columns)
      size.columnBytes += c.valid.size() + c.numbers.size() * sizeof(double) + c.bools.size() +
                          (c.codes.size() + c.days.size() + c.periodFirst.size() +
                           c.periodLast.size() + c.rows.size()) *
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

// The run's parameters; their errors are usage errors, found before any file is read.
static RunParamValues runParamsFor(const Plan& plan, const RunRequest& request,
                                   std::vector<std::string>& paramStrings) {
  std::map<std::string, int32_t> paramCodes;
  paramStrings = plan.strings;
  for (size_t i = 0; i < paramStrings.size(); ++i)
    paramCodes.emplace(paramStrings[i], static_cast<int32_t>(i));
  return computeRunParams(plan, request.period, request.asOf, request.params, paramCodes,
                          paramStrings);
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
    return result;
  }
  result = program.evaluate(request, *loaded.data);
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

LoadOutcome Program::load(const RunRequest& request) const {
  LoadOutcome outcome;
  DataSources sources = dataSourcesFor(*plan_, request.dataPaths);
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
  auto data = std::make_shared<LoadedData>();
  data->loaded = loadTables(sources.schemas, options);
  const LoadResult& loaded = data->loaded;
  for (const LoadIssue& issue : loaded.issues)
    if (!request.skipBadRows || issue.fatal)
      outcome.errors.push_back(formatIssue(issue));
  for (const LoadSummary& summary : loaded.summaries)
    outcome.notes.push_back(formatSummary(summary));
  if (!loaded.ok) {
    outcome.status = RunStatus::DataError;
    return outcome;
  }
  if (request.skipBadRows && !loaded.issues.empty() && !request.rejectsPath.empty())
    outcome.notes.push_back(fmt::format("rejected rows are in {}", request.rejectsPath));
  data->bound = bind(*plan_, data->loaded);
  // Line numbers are for load messages and rejects, all written by now: 4 bytes a row less.
  for (Table& table : data->loaded.tables)
    std::vector<uint32_t>().swap(table.lines);
  outcome.data = std::move(data);
  return outcome;
}

RunResult Program::evaluate(const RunRequest& request, const LoadedData& data) const {
  RunResult result;
  const Plan& plan = *plan_;
  std::vector<std::string> paramStrings;
  RunParamValues params = runParamsFor(plan, request, paramStrings);
  if (!params.errors.empty()) {
    result.status = RunStatus::UsageError;
    result.errors = std::move(params.errors);
    return result;
  }
  const LoadResult& loaded = data.loaded;
  const BoundData& bound = data.bound;
  // Holidays are data: working days are counted again once they are loaded.
  for (size_t i = 0; i < plan.runParams.size(); ++i) {
    const RunParamSpec& spec = plan.runParams[i];
    if (spec.kind != RunParamKind::WorkingDays || spec.holidaysTable < 0)
      continue;
    const Period period = *parsePeriod(request.period);
    const Table* holidays = loaded.table(plan.tables[spec.holidaysTable].name);
    std::set<DayNumber> days;
    if (holidays)
      for (size_t row = 0; row < holidays->rowCount; ++row) {
        const Column& column = holidays->columns[spec.holidaysField];
        const DayNumber day = column.days[row];
        if (column.valid[row] && day >= period.start() && day <= period.end() &&
            isoWeekday(day) <= 5)
          days.insert(day);
      }
    params.values[i] =
        workingDaysBetween(period.start(), period.end()) - static_cast<double>(days.size());
  }
  // Text params were interned into a copy of the plan's strings: add them to the run's pool
  // (a copy: the loaded data is shared between runs).
  std::vector<std::string> strings = bound.strings;
  std::vector<double> runValues = params.values;
  for (size_t i = 0; i < plan.runParams.size(); ++i)
    if (plan.runParams[i].kind == RunParamKind::UserParam &&
        plan.runParams[i].paramType == ValueType::Text) {
      const std::string& text = paramStrings[static_cast<size_t>(runValues[i])];
      const auto known = bound.stringCodes.find(text);
      if (known != bound.stringCodes.end()) {
        runValues[i] = known->second;
        continue;
      }
      const auto it = std::find(strings.begin() + static_cast<std::ptrdiff_t>(bound.strings.size()),
                                strings.end(), text);
      runValues[i] = static_cast<double>(it - strings.begin());
      if (it == strings.end())
        strings.push_back(text);
    }
  // Peer steps point bound columns at slots: each run has its own column tables.
  std::vector<const void*> columnValues = bound.columnValues;
  std::vector<const uint8_t*> columnValid = bound.columnValid;

  const size_t subjects = bound.subjectRows.size();
  std::vector<double> accumulators(plan.aggregateCount * subjects * kAccumulatorWidth, 0.0);
  CollectedValues collected(plan, subjects);
  std::vector<double> aggregateValues, slotValues(plan.slotCount * subjects, 0.0);
  std::vector<uint8_t> aggregateValid, slotValid(plan.slotCount * subjects, 0);

  // `order by` a text field: each code's place among the texts in byte order (codes themselves
  // are in order of appearance). Never empty, so a kernel may read entry 0 for a missing text.
  std::vector<int32_t> textOrder(1, 0);
  if (plan.usesTextOrder) {
    std::vector<int32_t> byText(strings.size());
    std::iota(byText.begin(), byText.end(), 0);
    std::sort(byText.begin(), byText.end(),
              [&](int32_t a, int32_t b) { return strings[a] < strings[b]; });
    textOrder.assign(std::max<size_t>(strings.size(), 1), 0);
    for (size_t place = 0; place < byText.size(); ++place)
      textOrder[static_cast<size_t>(byText[place])] = static_cast<int32_t>(place);
  }

  KernelArgs args{};
  args.textOrder = textOrder.data();
  args.columnValues = columnValues.data();
  args.columnValid = columnValid.data();
  args.subjects = static_cast<int64_t>(subjects);
  args.subjectRows = bound.subjectRows.data();
  args.runValues = runValues.data();
  args.runValid = params.valid.data();
  args.accumulators = accumulators.data();
  args.collectedValues = &collected;
  aggregateValues.assign(plan.aggregateCount * subjects, 0);
  aggregateValid.assign(plan.aggregateCount * subjects, 0);
  for (size_t i = 0; i < plan.scans.size(); ++i) {
    const ScanKernel& scan = plan.scans[i];
    if (scan.peerStage >= 0)
      continue; // runs between formula stages
    args.rowSubjects = bound.rowSubjects[scan.subjectOfRow];
    args.rows = static_cast<int64_t>(bound.tableRows[scan.table]);
    runScanInChunks(*engine_, plan, i, args, request.threads);
    for (const AggregateUpdate& update : scan.updates)
      finalizeAggregate(update, subjects, subjects, accumulators, collected, aggregateValues,
                        aggregateValid);
  }
  args.rowSubjects = nullptr;
  args.rows = 0;
  args.aggregateValues = aggregateValues.data();
  args.aggregateValid = aggregateValid.data();
  args.slotValues = slotValues.data();
  args.slotValid = slotValid.data();
  engine_->runFormulas(0, args);
  for (size_t stage = 1; stage <= plan.laterStages.size(); ++stage) {
    for (const PeerStep& step : plan.laterStages[stage - 1].peers) {
      // The step's scan: subjects as rows, each in its peer group, reading the input slot.
      const PeerGroups groups = peerGroups(plan, step, args);
      if (aggregateInfo(step.kind).keepsValues()) {
        runPeerKeptValues(step, groups, args);
        continue;
      }
      // Pointer arithmetic, not &v[i]: with no subjects the vectors are empty.
      columnValues[step.inputColumn] = slotValues.data() + step.input * subjects;
      columnValid[step.inputColumn] = slotValid.data() + step.input * subjects;
      args.rowSubjects = groups.groupOf.data();
      args.rows = static_cast<int64_t>(subjects);
      engine_->runScan(step.scan, args);
      finalizeAggregate(plan.scans[step.scan].updates[0], subjects, groups.count, accumulators,
                        collected, aggregateValues, aggregateValid);
      // Each subject takes its group's result.
      for (size_t s = 0; s < subjects; ++s) {
        const int32_t group = groups.groupOf[s];
        const size_t from = step.aggregate * subjects + static_cast<size_t>(group < 0 ? 0 : group);
        slotValues[step.output * subjects + s] = group < 0 ? 0 : aggregateValues[from];
        slotValid[step.output * subjects + s] = group < 0 ? 0 : aggregateValid[from];
      }
    }
    args.rowSubjects = nullptr;
    args.rows = 0;
    engine_->runFormulas(stage, args);
  }

  ResultTable& table = result.table;
  const PlanTable& subject = plan.tables[0];
  table.keyName = subject.fields[subject.keyField].name;
  table.keys = bound.subjectKeys;
  table.columns = plan.outputs;
  table.strings = std::move(strings);
  for (const OutputColumn& column : table.columns)
    for (size_t s = 0; s < subjects; ++s) {
      table.values.push_back(slotValues[column.slot * subjects + s]);
      table.valid.push_back(slotValid[column.slot * subjects + s]);
    }

  // A slot's value as the CSV output would print it.
  auto show = [&](const OutputColumn& column, size_t s) {
    const size_t at = column.slot * subjects + s;
    return slotValid[at] ? rawValue(column.kind, slotValues[at], table.strings)
                         : std::string("missing");
  };
  for (const CheckSpec& check : plan.checks)
    for (size_t s = 0; s < subjects; ++s) {
      const size_t at = check.slot * subjects + s;
      if (!slotValid[at] || slotValues[at] != 0)
        continue; // a check holds unless it is known to be false
      CheckViolation violation{check.label, table.keys[s], {}};
      for (const OutputColumn& input : check.inputs)
        violation.values.emplace_back(input.name, show(input, s));
      result.violations.push_back(std::move(violation));
    }
  for (const ClampSpec& clamp : plan.clamps) {
    size_t clamped = 0;
    for (size_t s = 0; s < subjects; ++s) {
      const size_t at = clamp.rawSlot * subjects + s;
      clamped += slotValid[at] && (slotValues[at] < 0 || slotValues[at] > 1);
    }
    if (clamped > 0)
      result.notes.push_back(
          fmt::format("score component `{}` was outside [0, 1] for {} subject{} and was clamped",
                      clamp.name, clamped, clamped == 1 ? "" : "s"));
  }
  return result;
}

} // namespace fulcrum::runtime
