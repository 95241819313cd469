// An alert session (AlertSession.h): a run kept between feeds, updated by the new rows only, or
// recomputed when the clock moves or the plan cannot be updated in place.
#include "runtime/program/AlertSession.h"

#include "runtime/data/RangeParser.h"
#include "runtime/exec/ChunkedScan.h"
#include "runtime/exec/Finalize.h"
#include "runtime/exec/Ranks.h"
#include "runtime/program/AlertRecords.h"
#include "runtime/program/LoadedData.h"
#include "runtime/program/Run.h"

#include <fmt/format.h>
#include <unordered_set>

namespace fulcrum::runtime {

namespace {

uint64_t activeKey(uint32_t alert, int64_t row) {
  return (uint64_t{alert} << 40) | static_cast<uint64_t>(row);
}

} // namespace

AlertSession::AlertSession(const Program& program, const Plan& plan, const Engine& engine)
    : program_(program), plan_(plan), engine_(engine), parsed_(std::make_unique<ParsedRange>()) {
}

AlertSession::~AlertSession() = default;

std::unique_ptr<AlertSession> AlertSession::create(const Program& program,
                                                   const LoadedData& history,
                                                   const std::string& eventsTable,
                                                   const RunRequest& request,
                                                   AlertSessionResult& outcome) {
  const Plan& plan = program.plan();
  auto fail = [&](RunStatus status, std::string message) {
    outcome.status = status;
    outcome.errors.push_back(std::move(message));
    return nullptr;
  };
  if (!plan.feeds.empty())
    return fail(RunStatus::UsageError,
                fmt::format("framework `{}` reads other frameworks' results; an alert session "
                            "feeds one framework's own tables only",
                            plan.frameworkName));
  int64_t table = -1;
  for (size_t t = 1; t < plan.tables.size(); ++t)
    if (plan.tables[t].name == eventsTable && plan.tables[t].feed < 0)
      table = static_cast<int64_t>(t);
  if (table < 0) {
    std::string tables;
    for (size_t t = 1; t < plan.tables.size(); ++t)
      if (plan.tables[t].feed < 0)
        tables += fmt::format("{}`{}`", tables.empty() ? "" : ", ", plan.tables[t].name);
    return fail(RunStatus::UsageError,
                fmt::format("framework `{}` reads no table `{}` whose rows could be fed{}{}",
                            plan.frameworkName, eventsTable, tables.empty() ? "" : "; it reads ",
                            tables));
  }
  // Tables whose rows are not scanned per subject: new rows would change the subjects
  // themselves (a group's members) or the calendar (holidays), which only a new load can show.
  for (const PlanTable& group : plan.tables)
    if (group.groupMembers == table)
      return fail(RunStatus::UsageError,
                  fmt::format("framework `{}` groups the rows of `{}` into its subjects (`{}`): "
                              "new rows would change the subjects, so they cannot be fed; load "
                              "the data again instead",
                              plan.frameworkName, eventsTable, group.name));
  bool holidays = plan.holidaysTable == table;
  for (const RunParamSpec& spec : plan.runParams)
    holidays = holidays || spec.holidaysTable == table;
  if (holidays)
    return fail(RunStatus::UsageError,
                fmt::format("`{}` holds the holidays `working_days` counts: new rows would change "
                            "the calendar, so they cannot be fed; load the data again instead",
                            eventsTable));
  std::unique_ptr<AlertSession> session(new AlertSession(program, plan, program.engine()));
  session->request_ = request;
  session->request_.alerts = true;
  session->request_.trace = {};
  session->request_.threads = 1; // a feed's rows are few; the history is scanned once
  // The host's cancel flag may be freed while the session lives: its steps are not cancelled.
  session->request_.cancel = nullptr;
  session->table_ = static_cast<uint32_t>(table);
  // The session's own copy of the rows, bound again (binding a bound load changes nothing).
  session->data_ = std::make_unique<LoadedData>();
  session->data_->loaded = history.loaded;
  session->data_->bound = bind(plan, session->data_->loaded);
  session->events_ = session->data_->loaded.table(eventsTable);
  if (!session->events_)
    return fail(RunStatus::UsageError,
                fmt::format("the loaded data holds no table `{}`", eventsTable));
  session->inspectPlan();
  std::vector<FiredAlert> fired;
  if (!session->recompute(fired, outcome))
    return nullptr;
  return session;
}

// Which scans and maps follow the events table, which bound arrays the binder owns, and
// whether feeds can update the run in place.
void AlertSession::inspectPlan() {
  const BoundData& bound = data_->bound;
  ownedPeriods_.assign(plan_.columns.size(), -1);
  for (size_t c = 0; c < plan_.columns.size(); ++c) {
    const BoundColumnSpec& spec = plan_.columns[c];
    if (spec.slotInput || spec.table != table_ ||
        events_->columns[spec.field].kind != ValueKind::Period)
      continue;
    for (size_t k = 0; k < bound.ownedNumbers.size(); ++k)
      if (bound.ownedNumbers[k].data() == bound.columnValues[c])
        ownedPeriods_[c] = static_cast<int32_t>(k);
  }
  ownedRowSubjects_.assign(plan_.rowSubjects.size(), -1);
  for (uint32_t r = 0; r < plan_.rowSubjects.size(); ++r) {
    if (plan_.rowSubjects[r].table != table_)
      continue;
    eventRowSubjects_.push_back(r);
    for (size_t k = 0; k < bound.ownedRowSubjects.size(); ++k)
      if (bound.ownedRowSubjects[k].data() == bound.rowSubjects[r])
        ownedRowSubjects_[r] = static_cast<int32_t>(k);
  }
  auto recomputeBecause = [&](std::string reason) {
    if (incremental_)
      recomputeReason_ = std::move(reason);
    incremental_ = false;
  };
  for (size_t i = 0; i < plan_.scans.size(); ++i) {
    const ScanKernel& scan = plan_.scans[i];
    if (scan.pass > 0)
      recomputeBecause("a scan reads other aggregates, which new rows change for earlier rows");
    if (scan.afterFormulas)
      recomputeBecause("an alert's filter reads members, which new rows change for earlier rows");
    if (scan.peerStage >= 0 || scan.table != table_ || scan.afterFormulas)
      continue;
    if (!canScanRowRange(plan_, scan))
      recomputeBecause("a scan reads its own table at other rows");
    eventScans_.push_back(i);
  }
  // Slots that depend on other subjects: ranks, peer aggregates, and what reads them.
  std::vector<uint8_t> across(plan_.slotCount, 0);
  auto followAssigns = [&](const FormulaKernel& kernel) {
    for (const SlotAssign& assign : kernel.assigns)
      for (uint32_t n = assign.nodes.begin; n < assign.nodes.end; ++n)
        if (kernel.nodes[n].op == POp::Slot && across[kernel.nodes[n].a])
          across[assign.slot] = 1;
  };
  followAssigns(plan_.formulas);
  for (const FormulaStage& stage : plan_.laterStages) {
    if (!stage.peers.empty())
      recomputeBecause("a peer aggregate (`across`) accumulates over every subject");
    for (const PeerStep& step : stage.peers)
      across[step.output] = 1;
    for (const RankStep& step : stage.ranks)
      across[step.output] = 1;
    followAssigns(stage.kernel);
  }
  bool alertsReadAcross = false;
  for (const AlertSpec& spec : plan_.alerts) {
    bool readsMembers = false;
    bool readsAcross = !spec.active && across[spec.condition];
    for (const PNode& node : spec.nodes) {
      readsMembers = readsMembers || node.op == POp::Slot || node.op == POp::Aggregate;
      readsAcross = readsAcross || (node.op == POp::Slot && across[node.a]);
    }
    activeReadsMembers_.push_back(spec.active && readsMembers);
    alertsReadAcross = alertsReadAcross || readsAcross;
    if (!spec.active)
      passiveReadsAcross_ = passiveReadsAcross_ || readsAcross;
  }
  // A formula that reads a rank (or what reads one) needs every subject's ranks first.
  bool formulasReadAcross = false;
  auto readsAcross = [&](const FormulaKernel& kernel) {
    for (const SlotAssign& assign : kernel.assigns)
      formulasReadAcross = formulasReadAcross || across[assign.slot];
  };
  readsAcross(plan_.formulas);
  for (const FormulaStage& stage : plan_.laterStages)
    readsAcross(stage.kernel);
  perSubjectStages_ = incremental_ && !formulasReadAcross && !alertsReadAcross;
}

bool AlertSession::recompute(std::vector<FiredAlert>& fired, AlertSessionResult& result) {
  std::unordered_set<uint64_t> activeBefore;
  for (const FiredAlert& one : active_)
    activeBefore.insert(activeKey(one.alert, one.row));
  const std::vector<std::vector<uint8_t>> passiveBefore = std::move(passiveTrue_);
  frame_.reset();
  run_.reset();
  run_ = std::make_unique<Run>(plan_, engine_, *data_, request_);
  RunResult prepared;
  if (!prepareArguments(*run_, prepared)) {
    result.status = prepared.status;
    result.errors = std::move(prepared.errors);
    run_.reset();
    return false;
  }
  runScans(*run_);
  runStages(*run_);
  ranksStale_ = false;
  runAlertScans(*run_);
  frame_ = std::make_unique<ResultTable>(resultTableCopy(*run_));
  seen_.assign(run_->subjects, 0);
  frameStale_ = false;
  AlertRecorder recorder(*run_, *frame_);
  const size_t subjects = run_->subjects;
  active_.clear();
  passiveTrue_.assign(plan_.alerts.size(), {});
  passiveEvaluations_ = 0;
  for (uint32_t i = 0; i < plan_.alerts.size(); ++i) {
    if (plan_.alerts[i].active) {
      for (const int64_t row : run_->matched.rows(i))
        if (std::optional<FiredAlert> one = recorder.active(i, row)) {
          if (!activeBefore.contains(activeKey(i, row)))
            fired.push_back(*one);
          active_.push_back(std::move(*one));
        }
      continue;
    }
    passiveTrue_[i].assign(subjects, 0);
    for (size_t s = 0; s < subjects; ++s) {
      ++passiveEvaluations_;
      if (!recorder.holds(i, s))
        continue;
      if (passiveBefore.size() <= i || passiveBefore[i].size() <= s || !passiveBefore[i][s])
        fired.push_back(recorder.passive(i, s));
      passiveTrue_[i][s] = 1;
    }
  }
  return true;
}

void AlertSession::setPassive(uint32_t alert, size_t subject, AlertRecorder& recorder,
                              std::vector<FiredAlert>& fired) {
  ++passiveEvaluations_;
  uint8_t& wasTrue = passiveTrue_[alert][subject];
  const bool holds = recorder.holds(alert, subject);
  if (holds && !wasTrue)
    fired.push_back(recorder.passive(alert, subject));
  wasTrue = holds ? 1 : 0;
}

void AlertSession::updateWithRows(size_t begin, size_t end, std::vector<FiredAlert>& fired) {
  Run& run = *run_;
  const size_t subjects = run.subjects;
  MatchedRows matched;
  matched.reset(plan_.alerts.size());
  MatchedRowsAt matchedAt{&matched, 0};
  KernelArgs args = run.args;
  args.matchedRows = &matchedAt;
  for (const size_t i : eventScans_) {
    const ScanKernel& scan = plan_.scans[i];
    args.rowSubjects = data_->bound.rowSubjects[scan.subjectOfRow];
    runScanOverRows(engine_, plan_, i, args, static_cast<int64_t>(begin),
                    static_cast<int64_t>(end));
  }
  // The subjects of the new rows: only their aggregates change.
  std::vector<size_t> changed;
  for (const uint32_t r : eventRowSubjects_) {
    const int32_t* subjectOf = data_->bound.rowSubjects[r];
    for (size_t row = begin; row < end; ++row)
      if (subjectOf[row] >= 0 && !seen_[static_cast<size_t>(subjectOf[row])]) {
        seen_[static_cast<size_t>(subjectOf[row])] = 1;
        changed.push_back(static_cast<size_t>(subjectOf[row]));
      }
  }
  for (const size_t s : changed)
    seen_[s] = 0;
  // The others' aggregates are final already.
  for (const size_t i : eventScans_)
    for (const AggregateUpdate& update : plan_.scans[i].updates)
      finalizeAggregateFor(update, subjects, changed, run.accumulators, run.collected,
                           run.aggregateValues, run.aggregateValid);
  if (perSubjectStages_) {
    runStagesFor(changed);
    ranksStale_ = true;
  } else {
    runStages(run);
    // Sorting reads the order column; results() copies the rest when asked.
    if (frame_->orderColumn >= 0)
      refreshResultValues(run, *frame_, frame_->orderColumn);
  }
  frameStale_ = true;
  AlertRecorder recorder(run, *frame_);
  passiveEvaluations_ = 0;
  for (uint32_t i = 0; i < plan_.alerts.size(); ++i) {
    if (plan_.alerts[i].active) {
      for (const int64_t row : matched.rows(i))
        if (std::optional<FiredAlert> one = recorder.active(i, row)) {
          fired.push_back(*one);
          active_.push_back(std::move(*one));
        }
      continue;
    }
    if (passiveReadsAcross_) // a rank or peer result: every subject may have changed
      for (size_t s = 0; s < subjects; ++s)
        setPassive(i, s, recorder, fired);
    else
      for (const size_t s : changed)
        setPassive(i, s, recorder, fired);
  }
}

// Each formula stage over one subject at a time: the subject's aggregates and slots gathered
// into a frame of one subject (formulas read nothing of other subjects: perSubjectStages_), run,
// and its slots put back. Rank steps wait for refreshRanks().
void AlertSession::runStagesFor(const std::vector<size_t>& changed) {
  Run& run = *run_;
  const size_t subjects = run.subjects;
  const size_t aggregates = plan_.aggregateCount;
  const size_t slots = plan_.slotCount;
  oneAggregateValues_.resize(aggregates);
  oneAggregateValid_.resize(aggregates);
  oneSlotValues_.resize(slots);
  oneSlotValid_.resize(slots);
  KernelArgs args = run.args;
  args.rowSubjects = nullptr;
  args.rows = 0;
  args.subjects = 1;
  args.aggregateValues = oneAggregateValues_.data();
  args.aggregateValid = oneAggregateValid_.data();
  args.slotValues = oneSlotValues_.data();
  args.slotValid = oneSlotValid_.data();
  for (const size_t s : changed) {
    for (size_t a = 0; a < aggregates; ++a) {
      oneAggregateValues_[a] = run.aggregateValues[a * subjects + s];
      oneAggregateValid_[a] = run.aggregateValid[a * subjects + s];
    }
    for (size_t k = 0; k < slots; ++k) {
      oneSlotValues_[k] = run.slotValues[k * subjects + s];
      oneSlotValid_[k] = run.slotValid[k * subjects + s];
    }
    args.subjectRows = run.args.subjectRows ? run.args.subjectRows + s : nullptr;
    for (size_t stage = 0; stage <= plan_.laterStages.size(); ++stage)
      engine_.runFormulas(stage, args);
    for (size_t k = 0; k < slots; ++k) {
      run.slotValues[k * subjects + s] = oneSlotValues_[k];
      run.slotValid[k * subjects + s] = oneSlotValid_[k];
    }
  }
}

// The rank steps, in stage order, over every subject, once the formulas they read are current.
void AlertSession::refreshRanks() const {
  if (!ranksStale_ || !run_)
    return;
  Run& run = *run_;
  for (const FormulaStage& stage : plan_.laterStages)
    for (const RankStep& step : stage.ranks)
      runRankStep(plan_, step, run.args);
  if (frame_->orderColumn >= 0)
    refreshResultValues(run, *frame_, frame_->orderColumn);
  ranksStale_ = false;
}

AlertSessionResult AlertSession::finish(std::vector<FiredAlert> fired) const {
  AlertSessionResult result;
  // The feed's order among subjects is the first rank's: only needed across subjects.
  for (const FiredAlert& one : fired)
    if (one.subject != fired.front().subject) {
      refreshRanks();
      break;
    }
  sortInFeedOrder(fired, *frame_);
  result.fired.reserve(fired.size());
  for (FiredAlert& one : fired)
    result.fired.push_back(std::move(one.record));
  return result;
}

bool AlertSession::evaluable(AlertSessionResult& result) const {
  if (run_)
    return true;
  result.status = RunStatus::UsageError;
  result.errors.push_back("the alert session could not be evaluated; make a new one");
  return false;
}

AlertSessionResult AlertSession::feed(const std::vector<std::string_view>& cells) {
  AlertSessionResult result;
  ParsedRange& parsed = *parsed_;
  NewKeys newKeys;
  if (!evaluable(result) || !parseRows(cells, parsed, newKeys, result))
    return result;
  return addRows(parsed, newKeys);
}

AlertSessionResult AlertSession::feed(const HostTable& rows) {
  AlertSessionResult result;
  ParsedRange& parsed = *parsed_;
  NewKeys newKeys;
  if (!evaluable(result) || !parseRows(rows, parsed, newKeys, result))
    return result;
  return addRows(parsed, newKeys);
}

AlertSessionResult AlertSession::addRows(ParsedRange& parsed, const NewKeys& newKeys) {
  AlertSessionResult result;
  if (parsed.rows == 0)
    return result;
  const size_t begin = events_->rowCount;
  const size_t runPool = run_->strings.size();
  const size_t boundPool = data_->bound.strings.size();
  const bool newTexts = appendRows(parsed, newKeys);
  pointAtColumns();
  std::vector<FiredAlert> fired;
  // A new text joins the pool after the run's own texts (text params no row holds) would, or
  // changes the texts' order: only a fresh run codes them right.
  const bool poolChanged = newTexts && (runPool != boundPool || plan_.usesTextOrder);
  if (!incremental_ || poolChanged) {
    if (!recompute(fired, result))
      return result;
    return finish(std::move(fired));
  }
  for (size_t code = boundPool; code < data_->bound.strings.size(); ++code) {
    run_->strings.push_back(data_->bound.strings[code]);
    frame_->strings.push_back(data_->bound.strings[code]);
  }
  updateWithRows(begin, events_->rowCount, fired);
  return finish(std::move(fired));
}

AlertSessionResult AlertSession::advance(const std::string& asOf) {
  AlertSessionResult result;
  RunRequest moved = request_;
  moved.asOf = asOf;
  moved.period.clear(); // the cadence period that holds the new day
  std::vector<std::string> paramStrings;
  RunParamValues params = runParamsFor(plan_, moved, paramStrings);
  if (!params.errors.empty()) {
    result.status = RunStatus::UsageError;
    result.errors = std::move(params.errors);
    return result;
  }
  if (run_ && params.asOf < run_->params.asOf) {
    result.status = RunStatus::UsageError;
    result.errors.push_back(fmt::format("the clock of an alert session moves forward only: {} "
                                        "is before its as-of day",
                                        asOf));
    return result;
  }
  request_ = std::move(moved);
  std::vector<FiredAlert> fired;
  if (!recompute(fired, result))
    return result;
  return finish(std::move(fired));
}

const ResultTable& AlertSession::results() const {
  refreshRanks();
  if (frameStale_ && run_)
    refreshResultValues(*run_, *frame_);
  frameStale_ = false;
  return *frame_;
}

std::vector<AlertRecord> AlertSession::current() const {
  std::vector<AlertRecord> records;
  if (!run_)
    return records;
  refreshRanks(); // the feed's order
  // Passive records, and active ones whose message reads members, say what is true now: they
  // are evaluated here, not kept from the feed that made them true.
  AlertRecorder recorder(*run_, *frame_);
  std::vector<FiredAlert> all;
  for (const FiredAlert& one : active_) {
    if (!activeReadsMembers_[one.alert]) {
      all.push_back(one);
      continue;
    }
    if (std::optional<FiredAlert> again = recorder.active(one.alert, one.row))
      all.push_back(std::move(*again));
  }
  for (uint32_t i = 0; i < passiveTrue_.size(); ++i)
    for (size_t s = 0; s < passiveTrue_[i].size(); ++s)
      if (passiveTrue_[i][s])
        all.push_back(recorder.passive(i, s));
  sortInFeedOrder(all, *frame_);
  records.reserve(all.size());
  for (FiredAlert& one : all)
    records.push_back(std::move(one.record));
  return records;
}

} // namespace fulcrum::runtime
