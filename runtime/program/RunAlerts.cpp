// The alerts of a run: the rows each active alert's filter matched (the engines' work, in the
// scans) and the subjects whose passive condition holds (a slot), each turned into a record by
// evaluating the alert's message and priority nodes at that row or subject. An alert dated after
// the as-of day has not happened yet and is left out.
#include "runtime/exec/EvaluateNodes.h"
#include "runtime/exec/Semantics.h"
#include "runtime/program/AlertRecords.h"

#include <algorithm>
#include <fmt/format.h>

namespace fulcrum::runtime {

namespace {

// FNV-1a, 64 bits: a row's identity when its table has no key (stable across builds).
uint64_t fnv1a(const std::string& text) {
  uint64_t hash = 1469598103934665603ULL;
  for (unsigned char c : text) {
    hash ^= c;
    hash *= 1099511628211ULL;
  }
  return hash;
}

} // namespace

bool AlertRecorder::holds(uint32_t index, size_t subject) const {
  const size_t at = run_.plan.alerts[index].condition * run_.subjects + subject;
  return run_.slotValid[at] && run_.slotValues[at] != 0;
}

FiredAlert AlertRecorder::passive(uint32_t index, size_t subject) {
  const AlertSpec& spec = run_.plan.alerts[index];
  FiredAlert fired = record(spec, index, -1, static_cast<int64_t>(subject));
  fired.record.date = run_.params.asOf;
  fired.record.identity = identityOf(spec, subject, "");
  return fired;
}

std::optional<FiredAlert> AlertRecorder::active(uint32_t index, int64_t row) {
  const AlertSpec& spec = run_.plan.alerts[index];
  const int32_t subject = run_.bound.rowSubjects[spec.rowSubjects][row];
  std::optional<DayNumber> date;
  if (args_.columnValid[spec.dateColumn][row])
    date = static_cast<DayNumber>(loadColumnValue(run_.plan, args_, spec.dateColumn, row));
  if (date && *date > run_.params.asOf)
    return std::nullopt; // it has not happened yet
  FiredAlert fired = record(spec, index, row, subject);
  fired.record.date = date;
  fired.record.identity = identityOf(spec, static_cast<size_t>(subject), rowIdentity(spec, row));
  return fired;
}

// Only the alerts are sorted, never every subject (a few thousand among millions: ordering all
// 3M accounts cost a third of the run), subjects compared as the table orders them.
void sortInFeedOrder(std::vector<FiredAlert>& fired, const ResultTable& table) {
  std::sort(fired.begin(), fired.end(), [&](const FiredAlert& a, const FiredAlert& b) {
    if (a.subject != b.subject)
      return subjectBefore(table, a.subject, b.subject);
    const DayNumber dayA = a.record.date.value_or(INT32_MIN);
    const DayNumber dayB = b.record.date.value_or(INT32_MIN);
    if (dayA != dayB)
      return dayA > dayB;
    if (a.alert != b.alert)
      return a.alert < b.alert;
    return a.row < b.row;
  });
}

// The alert's message and priority at `row` (or -1) of `subject`.
FiredAlert AlertRecorder::record(const AlertSpec& spec, uint32_t index, int64_t row,
                                 int64_t subject) {
  scratch_.assign(spec.nodes.size(), NodeValue{});
  evaluateNodes(run_.plan, spec.nodes, 0, static_cast<uint32_t>(spec.nodes.size()), args_, row,
                subject, scratch_);
  FiredAlert fired;
  fired.subject = static_cast<size_t>(subject);
  fired.alert = index;
  fired.row = row;
  AlertRecord& record = fired.record;
  record.subject = table_.keys[fired.subject];
  record.alert = spec.name;
  record.title = spec.title;
  record.active = spec.active;
  for (const MessagePart& part : spec.message) {
    if (part.value < 0) {
      record.message += part.text;
      continue;
    }
    const NodeValue& value = scratch_[static_cast<size_t>(part.value)];
    record.message += shownValue(part.kind, value.value, value.valid, table_.strings,
                                 table_.fiscalStart, table_.currencySign);
  }
  if (spec.priority >= 0) {
    const NodeValue& value = scratch_[static_cast<size_t>(spec.priority)];
    record.priority =
        value.valid ? rawValue(spec.priorityKind, value.value, table_.strings, table_.fiscalStart)
                    : "";
    record.priorityIsText = spec.priorityKind == ValueType::Text ||
                            spec.priorityKind == ValueType::Date ||
                            spec.priorityKind == ValueType::Period;
  }
  return fired;
}

// The row's key, or a hash of all its fields (each as CSV prints it).
std::string AlertRecorder::rowIdentity(const AlertSpec& spec, int64_t row) const {
  std::string fields;
  for (const uint32_t column : spec.identityColumns) {
    const ValueType kind = columnKind(column);
    if (args_.columnValid[column][row])
      fields += rawValue(kind, loadColumnValue(run_.plan, args_, column, row), table_.strings);
    fields += '\x1f';
  }
  if (spec.identityIsKey)
    return fields.substr(0, fields.size() - 1);
  return fmt::format("#{:016x}", fnv1a(fields));
}

ValueType AlertRecorder::columnKind(uint32_t column) const {
  const BoundColumnSpec& spec = run_.plan.columns[column];
  return run_.plan.tables[spec.table].fields[spec.field].type;
}

std::string AlertRecorder::identityOf(const AlertSpec& spec, size_t subject,
                                      const std::string& row) const {
  std::string identity = spec.name + '\x1f' + table_.keys[subject];
  if (spec.active)
    identity += '\x1f' + row;
  return identity;
}

void collectAlerts(const Run& run, RunResult& result) {
  AlertRecorder recorder(run, result.table);
  std::vector<FiredAlert> fired;
  for (uint32_t i = 0; i < run.plan.alerts.size(); ++i) {
    if (run.plan.alerts[i].active) {
      for (const int64_t row : run.matched.rows(i))
        if (auto one = recorder.active(i, row))
          fired.push_back(std::move(*one));
      continue;
    }
    for (size_t s = 0; s < run.subjects; ++s)
      if (recorder.holds(i, s))
        fired.push_back(recorder.passive(i, s));
  }
  sortInFeedOrder(fired, result.table);
  result.alerts.reserve(fired.size());
  for (FiredAlert& one : fired)
    result.alerts.push_back(std::move(one.record));
}

} // namespace fulcrum::runtime
