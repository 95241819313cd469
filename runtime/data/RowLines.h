// The source line of each row of a table, held as runs of consecutive lines rather than a line
// a row: a file without blank lines or line breaks inside quotes is one run, whatever its size.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace fulcrum::runtime {

// Rows 0, 1, 2... have increasing lines. A run is rows whose lines follow each other (line,
// line + 1...); a row whose line is not its predecessor's + 1 (after a blank line, a record over
// several lines, or a rejected row left out) starts a new run. A row's line is found by a binary
// search over the runs' first rows, when a message needs it.
class RowLines {
public:
  RowLines() = default;
  // `rows` rows standing for lines 1, 2, 3...: a host table's row issues name the 1-based row.
  static RowLines numbered(size_t rows);
  // From runs as runRows() and runLines() give them; false if they do not describe `rows` rows
  // with increasing lines as push_back would have made them (a damaged column cache).
  static bool fromRuns(size_t rows, std::vector<uint32_t> runRows, std::vector<uint32_t> runLines,
                       RowLines& out);

  size_t size() const { return rows_ + unlined_; }
  bool empty() const { return size() == 0; }
  uint32_t operator[](size_t row) const;
  // The line of the last row (0 when there is none).
  uint32_t back() const;

  // Adds a row after the last one, at `line` (greater than the last row's); not after
  // extendWithoutLines.
  void push_back(uint32_t line) {
    if (rows_ == 0 || line != back() + 1) {
      runRows_.push_back(static_cast<uint32_t>(rows_));
      runLines_.push_back(line);
    }
    ++rows_;
  }
  // Grows to `rows` rows, the new ones without a line (0): an alert session's fed rows.
  void extendWithoutLines(size_t rows) { unlined_ = std::max(rows, rows_) - rows_; }
  // Adds the rows of `other`, each line plus `lineOffset`.
  void append(const RowLines& other, uint32_t lineOffset);
  // Rows keep[0], keep[1]... (increasing) of these.
  RowLines select(const std::vector<uint32_t>& keep) const;
  // Keeps the first `rows` rows (at most size()).
  void truncate(size_t rows);
  // No rows, keeping the memory (a feed's scratch).
  void clear() {
    rows_ = unlined_ = 0;
    runRows_.clear();
    runLines_.clear();
  }
  // No rows, and the memory given back.
  void release();

  // Every row's line (tests, and checks that want them all).
  std::vector<uint32_t> all() const;
  // Per run: its first row, and that row's line.
  const std::vector<uint32_t>& runRows() const { return runRows_; }
  const std::vector<uint32_t>& runLines() const { return runLines_; }

  bool operator==(const RowLines& other) const {
    return rows_ == other.rows_ && unlined_ == other.unlined_ && runRows_ == other.runRows_ &&
           runLines_ == other.runLines_;
  }

private:
  size_t rows_ = 0;                // rows with a line
  size_t unlined_ = 0;             // rows after them without one
  std::vector<uint32_t> runRows_;  // increasing, runRows_[0] == 0 when there are rows
  std::vector<uint32_t> runLines_; // the line of each run's first row
};

} // namespace fulcrum::runtime
