// What `run --explain` and `test --coverage` read of a run besides its results: for some
// subjects, the value of every formula node (so which arm of each `case` and `if` was taken, and
// the operands of each condition) and, for one subject, the rows that fed each aggregate. The
// run computes its values as always (on either engine); the trace then re-evaluates the formula
// nodes of the traced subjects with the reference evaluator (EvaluateNodes.h) over the run's
// final slots and aggregates, so it shows the very values the run computed, and no second
// evaluator can disagree with it (runtime/program/RunTrace.cpp).
#pragma once

#include "runtime/exec/EvaluateNodes.h"

#include <cstdint>
#include <string>
#include <vector>

namespace fulcrum::runtime {

struct TraceRequest {
  bool everySubject = false; // `test --coverage`
  std::string subjectKey;    // `run --explain KEY`: that subject, with its aggregates' rows
  bool rowLines = false;     // `--explain-rows`: the source line of each row that fed them
  bool enabled() const { return everySubject || !subjectKey.empty(); }
};

// The rows of one aggregate's table that fed it for the traced subject: the subject's rows whose
// filter is true and whose value is present (count of rows: every row whose filter is true).
struct AggregateRows {
  std::string table; // the plan table's name
  std::string file;  // the file its rows were read from
  int64_t count = 0;
  NodeValue value;             // the aggregate's result for the subject
  std::vector<uint32_t> lines; // with TraceRequest::rowLines: each row's line in `file`
};

struct SubjectTrace {
  size_t subject = 0; // the subject's index in RunResult::table
  std::string key;
  std::vector<NodeValue> slots;               // per slot of the plan
  std::vector<std::vector<NodeValue>> stages; // per formula stage, per node
  // Per aggregate of the plan (Plan::aggregateCount); filled for TraceRequest::subjectKey only.
  std::vector<AggregateRows> aggregates;
};

// What happened to each arm of each `case` and `if` for one subject (per probe of the plan; a
// probe that is no arm is NotReached). An arm is Taken when its condition is true (an `else`:
// when it is reached) and every earlier arm's condition is false; an arm whose condition is
// missing makes the choice missing, and no later arm is reached. An arm inside another arm's
// value is reached only when that arm was taken.
enum class ArmOutcome : uint8_t { NotReached, Taken, False, Missing };
std::vector<ArmOutcome> armOutcomes(const Plan& plan, const SubjectTrace& trace);

} // namespace fulcrum::runtime
