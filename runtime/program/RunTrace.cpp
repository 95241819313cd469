// The trace of a run (runtime/exec/Trace.h): after the run, the traced subjects' formula nodes
// are evaluated again by the reference evaluator over the run's final slots and aggregates, and,
// for one subject, each scan's rows of that subject are evaluated to count (and locate) the rows
// that fed each aggregate. Whatever engine ran, the nodes are the plan's own and their
// semantics the interpreter's, which the JIT matches bit for bit.
#include "runtime/exec/Aggregation.h"
#include "runtime/program/Run.h"

namespace fulcrum::runtime {

namespace {

SubjectTrace traceFormulas(const Run& run, size_t subject) {
  const Plan& plan = run.plan;
  SubjectTrace trace;
  trace.subject = subject;
  trace.key = run.bound.subjectKeys[subject];
  for (uint32_t slot = 0; slot < plan.slotCount; ++slot) {
    const size_t at = slot * run.subjects + subject;
    trace.slots.push_back({run.slotValues[at], run.slotValid[at] != 0});
  }
  KernelArgs args = run.args;
  args.rowSubjects = nullptr;
  args.rows = 0;
  for (size_t stage = 0; stage <= plan.laterStages.size(); ++stage) {
    const FormulaKernel& kernel = formulaKernel(plan, stage);
    std::vector<NodeValue> values(kernel.nodes.size());
    // Every slot is final, so the ranges may run in order with each reading the run's slots.
    for (const SlotAssign& assign : kernel.assigns)
      evaluateNodes(plan, kernel.nodes, assign.nodes.begin, assign.nodes.end, args, -1,
                    static_cast<int64_t>(subject), values);
    trace.stages.push_back(std::move(values));
  }
  return trace;
}

// The rows of `subject` that fed each aggregate of the table scans (peer steps' scans read
// subjects, not rows, and alert scans update no aggregate).
void traceRows(const Run& run, SubjectTrace& trace) {
  const Plan& plan = run.plan;
  trace.aggregates.resize(plan.aggregateCount);
  KernelArgs args = run.args;
  for (const ScanKernel& scan : plan.scans) {
    if (scan.peerStage >= 0 || scan.updates.empty())
      continue;
    const PlanTable& table = plan.tables[scan.table];
    const Table* data = run.loaded.table(table.name);
    for (const AggregateUpdate& update : scan.updates) {
      AggregateRows& rows = trace.aggregates[update.aggregate];
      rows.table = table.name;
      rows.file = data ? data->schema.path : table.path;
      const size_t at = update.aggregate * run.subjects + trace.subject;
      rows.value = {run.aggregateValues[at], run.aggregateValid[at] != 0};
    }
    const int32_t* rowSubjects = run.bound.rowSubjects[scan.subjectOfRow];
    const auto rowCount = static_cast<int64_t>(run.bound.tableRows[scan.table]);
    args.rowSubjects = rowSubjects;
    args.rows = rowCount;
    std::vector<NodeValue> values(scan.nodes.size());
    for (int64_t row = 0; row < rowCount; ++row) {
      if (rowSubjects[row] != static_cast<int32_t>(trace.subject))
        continue;
      evaluateNodes(plan, scan.nodes, 0, static_cast<uint32_t>(scan.nodes.size()), args, row,
                    rowSubjects[row], values);
      for (const AggregateUpdate& update : scan.updates) {
        if (update.filter >= 0 &&
            !(values[update.filter].valid && values[update.filter].value != 0))
          continue;
        if (update.value >= 0 && !values[update.value].valid)
          continue; // skipped, as SQL skips a missing value
        AggregateRows& rows = trace.aggregates[update.aggregate];
        ++rows.count;
        if (run.request.trace.rowLines && data && static_cast<size_t>(row) < data->lines.size())
          rows.lines.push_back(data->lines[static_cast<size_t>(row)]);
      }
    }
  }
}

} // namespace

void traceSubjects(const Run& run, RunResult& result) {
  const TraceRequest& request = run.request.trace;
  if (request.everySubject) {
    for (size_t s = 0; s < run.subjects; ++s)
      result.traces.push_back(traceFormulas(run, s));
    return;
  }
  for (size_t s = 0; s < run.subjects; ++s)
    if (run.bound.subjectKeys[s] == request.subjectKey) {
      result.traces.push_back(traceFormulas(run, s));
      traceRows(run, result.traces.back());
      return;
    }
}

} // namespace fulcrum::runtime
