// Matched rows, kept under a lock: alerts that fire are few, and a scan's chunks run on threads.
#include "runtime/exec/MatchedRows.h"

#include "runtime/exec/KernelAbi.h"

#include <algorithm>

namespace fulcrum::runtime {

void MatchedRows::add(uint32_t alert, int64_t row) {
  std::lock_guard<std::mutex> hold(lock_);
  rows_[alert].push_back(row);
}

std::vector<int64_t> MatchedRows::rows(uint32_t alert) const {
  std::lock_guard<std::mutex> hold(lock_);
  std::vector<int64_t> rows = rows_[alert];
  std::sort(rows.begin(), rows.end());
  return rows;
}

extern "C" void fulcrumMatchRow(void* matchedRows, uint32_t alert, int64_t row) {
  const auto* at = static_cast<const MatchedRowsAt*>(matchedRows);
  at->matched->add(alert, at->firstRow + row);
}

} // namespace fulcrum::runtime
