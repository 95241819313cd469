// One evaluation of loaded data: the run's state, and the steps of Program::evaluate that fill
// it in turn (prepareArguments, runScans, runStages, runAlertScans, collectResults, collectAlerts,
// readChecks, noteClamps).
#pragma once

#include "runtime/Program.h"
#include "runtime/exec/Aggregation.h"
#include "runtime/exec/MatchedRows.h"
#include "runtime/exec/RunParams.h"
#include "runtime/program/LoadedData.h"

#include <string>
#include <vector>

namespace fulcrum::runtime {

struct Run {
  Run(const Plan& plan, const Engine& engine, const LoadedData& data, const RunRequest& request)
      : plan(plan), engine(engine), data(data), loaded(data.loaded), bound(data.bound),
        request(request), subjects(data.bound.subjectRows.size()) {}
  Run(const Run&) = delete; // `args` points into it
  Run& operator=(const Run&) = delete;

  const Plan& plan;
  const Engine& engine;
  const LoadedData& data;
  const LoadResult& loaded;
  const BoundData& bound;
  const RunRequest& request;
  const size_t subjects;

  RunParamValues params;
  std::vector<std::string> paramStrings; // the plan's strings and the text params
  std::vector<std::string> strings;      // the run's pool: the loaded texts and the text params
  std::vector<double> runValues;         // params.values with text params as pool codes
  // Peer steps point bound columns at slots: each run has its own column tables.
  std::vector<const void*> columnValues;
  std::vector<const uint8_t*> columnValid;
  std::vector<double> accumulators;
  CollectedValues collected; // the values median and count distinct keep
  std::vector<double> aggregateValues, slotValues;
  std::vector<uint8_t> aggregateValid, slotValid;
  std::vector<int32_t> textOrder;
  std::vector<int32_t> holidays; // weekday holidays, sorted (KernelArgs::holidays)
  // The results of the frameworks the plan reads (Plan::feeds), and their values as this run
  // reads them: per feed, per read, a value and validity per row (texts in this run's pool).
  std::vector<ResultTable> feedTables;
  std::vector<std::vector<std::vector<double>>> feedValues;
  std::vector<std::vector<std::vector<uint8_t>>> feedValid;
  MatchedRows matched;       // the rows each active alert's filter matched
  MatchedRowsAt matchedAt{}; // what args.matchedRows points to
  KernelArgs args{};
  // Once a step saw the cancel flag and stopped short, the run is cancelled for good: a host
  // resetting the flag (fulcrum_cancel_reset) must not let it go on from half-made values.
  bool cancelled = false;
};

// Whether RunRequest::cancel asks the run to stop: steps check it between scans and stages, and
// Program::evaluate after each step. Sticky (Run::cancelled).
inline bool cancelRequested(Run& run) {
  if (!run.cancelled && run.request.cancel && run.request.cancel->load(std::memory_order_relaxed))
    run.cancelled = true;
  return run.cancelled;
}

// The run's parameters; their errors are usage errors, found before any file is read.
RunParamValues runParamsFor(const Plan& plan, const RunRequest& request,
                            std::vector<std::string>& paramStrings);

// Params (false, with the usage errors in `result`, when they are wrong), working days without
// the loaded holidays, text params in the run's pool, the texts' order, and the KernelArgs.
bool prepareArguments(Run& run, RunResult& result);
// The values read from other frameworks (after the text params are interned: their texts join
// the run's pool), then, once the run's state is allocated, their slots and columns.
void readFeeds(Run& run);
void bindFeeds(Run& run);
// Every table scan, each aggregate finalized after its scan.
void runScans(Run& run);
// The scans of alerts whose filters read members: after the formula stages.
void runAlertScans(Run& run);
// The formula stages, each later one after its peer steps.
void runStages(Run& run);
// True, with `result` a Cancelled result, when RunRequest::cancel asks the run to stop.
bool stopIfCancelled(Run& run, RunResult& result);
// Everything Program::evaluate does after the scans: the formula stages, the alert scans, the
// result table, alerts, checks, notes, trace and params. False when the run was cancelled.
bool finishEvaluation(Run& run, RunResult& result);
// The texts' order (Run::textOrder, KernelArgs::textOrder) after texts joined the run's pool.
void rankTexts(Run& run);
// A peer step between two formula stages: the step's scan over the subjects, or (an aggregate
// that keeps its values) each group's values finalized.
void runPeerStep(Run& run, const PeerStep& step);
// The result table: the subjects' keys and every output slot.
void collectResults(Run& run, RunResult& result);
// The same table with a copy of the run's pool, which the run keeps (an alert session evaluates
// on); refreshResultValues() copies the slots into it again after the formulas have re-run (all
// columns, or column `onlyColumn`: the order, which is all that sorting alerts reads).
ResultTable resultTableCopy(const Run& run);
void refreshResultValues(const Run& run, ResultTable& table, int32_t onlyColumn = -1);
// Every alert that fired, its message and priority, in the feed's order (after collectResults:
// it reads the table's keys, order and pool).
void collectAlerts(const Run& run, RunResult& result);
// A violation for each check known to be false (after collectResults).
void readChecks(const Run& run, RunResult& result);
// A note for each score component that was clamped to [0, 1].
void noteClamps(const Run& run, RunResult& result);
// With RunRequest::trace: the traced subjects' node values and rows (runtime/exec/Trace.h;
// after the formulas and alert scans, when every slot is final).
void traceSubjects(const Run& run, RunResult& result);
// A note for each key result that was missing where its objective still has a score.
void notePartialScores(const Run& run, RunResult& result);

} // namespace fulcrum::runtime
