// Rows' source lines as runs of consecutive lines.
#include "runtime/data/RowLines.h"

#include <algorithm>
#include <utility>

namespace fulcrum::runtime {

RowLines RowLines::numbered(size_t rows) {
  RowLines lines;
  lines.rows_ = rows;
  if (rows > 0) {
    lines.runRows_.push_back(0);
    lines.runLines_.push_back(1);
  }
  return lines;
}

bool RowLines::fromRuns(size_t rows, std::vector<uint32_t> runRows, std::vector<uint32_t> runLines,
                        RowLines& out) {
  if (runRows.size() != runLines.size() || (rows == 0) != runRows.empty() ||
      (rows > 0 && runRows[0] != 0))
    return false;
  for (size_t k = 1; k < runRows.size(); ++k) {
    const uint64_t lastLine = uint64_t{runLines[k - 1]} + (runRows[k] - runRows[k - 1]) - 1;
    if (runRows[k] <= runRows[k - 1] || runRows[k] >= rows || runLines[k] <= lastLine + 1)
      return false;
  }
  if (!runRows.empty() && uint64_t{runLines.back()} + (rows - runRows.back()) - 1 > UINT32_MAX)
    return false;
  out.rows_ = rows;
  out.runRows_ = std::move(runRows);
  out.runLines_ = std::move(runLines);
  return true;
}

uint32_t RowLines::operator[](size_t row) const {
  if (row >= rows_)
    return 0; // a row without a line
  const auto run = std::upper_bound(runRows_.begin(), runRows_.end(), row) - runRows_.begin() - 1;
  const auto k = static_cast<size_t>(run);
  return runLines_[k] + static_cast<uint32_t>(row - runRows_[k]);
}

uint32_t RowLines::back() const {
  if (rows_ == 0 || unlined_ > 0)
    return 0;
  return runLines_.back() + static_cast<uint32_t>(rows_ - 1 - runRows_.back());
}

void RowLines::append(const RowLines& other, uint32_t lineOffset) {
  for (size_t k = 0; k < other.runRows_.size(); ++k) {
    const uint32_t line = other.runLines_[k] + lineOffset;
    if (rows_ == 0 || line != back() + 1) {
      runRows_.push_back(static_cast<uint32_t>(rows_));
      runLines_.push_back(line);
    }
    const size_t runEnd = k + 1 < other.runRows_.size() ? other.runRows_[k + 1] : other.rows_;
    rows_ += runEnd - other.runRows_[k];
  }
}

RowLines RowLines::select(const std::vector<uint32_t>& keep) const {
  RowLines kept;
  size_t run = 0;
  for (const uint32_t row : keep) {
    while (run + 1 < runRows_.size() && runRows_[run + 1] <= row)
      ++run;
    kept.push_back(runLines_[run] + (row - runRows_[run]));
  }
  return kept;
}

void RowLines::truncate(size_t rows) {
  unlined_ = std::min(unlined_, rows - std::min(rows, rows_));
  rows_ = std::min(rows_, rows);
  const auto runs = static_cast<size_t>(std::lower_bound(runRows_.begin(), runRows_.end(), rows_) -
                                        runRows_.begin());
  runRows_.resize(runs);
  runLines_.resize(runs);
}

void RowLines::release() {
  rows_ = unlined_ = 0;
  std::vector<uint32_t>().swap(runRows_);
  std::vector<uint32_t>().swap(runLines_);
}

std::vector<uint32_t> RowLines::all() const {
  std::vector<uint32_t> lines;
  lines.reserve(size());
  for (size_t k = 0; k < runRows_.size(); ++k) {
    const size_t runEnd = k + 1 < runRows_.size() ? runRows_[k + 1] : rows_;
    for (size_t row = runRows_[k]; row < runEnd; ++row)
      lines.push_back(runLines_[k] + static_cast<uint32_t>(row - runRows_[k]));
  }
  lines.resize(size(), 0);
  return lines;
}

} // namespace fulcrum::runtime
