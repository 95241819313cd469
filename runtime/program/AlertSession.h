// Alerts fed one event at a time (language.md: alerts "can be evaluated in batch over a window and
// fed incrementally through the embedding API"): a run kept alive between feeds. New rows of the
// events table are appended to its columns, the scans over that table run over the new rows only
// (into the accumulators the earlier rows filled: sums are exact, so batches add up to one
// pass), their aggregates are finalized, the formula stages re-run for the subjects of the new
// rows only (for all when a formula or an alert reads a rank; ranks themselves wait until
// something reads them), and passive alerts are evaluated again only for the subjects of the new
// rows (all subjects when an alert reads a rank or a peer aggregate). Active alerts look at the new
// rows only. A new as-of date recomputes everything, since windows and decay depend on it. Whatever
// a feed does, current() is what a batch run over the history and every fed row gives (Program::run
// with alerts).
//
// Plans where adding rows can change what earlier rows contributed (peer steps, second-pass
// scans, alert filters that read members, scans that read their own table at other rows) are
// recomputed from scratch on every feed: the same answers, only slower (incremental() says so).
#pragma once

#include "runtime/Program.h"
#include "runtime/data/Loader.h"

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace fulcrum::runtime {

struct Run;
struct FiredAlert;
class HostTable;

// What a session's step gives: the alerts that became true (active: each newly matching row;
// passive: a subject and alert not true before), in the feed's order; or errors and no change.
struct AlertSessionResult {
  RunStatus status = RunStatus::Ok;
  std::vector<std::string> errors; // one message each
  // A fed row's bad cells as LoadIssue: table, field, value, message; `line` is the row's place
  // among the rows of the feed (1-based), `column` the field's (1-based); `file` is empty.
  std::vector<LoadIssue> issues;
  std::vector<AlertRecord> fired;
};

class AlertSession {
public:
  // A session over `history` (a load of `program`'s tables, copied: the session's rows are its
  // own), feeding rows of table `eventsTable`, evaluated for `request`'s period or as-of date and
  // params. Null with `outcome`'s errors when the table is not one the framework reads, a
  // framework reads other frameworks' results, or the request's params are wrong.
  static std::unique_ptr<AlertSession> create(const Program& program, const LoadedData& history,
                                              const std::string& eventsTable,
                                              const RunRequest& request,
                                              AlertSessionResult& outcome);
  ~AlertSession();
  AlertSession(const AlertSession&) = delete;
  AlertSession& operator=(const AlertSession&) = delete;

  // Rows given as cells, row-major: one per field of the events table, in declaration order,
  // written as in a CSV file (empty: missing). Either every row is added or, on any bad cell,
  // unknown reference or duplicate key, none (the errors name the row, field and value).
  AlertSessionResult feed(const std::vector<std::string_view>& cells);
  // Rows a host hands over in memory (runtime/arrow/'s ArrowHostTable), typed as they lie (no
  // text round trip: date32 days, int64 money units and float64s are taken as they are), with
  // the same rules and the same all-or-nothing contract as the cells. Nothing of `rows` is kept.
  AlertSessionResult feed(const HostTable& rows);
  // The clock moves to `asOf` (YYYY-MM-DD), never back: the period becomes the cadence period
  // holding it, and everything is recomputed.
  AlertSessionResult advance(const std::string& asOf);
  // Every alert true now, in the feed's order: what a batch run over the same rows lists.
  std::vector<AlertRecord> current() const;

  // The framework's results now, as a batch run's table (values bit for bit: sums are exact).
  const ResultTable& results() const;
  const TableSchema& eventsSchema() const { return events_->schema; }
  size_t eventRows() const { return events_->rowCount; }
  // Whether feeds update the run (true) or recompute it from scratch (false, and why).
  bool incremental() const { return incremental_; }
  const std::string& recomputeReason() const { return recomputeReason_; }
  // (alert, subject) pairs whose passive condition the last step looked at: the subjects of the
  // fed rows per passive alert, or all of them after a recompute.
  size_t passiveEvaluations() const { return passiveEvaluations_; }

private:
  AlertSession(const Program& program, const Plan& plan, const Engine& engine);
  void inspectPlan();
  // Per fed row with a key: its place in the feed and its canonical key.
  using NewKeys = std::vector<std::pair<int32_t, std::string>>;
  // A fed row's cell as written (row and field 0-based), for keys and messages.
  using CellText = std::function<std::string(size_t row, size_t field)>;
  // Parses fed rows into `parsed` (references pending, as the loader leaves them) without
  // touching the session, then checks them (checkRows).
  bool parseRows(const std::vector<std::string_view>& cells, struct ParsedRange& parsed,
                 NewKeys& newKeys, AlertSessionResult& result) const;
  bool parseRows(const HostTable& rows, struct ParsedRange& parsed, NewKeys& newKeys,
                 AlertSessionResult& result) const;
  // What every feed shares after parsing: references resolved against the loaded entities, keys
  // new to the table (and, unless the parse did, to the feed); every issue, `parsed.issues`
  // included, into `result`. False when there is any.
  bool checkRows(struct ParsedRange& parsed, const CellText& written, bool feedKeysChecked,
                 NewKeys& newKeys, AlertSessionResult& result) const;
  // False with a usage error when an earlier step left the session without a run.
  bool evaluable(AlertSessionResult& result) const;
  // Appends checked rows and updates (or recomputes) the run: the rest of every feed.
  AlertSessionResult addRows(struct ParsedRange& parsed, const NewKeys& newKeys);
  // Appends parsed rows to the events table; true when a text new to the pool came in.
  bool appendRows(struct ParsedRange& parsed, const NewKeys& newKeys);
  void pointAtColumns();
  // Everything evaluated again; `fired` gets what was not true before. False with usage errors.
  bool recompute(std::vector<FiredAlert>& fired, AlertSessionResult& result);
  void updateWithRows(size_t begin, size_t end, std::vector<FiredAlert>& fired);
  void setPassive(uint32_t alert, size_t subject, class AlertRecorder& recorder,
                  std::vector<FiredAlert>& fired);
  void runStagesFor(const std::vector<size_t>& changed);
  void refreshRanks() const;
  AlertSessionResult finish(std::vector<FiredAlert> fired) const;

  const Program& program_;
  const Plan& plan_;
  const Engine& engine_;
  std::unique_ptr<LoadedData> data_;
  std::unique_ptr<struct ParsedRange> parsed_; // a feed's rows, its memory kept between feeds
  RunRequest request_;
  uint32_t table_ = 0; // the events table, in Plan::tables
  Table* events_ = nullptr;
  std::unique_ptr<Run> run_;
  std::unique_ptr<ResultTable> frame_; // keys, pool and order for records (resultTableCopy)
  mutable bool frameStale_ = false;    // frame_'s values but the order's are behind the run

  bool incremental_ = true;
  std::string recomputeReason_;
  std::vector<size_t> eventScans_;         // scans over the events table (first pass)
  std::vector<uint32_t> eventRowSubjects_; // Plan::rowSubjects of the events table
  std::vector<int32_t> ownedPeriods_;      // per Plan::columns: its BoundData::ownedNumbers, or -1
  std::vector<int32_t> ownedRowSubjects_;  // per Plan::rowSubjects: BoundData::ownedRowSubjects
  bool passiveReadsAcross_ = false;        // a passive alert reads a rank or peer result
  // Feeds run the formula stages for the fed rows' subjects only, and the rank steps when
  // something reads them (refreshRanks): no formula or alert reads a rank.
  bool perSubjectStages_ = false;
  mutable bool ranksStale_ = false;
  std::vector<double> oneAggregateValues_, oneSlotValues_; // runStagesFor's frame of one subject
  std::vector<uint8_t> oneAggregateValid_, oneSlotValid_;

  // The alerts true now: active ones by row (their records as made), passive ones by subject
  // (records made by current(), since their messages change with the subject's values).
  std::vector<FiredAlert> active_;
  std::vector<std::vector<uint8_t>> passiveTrue_; // per alert: per subject
  std::vector<uint8_t> activeReadsMembers_;       // per alert: its message reads member values
  size_t passiveEvaluations_ = 0;
  std::vector<uint8_t> seen_; // per subject, all 0 between feeds: collects a feed's subjects
};

} // namespace fulcrum::runtime
