// The rows that matched each active alert's filter (ScanKernel::matches), as the engines hand
// them to fulcrumMatchRow: from any chunk's thread, in any order. rows() gives them in file order.
#pragma once

#include <cstdint>
#include <mutex>
#include <vector>

namespace fulcrum::runtime {

class MatchedRows {
public:
  // Forgets every row; room for `alerts` alerts.
  void reset(size_t alerts) { rows_.assign(alerts, {}); }
  void add(uint32_t alert, int64_t row);
  // Alert `alert`'s matching rows, ascending (call once every scan has run).
  std::vector<int64_t> rows(uint32_t alert) const;

private:
  mutable std::mutex lock_;
  std::vector<std::vector<int64_t>> rows_;
};

// What KernelArgs::matchedRows points to: a chunk's scan counts its rows from 0, so the first
// row of its chunk makes them rows of the table.
struct MatchedRowsAt {
  MatchedRows* matched = nullptr;
  int64_t firstRow = 0;
};

} // namespace fulcrum::runtime
