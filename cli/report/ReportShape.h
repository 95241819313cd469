// What the report draws for a framework, read from its `report { ... }` block where it gives a
// quadrant or a funnel, else from its declarations by these rules (docs/report.md states each):
// - a score: its components' output columns and weights, and its `out of` (the bar per subject);
// - a band: its labels in the order of the case's arms; when every arm but `is missing` compares
//   one output metric with a number (`temperature >= 20`), that metric and the thresholds;
// - the 2x2: the first two such bands over two different metrics, x the first, y the second,
//   their thresholds the quadrant lines, points sized by the first rank;
// - objectives and their key results (outputs NAME.actual, NAME.target, NAME.progress);
// - the funnel, from quota back to daily activities: the first `*_needed` call's first argument
//   (`metric quota`, or `param quota`: the run's value of the param), the metrics
//   whose formula is a call of a `*_needed` function (stdlib/funnel), then the metrics that call
//   `per_working_day` (`dials_per_day`), each group in declaration order; and the stage
//   comparisons, metrics that call `versus_team`;
// - the OKR cascade the framework belongs to or reads (CascadeShape).
#pragma once

#include "compiler/driver/Compilation.h"

#include <optional>
#include <string>
#include <vector>

namespace fulcrum::cli::report {

struct ScoreShape {
  std::string name; // its output column
  double outOf = 0;
  struct Component {
    std::string column; // `llr.results`
    double weight = 0;  // a fraction
  };
  std::vector<Component> components;
};

struct BandShape {
  std::string name;                // its output column
  std::vector<std::string> labels; // the literal labels, in the order of the arms
  std::string metric;              // the output the arms compare, or empty
  std::vector<double> thresholds;  // in that metric's units (money in dollars)
};

struct KeyResultShape {
  std::string name, title;
  bool lowerIsBetter = false;
};
struct ObjectiveShape {
  std::string name, title;
  std::vector<KeyResultShape> keyResults;
};

struct QuadrantShape {
  std::string x, y; // output columns
  std::vector<double> xLines, yLines;
  std::string xBand, yBand; // the bands the lines come from
  std::string rank;         // sizes the points; empty when the framework ranks nothing
};

struct FunnelShape {
  // From quota back to daily activity: output columns, or params (`param quota`: its value in
  // the run, the same for every subject).
  std::vector<std::string> stages;
  std::vector<std::string> comparisons; // own rate / team median, one per stage compared
};

// An OKR cascade (company -> team -> rep): three frameworks with objectives, one over a group
// without `by` (the company), one over a group with `by` (`group team of rep by manager`) whose
// member entity is the third's subject, each below the company reading the level above.
struct CascadeLevelShape {
  std::string level;     // `company`, `team`, `rep`: the subject's name
  std::string framework; // `company_okrs`
  std::vector<ObjectiveShape> objectives;
};
struct CascadeShape {
  std::vector<CascadeLevelShape> levels; // top down: company, team, member
};

struct ReportShape {
  std::string framework, title;
  std::vector<ScoreShape> scores;
  std::vector<BandShape> bands;
  std::vector<ObjectiveShape> objectives;
  std::optional<QuadrantShape> quadrant;
  std::optional<FunnelShape> funnel;
  // When the framework is one of a cascade's levels or reads one of them.
  std::optional<CascadeShape> cascade;
  bool hasAlerts = false;
};

// The shape of framework `name` in `compilation` (which must hold it, checked).
ReportShape reportShape(const Compilation& compilation, const std::string& name);

} // namespace fulcrum::cli::report
