// An alert that fired, as a record (its message, date, priority and identity), and the feed's
// order of records. Shared by a run's alerts (RunAlerts.cpp) and an alert session's, which
// evaluates records one row or one subject at a time (AlertSession.cpp).
#pragma once

#include "runtime/exec/EvaluateNodes.h"
#include "runtime/program/Run.h"

#include <optional>
#include <vector>

namespace fulcrum::runtime {

struct FiredAlert {
  AlertRecord record;
  size_t subject = 0;
  uint32_t alert = 0; // index into Plan::alerts
  int64_t row = -1;   // the matched row of an active alert, -1 for a passive one
};

// Evaluates alert records over a run whose formulas and alert scans are done; `table` gives the
// subjects' keys, the pool and the order (collectResults' table, or resultTableCopy's).
class AlertRecorder {
public:
  AlertRecorder(const Run& run, const ResultTable& table)
      : run_(run), table_(table), args_(run.args) {}

  // Whether passive alert `index` holds for `subject` (a missing condition does not fire).
  bool holds(uint32_t index, size_t subject) const;
  // Passive alert `index` at `subject`, dated the as-of day (call when holds()).
  FiredAlert passive(uint32_t index, size_t subject);
  // Active alert `index` at a row its filter matched; none when the row is dated after the as-of
  // day (it has not happened yet).
  std::optional<FiredAlert> active(uint32_t index, int64_t row);

private:
  FiredAlert record(const AlertSpec& spec, uint32_t index, int64_t row, int64_t subject);
  std::string rowIdentity(const AlertSpec& spec, int64_t row) const;
  ValueType columnKind(uint32_t column) const;
  std::string identityOf(const AlertSpec& spec, size_t subject, const std::string& row) const;

  const Run& run_;
  const ResultTable& table_;
  const KernelArgs& args_;
  std::vector<NodeValue> scratch_;
};

// The feed's order: subjects in rank order (else by key), then newest first, then alerts in
// declaration order, then rows in file order.
void sortInFeedOrder(std::vector<FiredAlert>& fired, const ResultTable& table);

} // namespace fulcrum::runtime
