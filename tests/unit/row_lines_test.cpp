// RowLines against a plain vector of lines: every row's line, appending, selecting, the runs'
// checks a column cache relies on.
#include "runtime/data/RowLines.h"

#include <gtest/gtest.h>
#include <random>

using namespace fulcrum::runtime;

namespace {

// Increasing lines: mostly consecutive, sometimes a gap (a blank line, a quoted line break).
std::vector<uint32_t> randomLines(std::mt19937& random, size_t rows, uint32_t first) {
  std::vector<uint32_t> lines;
  uint32_t line = first;
  for (size_t row = 0; row < rows; ++row) {
    lines.push_back(line);
    line += random() % 5 == 0 ? 2 + random() % 3 : 1;
  }
  return lines;
}

RowLines fromVector(const std::vector<uint32_t>& lines) {
  RowLines out;
  for (const uint32_t line : lines)
    out.push_back(line);
  return out;
}

void expectLines(const RowLines& got, const std::vector<uint32_t>& want) {
  ASSERT_EQ(got.size(), want.size());
  EXPECT_EQ(got.all(), want);
  for (size_t row = 0; row < want.size(); ++row)
    ASSERT_EQ(got[row], want[row]) << "row " << row;
  EXPECT_EQ(got.back(), want.empty() ? 0u : want.back());
}

} // namespace

TEST(RowLines, AFileWithoutGapsIsOneRun) {
  RowLines lines;
  for (uint32_t line = 2; line < 100'002; ++line)
    lines.push_back(line);
  EXPECT_EQ(lines.runRows().size(), 1u);
  expectLines(lines, [] {
    std::vector<uint32_t> v;
    for (uint32_t line = 2; line < 100'002; ++line)
      v.push_back(line);
    return v;
  }());
}

TEST(RowLines, EveryRowsLineAsAVectorHoldsIt) {
  std::mt19937 random(7);
  for (const size_t rows : {0, 1, 2, 17, 1000}) {
    const std::vector<uint32_t> want = randomLines(random, rows, 2);
    expectLines(fromVector(want), want);
  }
}

TEST(RowLines, AppendShiftsAndJoinsRuns) {
  std::mt19937 random(11);
  for (int trial = 0; trial < 50; ++trial) {
    // A range's lines are relative (its first line is 1); the next range starts `offset` on.
    const std::vector<uint32_t> a = randomLines(random, random() % 40, 2);
    const std::vector<uint32_t> b = randomLines(random, random() % 40, 1);
    const uint32_t offset = (a.empty() ? 1 : a.back()) + random() % 3;
    std::vector<uint32_t> want = a;
    for (const uint32_t line : b)
      want.push_back(line + offset);
    RowLines joined = fromVector(a);
    joined.append(fromVector(b), offset);
    expectLines(joined, want);
    EXPECT_EQ(joined, fromVector(want)); // the same runs as pushing row by row
  }
}

TEST(RowLines, SelectKeepsTheLinesOfKeptRows) {
  std::mt19937 random(13);
  const std::vector<uint32_t> all = randomLines(random, 500, 2);
  std::vector<uint32_t> keep, want;
  for (uint32_t row = 0; row < all.size(); ++row)
    if (random() % 7 != 0) {
      keep.push_back(row);
      want.push_back(all[row]);
    }
  expectLines(fromVector(all).select(keep), want);
}

TEST(RowLines, TruncateAndNumbered) {
  std::mt19937 random(17);
  const std::vector<uint32_t> all = randomLines(random, 300, 2);
  for (const size_t rows : {300, 299, 150, 1, 0}) {
    RowLines lines = fromVector(all);
    lines.truncate(rows);
    expectLines(lines, std::vector<uint32_t>(all.begin(), all.begin() + rows));
    EXPECT_EQ(lines, fromVector(std::vector<uint32_t>(all.begin(), all.begin() + rows)));
  }
  expectLines(RowLines::numbered(4), {1, 2, 3, 4});
  RowLines fed = RowLines::numbered(2); // an alert session's rows fed after the load
  fed.extendWithoutLines(5);
  EXPECT_EQ(fed.all(), (std::vector<uint32_t>{1, 2, 0, 0, 0}));
  EXPECT_EQ(fed[4], 0u);
  fed.truncate(3);
  EXPECT_EQ(fed.all(), (std::vector<uint32_t>{1, 2, 0}));
  expectLines(RowLines::numbered(0), {});
}

TEST(RowLines, FromRunsRefusesRunsThatAreNotIncreasingLines) {
  RowLines out;
  EXPECT_TRUE(RowLines::fromRuns(5, {0, 2}, {2, 10}, out));
  expectLines(out, {2, 3, 10, 11, 12});
  EXPECT_TRUE(RowLines::fromRuns(0, {}, {}, out));
  EXPECT_FALSE(RowLines::fromRuns(5, {}, {}, out));                // rows without runs
  EXPECT_FALSE(RowLines::fromRuns(0, {0}, {2}, out));              // a run without rows
  EXPECT_FALSE(RowLines::fromRuns(5, {1}, {2}, out));              // the first run not at row 0
  EXPECT_FALSE(RowLines::fromRuns(5, {0, 2}, {2}, out));           // lengths differ
  EXPECT_FALSE(RowLines::fromRuns(5, {0, 2, 2}, {2, 9, 20}, out)); // rows not increasing
  EXPECT_FALSE(RowLines::fromRuns(5, {0, 5}, {2, 20}, out));       // a run past the rows
  EXPECT_FALSE(RowLines::fromRuns(5, {0, 2}, {2, 3}, out));        // line 3 again
  EXPECT_FALSE(RowLines::fromRuns(5, {0, 2}, {2, 1}, out));        // a line going back
  EXPECT_FALSE(RowLines::fromRuns(5, {0, 2}, {2, 4}, out));        // 4 follows 3: one run, not two
}
