// What the report draws for a framework, read from its declarations (the language has no
// `report` block yet; docs/report.md states each rule):
// - a score: its components' output columns and weights, and its `out of` (the bar per subject);
// - a band: its labels in the order of the case's arms; when every arm but `is missing` compares
//   one output metric with a number (`temperature >= 20`), that metric and the thresholds;
// - the 2x2: the first two such bands over two different metrics, x the first, y the second,
//   their thresholds the quadrant lines, points sized by the first rank;
// - objectives and their key results (outputs NAME.actual, NAME.target, NAME.progress);
// - the funnel, from quota back to daily activities: the first `*_needed` call's first argument
//   when it is a metric (`metric quota`; a param is no output and is not drawn), the metrics
//   whose formula is a call of a `*_needed` function (stdlib/funnel), then the metrics that call
//   `per_working_day` (`dials_per_day`), each group in declaration order; and the stage
//   comparisons, metrics that call `versus_team`.
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
  std::vector<std::string> stages;      // output columns, from quota back to daily activity
  std::vector<std::string> comparisons; // own rate / team median, one per stage compared
};

struct ReportShape {
  std::string framework, title;
  std::vector<ScoreShape> scores;
  std::vector<BandShape> bands;
  std::vector<ObjectiveShape> objectives;
  std::optional<QuadrantShape> quadrant;
  std::optional<FunnelShape> funnel;
  bool hasAlerts = false;
};

// The shape of framework `name` in `compilation` (which must hold it, checked).
ReportShape reportShape(const Compilation& compilation, const std::string& name);

} // namespace fulcrum::cli::report
