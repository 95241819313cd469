// The first step of a run: the run's parameters and pool, and the KernelArgs every kernel reads.
#include "runtime/program/Run.h"

#include <algorithm>
#include <numeric>

namespace fulcrum::runtime {

RunParamValues runParamsFor(const Plan& plan, const RunRequest& request,
                            std::vector<std::string>& paramStrings) {
  StringCodes paramCodes;
  paramStrings = plan.strings;
  for (size_t i = 0; i < paramStrings.size(); ++i)
    paramCodes.emplace(paramStrings[i], static_cast<int32_t>(i));
  return computeRunParams(plan, request.period, request.asOf, request.params, paramCodes,
                          paramStrings);
}

// Holidays are data: working days are counted again once they are loaded.
static void countWorkingDays(Run& run) {
  const Plan& plan = run.plan;
  for (size_t i = 0; i < plan.runParams.size(); ++i) {
    const RunParamSpec& spec = plan.runParams[i];
    if (spec.kind != RunParamKind::WorkingDays || spec.holidaysTable < 0)
      continue;
    const Period& period = run.params.period;
    const Table* holidays = run.loaded.table(plan.tables[spec.holidaysTable].name);
    std::vector<DayNumber> days;
    if (holidays) {
      const Column& column = holidays->columns[spec.holidaysField];
      for (size_t row = 0; row < holidays->rowCount; ++row)
        if (column.valid[row])
          days.push_back(column.dayData()[row]);
    }
    run.params.values[i] =
        spec.fixedPeriod
            ? workingDaysBetween(spec.fixedPeriod->first, spec.fixedPeriod->second, days)
            : workingDaysBetween(period.start(), period.end(), days);
  }
}

// working_days of a period value: the holidays that are weekdays, sorted and distinct.
static void collectHolidays(Run& run) {
  const Plan& plan = run.plan;
  run.holidays.clear();
  if (plan.holidaysTable < 0)
    return;
  if (const Table* holidays = run.loaded.table(plan.tables[plan.holidaysTable].name)) {
    const Column& column = holidays->columns[plan.holidaysField];
    for (size_t row = 0; row < holidays->rowCount; ++row)
      if (column.valid[row] && isoWeekday(column.dayData()[row]) <= 5)
        run.holidays.push_back(column.dayData()[row]);
  }
  std::sort(run.holidays.begin(), run.holidays.end());
  run.holidays.erase(std::unique(run.holidays.begin(), run.holidays.end()), run.holidays.end());
}

// Text params were interned into a copy of the plan's strings: add them to the run's pool
// (a copy: the loaded data is shared between runs).
static void internTextParams(Run& run) {
  const Plan& plan = run.plan;
  const BoundData& bound = run.bound;
  std::vector<std::string>& strings = run.strings;
  std::vector<double>& runValues = run.runValues;
  strings = bound.strings;
  runValues = run.params.values;
  for (size_t i = 0; i < plan.runParams.size(); ++i)
    if (plan.runParams[i].kind == RunParamKind::UserParam &&
        plan.runParams[i].paramType == ValueType::Text) {
      const std::string& text = run.paramStrings[static_cast<size_t>(runValues[i])];
      const auto known = bound.stringCodes.find(text);
      if (known != bound.stringCodes.end()) {
        runValues[i] = known->second;
        continue;
      }
      const auto it = std::find(strings.begin() + static_cast<std::ptrdiff_t>(bound.strings.size()),
                                strings.end(), text);
      runValues[i] = static_cast<double>(it - strings.begin());
      if (it == strings.end())
        strings.push_back(text);
    }
}

// `order by` a text field: each code's place among the texts in byte order (codes themselves
// are in order of appearance). Never empty, so a kernel may read entry 0 for a missing text.
void rankTexts(Run& run) {
  const std::vector<std::string>& strings = run.strings;
  std::vector<int32_t>& textOrder = run.textOrder;
  textOrder.assign(1, 0);
  if (run.plan.usesTextOrder) {
    std::vector<int32_t> byText(strings.size());
    std::iota(byText.begin(), byText.end(), 0);
    std::sort(byText.begin(), byText.end(),
              [&](int32_t a, int32_t b) { return strings[a] < strings[b]; });
    textOrder.assign(std::max<size_t>(strings.size(), 1), 0);
    for (size_t place = 0; place < byText.size(); ++place)
      textOrder[static_cast<size_t>(byText[place])] = static_cast<int32_t>(place);
  }
  run.args.textOrder = textOrder.data();
}

// The run's column tables, accumulators, aggregates and slots, and the KernelArgs over them.
static void allocateState(Run& run) {
  const Plan& plan = run.plan;
  const size_t subjects = run.subjects;
  run.columnValues = run.bound.columnValues;
  run.columnValid = run.bound.columnValid;
  run.accumulators.assign(plan.aggregateCount * subjects * kAccumulatorWidth, 0.0);
  run.collected = CollectedValues(plan, subjects);
  run.slotValues.assign(plan.slotCount * subjects, 0.0);
  run.slotValid.assign(plan.slotCount * subjects, 0);

  KernelArgs& args = run.args;
  args = KernelArgs{};
  args.textOrder = run.textOrder.data();
  args.holidays = run.plan.holidaysTable >= 0 ? &run.holidays : nullptr;
  args.columnValues = run.columnValues.data();
  args.columnValid = run.columnValid.data();
  args.subjects = static_cast<int64_t>(subjects);
  args.subjectRows = run.bound.subjectRows.data();
  args.runValues = run.runValues.data();
  args.runValid = run.params.valid.data();
  args.accumulators = run.accumulators.data();
  args.collectedValues = &run.collected;
  run.matched.reset(plan.alerts.size());
  run.matchedAt = MatchedRowsAt{&run.matched, 0};
  args.matchedRows = &run.matchedAt;
  run.aggregateValues.assign(plan.aggregateCount * subjects, 0);
  run.aggregateValid.assign(plan.aggregateCount * subjects, 0);
}

bool prepareArguments(Run& run, RunResult& result) {
  run.params = runParamsFor(run.plan, run.request, run.paramStrings);
  if (!run.params.errors.empty()) {
    result.status = RunStatus::UsageError;
    result.errors = std::move(run.params.errors);
    return false;
  }
  countWorkingDays(run);
  collectHolidays(run);
  internTextParams(run);
  readFeeds(run);
  rankTexts(run);
  allocateState(run);
  bindFeeds(run);
  return true;
}

} // namespace fulcrum::runtime
