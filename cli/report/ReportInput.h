// What every picture of the report reads: the run's result (the same one `fulcrum run` prints),
// its violations and alerts, and the shape chosen from the framework's declarations.
#pragma once

#include "cli/report/ReportShape.h"
#include "runtime/Program.h"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace fulcrum::cli::report {

// One run of `--periods` (labelled by its period) or of `--as-of-every` (by its as-of date).
struct PeriodRun {
  std::string period;
  runtime::RunResult result;
};

// Whether a column of this kind holds numbers to draw and sort by value (number, count, percent,
// money); any other kind is text to people and to the table's sort.
bool numericKind(runtime::ValueType kind);
// The output column of `table` called `name`, or nullopt.
std::optional<size_t> columnOf(const runtime::ResultTable& table, const std::string& name);
// Each subject's row in `table`, by key (runs of several periods match subjects by key).
std::map<std::string, size_t> rowsByKey(const runtime::ResultTable& table);

// An OKR cascade's runs (ReportShape::cascade): each level's result, top down, and which group
// each member is in (the team level's RunResult::members: member key, team key).
struct CascadeRuns {
  std::vector<const runtime::RunResult*> levels;
  std::vector<std::pair<std::string, std::string>> members;
};

struct ReportInput {
  const ReportShape& shape;
  const runtime::RunResult& result; // with --periods, the last period's
  std::string when;                 // `period 2017-Q3` or `as of 2017-06-30`, as the run was asked
  // With --periods or --as-of-every: every run, in order (the last one is `result`); else empty.
  const std::vector<PeriodRun>& trend;
  // With --as-of-every: the period's first and last day (the check-in's straight line).
  std::string checkInStart, checkInEnd;
  // With ReportShape::cascade: its levels' runs; else null.
  const CascadeRuns* cascade = nullptr;
  // What the run was computed from, for the footer (cli/Provenance.h's provenanceSummary).
  std::string provenance = {};

  const runtime::ResultTable& table() const { return result.table; }
  // The output column called `name`, or nullopt.
  std::optional<size_t> column(const std::string& name) const { return columnOf(table(), name); }
  // A cell as a number to draw (money in dollars); nullopt when missing or not a number.
  std::optional<double> number(size_t column, size_t subject) const;
  // The cell as `fulcrum run --format csv` writes it (the text of every data-* attribute).
  std::string csv(size_t column, size_t subject) const { return table().raw(column, subject); }
  // The cell as people read it (language.md, "How values are shown").
  std::string shown(size_t column, size_t subject) const;
  // A number of column `column`'s kind as people read it (an axis tick, a threshold).
  std::string shownNumber(size_t column, double value) const;
};

// Each picture: an HTML fragment (a <section>) or empty when the framework gives it nothing to
// draw. One file each.
std::string subjectsTable(const ReportInput& input); // SubjectsTable.cpp: table + embedded JSON
std::string bandChart(const ReportInput& input, const BandShape& band);
std::string histogram(const ReportInput& input, const ScoreShape& score);
std::string scatter2x2(const ReportInput& input, const QuadrantShape& quadrant);
std::string topSubjects(const ReportInput& input, const std::string& rank);
std::string okrProgress(const ReportInput& input);
std::string funnel(const ReportInput& input, const FunnelShape& funnel);
std::string alertFeed(const ReportInput& input);
std::string violationList(const ReportInput& input);
std::string trends(const ReportInput& input);  // Trends.cpp: bands and scores over the runs
std::string checkIn(const ReportInput& input); // CheckIn.cpp: key results as of each week
std::string cascade(const ReportInput& input); // Cascade.cpp: the OKR cascade as a tree

} // namespace fulcrum::cli::report
