// The kernels of a run: every table scan, then the formula stages with the peer steps between
// them. Both engines run the same steps over the same KernelArgs.
#include "runtime/exec/ChunkedScan.h"
#include "runtime/exec/Finalize.h"
#include "runtime/exec/Peers.h"
#include "runtime/exec/Ranks.h"
#include "runtime/program/Run.h"

namespace fulcrum::runtime {

void runScans(Run& run) {
  const Plan& plan = run.plan;
  const BoundData& bound = run.bound;
  const size_t subjects = run.subjects;
  KernelArgs& args = run.args;
  // A second-pass scan reads the first pass's final aggregates (at each row's subject).
  args.aggregateValues = run.aggregateValues.data();
  args.aggregateValid = run.aggregateValid.data();
  for (uint8_t pass = 0; pass < 2; ++pass)
    for (size_t i = 0; i < plan.scans.size(); ++i) {
      const ScanKernel& scan = plan.scans[i];
      if (scan.peerStage >= 0 || scan.afterFormulas || scan.pass != pass)
        continue; // runs between formula stages, after them, or in the other pass
      if (cancelRequested(run))
        return; // Program::evaluate reports it
      args.rowSubjects = bound.rowSubjects[scan.subjectOfRow];
      args.rows = static_cast<int64_t>(bound.tableRows[scan.table]);
      runScanInChunks(run.engine, plan, i, args, run.request.threads);
      for (const AggregateUpdate& update : scan.updates)
        finalizeAggregate(update, subjects, subjects, run.accumulators, run.collected,
                          run.aggregateValues, run.aggregateValid);
    }
}

void runPeerStep(Run& run, const PeerStep& step) {
  const Plan& plan = run.plan;
  const size_t subjects = run.subjects;
  KernelArgs& args = run.args;
  std::vector<double>& slotValues = run.slotValues;
  std::vector<uint8_t>& slotValid = run.slotValid;
  // The step's scan: subjects as rows, each in its peer group, reading the input slot.
  const PeerGroups groups = peerGroups(plan, step, args);
  if (aggregateInfo(step.kind).keepsValues()) {
    runPeerKeptValues(step, groups, args);
    return;
  }
  // Pointer arithmetic, not &v[i]: with no subjects the vectors are empty.
  run.columnValues[step.inputColumn] = slotValues.data() + step.input * subjects;
  run.columnValid[step.inputColumn] = slotValid.data() + step.input * subjects;
  if (step.orderInput >= 0) {
    const auto order = static_cast<size_t>(step.orderInput);
    run.columnValues[step.orderColumn] = slotValues.data() + order * subjects;
    run.columnValid[step.orderColumn] = slotValid.data() + order * subjects;
  }
  args.rowSubjects = groups.groupOf.data();
  args.rows = static_cast<int64_t>(subjects);
  run.engine.runScan(step.scan, args);
  finalizeAggregate(plan.scans[step.scan].updates[0], subjects, groups.count, run.accumulators,
                    run.collected, run.aggregateValues, run.aggregateValid);
  // Each subject takes its group's result.
  for (size_t s = 0; s < subjects; ++s) {
    const int32_t group = groups.groupOf[s];
    const size_t from = step.aggregate * subjects + static_cast<size_t>(group < 0 ? 0 : group);
    slotValues[step.output * subjects + s] = group < 0 ? 0 : run.aggregateValues[from];
    slotValid[step.output * subjects + s] = group < 0 ? 0 : run.aggregateValid[from];
  }
}

void runAlertScans(Run& run) {
  const Plan& plan = run.plan;
  KernelArgs& args = run.args;
  for (size_t i = 0; i < plan.scans.size(); ++i) {
    const ScanKernel& scan = plan.scans[i];
    if (!scan.afterFormulas)
      continue;
    args.rowSubjects = run.bound.rowSubjects[scan.subjectOfRow];
    args.rows = static_cast<int64_t>(run.bound.tableRows[scan.table]);
    runScanInChunks(run.engine, plan, i, args, run.request.threads);
  }
  args.rowSubjects = nullptr;
  args.rows = 0;
}

void runStages(Run& run) {
  const Plan& plan = run.plan;
  KernelArgs& args = run.args;
  args.rowSubjects = nullptr;
  args.rows = 0;
  args.aggregateValues = run.aggregateValues.data();
  args.aggregateValid = run.aggregateValid.data();
  args.slotValues = run.slotValues.data();
  args.slotValid = run.slotValid.data();
  run.engine.runFormulas(0, args);
  for (size_t stage = 1; stage <= plan.laterStages.size(); ++stage) {
    if (cancelRequested(run))
      return; // Program::evaluate reports it
    for (const PeerStep& step : plan.laterStages[stage - 1].peers)
      runPeerStep(run, step);
    for (const RankStep& step : plan.laterStages[stage - 1].ranks)
      runRankStep(plan, step, args);
    args.rowSubjects = nullptr;
    args.rows = 0;
    run.engine.runFormulas(stage, args);
  }
}

} // namespace fulcrum::runtime
