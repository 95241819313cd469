// The alerts of a run: the rows each active alert's filter matched (the engines' work, in the
// scans) and the subjects whose passive condition holds (a slot), each turned into a record by
// evaluating the alert's message and priority nodes at that row or subject. An alert dated after
// the as-of day has not happened yet and is left out.
#include "runtime/exec/EvaluateNodes.h"
#include "runtime/exec/Semantics.h"
#include "runtime/program/Run.h"

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

struct Fired {
  AlertRecord record;
  size_t subject = 0;
  uint32_t alert = 0;
  int64_t row = -1;
};

class AlertCollector {
public:
  AlertCollector(const Run& run, const ResultTable& table)
      : run_(run), table_(table), args_(run.args) {}

  void passive(uint32_t index) {
    const AlertSpec& spec = run_.plan.alerts[index];
    const size_t subjects = run_.subjects;
    for (size_t s = 0; s < subjects; ++s) {
      const size_t at = spec.condition * subjects + s;
      if (!run_.slotValid[at] || run_.slotValues[at] == 0)
        continue; // a condition that is missing does not fire
      Fired fired = record(spec, index, -1, static_cast<int64_t>(s));
      fired.record.date = run_.params.asOf;
      fired.record.identity = identityOf(spec, s, "");
      fired_.push_back(std::move(fired));
    }
  }

  void active(uint32_t index) {
    const AlertSpec& spec = run_.plan.alerts[index];
    const int32_t* subjectOf = run_.bound.rowSubjects[spec.rowSubjects];
    for (const int64_t row : run_.matched.rows(index)) {
      const int32_t subject = subjectOf[row];
      std::optional<DayNumber> date;
      if (args_.columnValid[spec.dateColumn][row])
        date = static_cast<DayNumber>(loadColumnValue(run_.plan, args_, spec.dateColumn, row));
      if (date && *date > run_.params.asOf)
        continue; // it has not happened yet
      Fired fired = record(spec, index, row, subject);
      fired.record.date = date;
      fired.record.identity =
          identityOf(spec, static_cast<size_t>(subject), rowIdentity(spec, row));
      fired_.push_back(std::move(fired));
    }
  }

  // The feed's order: subjects in rank order (else by key), then newest first, then alerts in
  // declaration order, then rows in file order.
  // Only the alerts are sorted, never every subject (a few thousand among millions: ordering
  // all 3M accounts cost a third of the run), subjects compared as the table orders them.
  std::vector<AlertRecord> ordered() {
    std::sort(fired_.begin(), fired_.end(), [&](const Fired& a, const Fired& b) {
      if (a.subject != b.subject)
        return subjectBefore(table_, a.subject, b.subject);
      const DayNumber dayA = a.record.date.value_or(INT32_MIN);
      const DayNumber dayB = b.record.date.value_or(INT32_MIN);
      if (dayA != dayB)
        return dayA > dayB;
      if (a.alert != b.alert)
        return a.alert < b.alert;
      return a.row < b.row;
    });
    std::vector<AlertRecord> records;
    records.reserve(fired_.size());
    for (Fired& fired : fired_)
      records.push_back(std::move(fired.record));
    return records;
  }

private:
  // The alert's message and priority at `row` (or -1) of `subject`.
  Fired record(const AlertSpec& spec, uint32_t index, int64_t row, int64_t subject) {
    scratch_.assign(spec.nodes.size(), NodeValue{});
    evaluateNodes(run_.plan, spec.nodes, 0, static_cast<uint32_t>(spec.nodes.size()), args_, row,
                  subject, scratch_);
    Fired fired;
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
      record.message +=
          shownValue(part.kind, value.value, value.valid, table_.strings, table_.fiscalStart);
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
  std::string rowIdentity(const AlertSpec& spec, int64_t row) const {
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

  ValueType columnKind(uint32_t column) const {
    const BoundColumnSpec& spec = run_.plan.columns[column];
    return run_.plan.tables[spec.table].fields[spec.field].type;
  }

  std::string identityOf(const AlertSpec& spec, size_t subject, const std::string& row) const {
    std::string identity = spec.name + '\x1f' + table_.keys[subject];
    if (spec.active)
      identity += '\x1f' + row;
    return identity;
  }

  const Run& run_;
  const ResultTable& table_;
  const KernelArgs& args_;
  std::vector<NodeValue> scratch_;
  std::vector<Fired> fired_;
};

} // namespace

void collectAlerts(const Run& run, RunResult& result) {
  AlertCollector collector(run, result.table);
  for (uint32_t i = 0; i < run.plan.alerts.size(); ++i) {
    if (run.plan.alerts[i].active)
      collector.active(i);
    else
      collector.passive(i);
  }
  result.alerts = collector.ordered();
}

} // namespace fulcrum::runtime
