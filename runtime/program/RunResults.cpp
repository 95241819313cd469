// The last steps of a run: the result table, the checks' violations and the clamping notes.
#include "runtime/output/ResultFormat.h"
#include "runtime/program/Run.h"

#include <fmt/format.h>

namespace fulcrum::runtime {

// The result table but its pool.
static void fillTable(const Run& run, ResultTable& table) {
  const Plan& plan = run.plan;
  const size_t subjects = run.subjects;
  const PlanTable& subject = plan.tables[0];
  table.keyName = subject.fields[subject.keyField].name;
  table.keys = run.bound.subjectKeys;
  table.columns = plan.outputs;
  table.orderColumn = plan.orderOutput;
  table.fiscalStart = plan.fiscalStart;
  table.currencySign = plan.currency->sign;
  table.values.clear();
  table.valid.clear();
  for (const OutputColumn& column : table.columns)
    for (size_t s = 0; s < subjects; ++s) {
      table.values.push_back(run.slotValues[column.slot * subjects + s]);
      table.valid.push_back(run.slotValid[column.slot * subjects + s]);
    }
}

void collectResults(Run& run, RunResult& result) {
  fillTable(run, result.table);
  result.table.strings = std::move(run.strings);
}

ResultTable resultTableCopy(const Run& run) {
  ResultTable table;
  fillTable(run, table);
  table.strings = run.strings;
  return table;
}

void refreshResultValues(const Run& run, ResultTable& table, int32_t onlyColumn) {
  const size_t subjects = run.subjects;
  for (size_t c = 0; c < table.columns.size(); ++c) {
    if (onlyColumn >= 0 && c != static_cast<size_t>(onlyColumn))
      continue;
    const size_t slot = table.columns[c].slot;
    for (size_t s = 0; s < subjects; ++s) {
      table.values[c * subjects + s] = run.slotValues[slot * subjects + s];
      table.valid[c * subjects + s] = run.slotValid[slot * subjects + s];
    }
  }
}

void readChecks(const Run& run, RunResult& result) {
  const size_t subjects = run.subjects;
  const std::vector<double>& slotValues = run.slotValues;
  const std::vector<uint8_t>& slotValid = run.slotValid;
  const ResultTable& table = result.table;
  // A slot's value as people read values (language.md, "How values are shown"): 166%, $1,234.
  auto show = [&](const OutputColumn& column, size_t s) {
    const size_t at = column.slot * subjects + s;
    return shownValue(column.kind, slotValues[at], slotValid[at] != 0, table.strings,
                      table.fiscalStart, table.currencySign);
  };
  for (const CheckSpec& check : run.plan.checks)
    for (size_t s = 0; s < subjects; ++s) {
      const size_t at = check.slot * subjects + s;
      if (!slotValid[at] || slotValues[at] != 0)
        continue; // a check holds unless it is known to be false
      CheckViolation violation{check.label, table.keys[s], {}};
      for (const OutputColumn& input : check.inputs)
        violation.values.emplace_back(input.name, show(input, s));
      result.violations.push_back(std::move(violation));
    }
}

void notePartialScores(const Run& run, RunResult& result) {
  const size_t subjects = run.subjects;
  for (const PartialScoreSpec& spec : run.plan.partialScores) {
    size_t partial = 0;
    for (size_t s = 0; s < subjects; ++s)
      partial +=
          !run.slotValid[spec.progress * subjects + s] && run.slotValid[spec.score * subjects + s];
    if (partial > 0)
      result.notes.push_back(fmt::format(
          "key result `{}` was missing for {} subject{}: {}.score is over the other key results",
          spec.keyResult, partial, partial == 1 ? "" : "s", spec.objective));
  }
}

void noteClamps(const Run& run, RunResult& result) {
  const size_t subjects = run.subjects;
  const std::vector<double>& slotValues = run.slotValues;
  const std::vector<uint8_t>& slotValid = run.slotValid;
  for (const ClampSpec& clamp : run.plan.clamps) {
    size_t clamped = 0;
    for (size_t s = 0; s < subjects; ++s) {
      const size_t at = clamp.rawSlot * subjects + s;
      clamped += slotValid[at] && (slotValues[at] < 0 || slotValues[at] > 1);
    }
    if (clamped > 0)
      result.notes.push_back(
          fmt::format("score component `{}` was outside [0, 1] for {} subject{} and was clamped",
                      clamp.name, clamped, clamped == 1 ? "" : "s"));
  }
}

} // namespace fulcrum::runtime
