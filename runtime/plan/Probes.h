// The plan's side table for `run --explain` and `test --coverage`: where each value of the
// formulas comes from in the source, and which formula node holds it. Both engines ignore it
// (runtime/exec/Trace.h reads it over a run's values); the lowerer records it as it lowers each
// member (compiler/lower/), so an explanation reads the very nodes the run computed.
#pragma once

#include "runtime/plan/ValueType.h"

#include <cstdint>
#include <string>

namespace fulcrum::runtime {

enum class ProbeKind : uint8_t {
  Metric,    // `metric NAME = ...`: slot
  Score,     // `score NAME out of N`: slot
  Component, // a score's component: slot (the clamped fraction), weight
  Band,      // `band NAME = case {...}`: slot
  Check,     // `check "LABEL": ...`: slot (its condition)
  Alert,     // `alert NAME ...`: fired or not (RunResult::alerts); passive ones' slot too
  Aggregate, // an aggregate written in member `member`: aggregate (its rows are counted)
  Arm,       // an arm of a `case` or an `if`: condition (or -1 for `else`), choice
};

// Its name in explanations and coverage reports (`metric`, `arm`), as their JSON carries it.
inline const char* probeKindName(ProbeKind kind) {
  switch (kind) {
  case ProbeKind::Metric:
    return "metric";
  case ProbeKind::Score:
    return "score";
  case ProbeKind::Component:
    return "component";
  case ProbeKind::Band:
    return "band";
  case ProbeKind::Check:
    return "check";
  case ProbeKind::Alert:
    return "alert";
  case ProbeKind::Aggregate:
    return "aggregate";
  case ProbeKind::Arm:
    return "arm";
  }
  return "";
}

// Where it is written: the file, the 1-based line and column of its first character, and its
// text (whitespace runs made one space, string literals as written).
struct ProbeSource {
  std::string file;
  uint32_t line = 0, column = 0;
  std::string text;
};

struct Probe {
  ProbeKind kind = ProbeKind::Metric;
  std::string member; // the member it belongs to: `won`, `llr`, `outcome`, `no PIP above quota`
  std::string name;   // a component's name; an arm's result as written; an alert's name
  ProbeSource at;     // a member's formula, a component's value, an aggregate's call, an arm's
                      // condition (`else` for an else arm)
  ValueType shown = ValueType::Number; // how its value is shown; an arm: its condition's operands
  int32_t slot = -1;                   // Metric, Score, Component, Band, Check, passive Alert
  int32_t aggregate = -1;              // Aggregate
  // Arm: the formula stage and node of its condition (-1: `else`, or the `if`'s else arm), and
  // which `case`/`if` of the plan it belongs to (one choice's arms are consecutive probes, in
  // order). An arm is taken when its condition is true and every earlier one's is false; a
  // missing condition before it takes none (language.md: the result is missing).
  uint32_t stage = 0;
  int32_t condition = -1;
  uint32_t choice = 0;
  // Arm: the arm (a probe index) whose value holds this choice, or -1. The nodes of every arm are
  // evaluated, but an inner choice counts as taken only when the arm holding it was.
  int32_t within = -1;
  double weight = 0; // Component: what a value of 1 contributes (its weight times `out of`)
};

} // namespace fulcrum::runtime
