// Chunked scans (runtime/exec/ChunkedScan.cpp) against one pass over all rows: every aggregate
// kind that is chunked, on rows with missing values, ties in the order key, and rows that belong
// to no subject. Merging chunks in order must give the one-pass accumulators exactly, whatever
// the number of threads; sums come out exact here because the values are whole numbers.
#include "runtime/exec/ChunkedScan.h"

#include <bit>
#include <cstring>
#include <gtest/gtest.h>
#include <random>

namespace fulcrum::runtime {
namespace {

TEST(ChunkedScan, MergedChunksEqualOnePass) {
  Plan plan;
  plan.tables.resize(2);
  plan.columns.push_back(BoundColumnSpec{1, 0, Storage::F64, "t.value", false, false});
  plan.columns.push_back(BoundColumnSpec{1, 1, Storage::I32, "t.day", false, false});
  ScanKernel& scan = plan.scans.emplace_back();
  scan.table = 1;
  for (uint32_t column : {0u, 1u}) {
    PNode& node = scan.nodes.emplace_back();
    node.op = POp::Column;
    node.a = column;
  }
  // Every registry row whose partial results merge (the others are never cut).
  for (const AggregateInfo& info : aggregates()) {
    if (!info.merges())
      continue;
    const bool ordered = info.clause == AggregateClause::OrderBy;
    scan.updates.push_back({info.kind, plan.aggregateCount++, -1, 0, ordered ? 1 : -1});
  }

  const int64_t rows = 400000, subjects = 7;
  ASSERT_GT(scanChunkCount(scan, rows, subjects), 1u) << "the test must cut the scan";
  std::mt19937 random(7);
  std::vector<double> values(rows);
  std::vector<int32_t> days(rows), rowSubjects(rows);
  std::vector<uint8_t> valueValid(rows), dayValid(rows);
  for (int64_t r = 0; r < rows; ++r) {
    values[r] = static_cast<double>(static_cast<int>(random() % 2001) - 1000);
    days[r] = static_cast<int32_t>(random() % 50); // many ties
    valueValid[r] = random() % 10 != 0;
    dayValid[r] = random() % 20 != 0;
    rowSubjects[r] = static_cast<int32_t>(random() % (subjects + 1)) - 1; // -1: no subject
  }
  const void* columnValues[] = {values.data(), days.data()};
  const uint8_t* columnValid[] = {valueValid.data(), dayValid.data()};

  auto interpreter = makeInterpreter(plan);
  const auto run = [&](unsigned threads, bool chunked) {
    std::vector<double> accumulators(plan.aggregateCount * subjects * kAccumulatorWidth, 0.0);
    KernelArgs args{};
    args.columnValues = columnValues;
    args.columnValid = columnValid;
    args.rowSubjects = rowSubjects.data();
    args.rows = rows;
    args.subjects = subjects;
    args.accumulators = accumulators.data();
    if (chunked)
      runScanInChunks(*interpreter, plan, 0, args, threads);
    else
      interpreter->runScan(0, args);
    return accumulators;
  };
  const std::vector<double> onePass = run(1, false);
  for (unsigned threads : {1u, 2u, 3u}) {
    const std::vector<double> chunked = run(threads, true);
    ASSERT_EQ(chunked.size(), onePass.size());
    for (size_t i = 0; i < chunked.size(); ++i)
      EXPECT_EQ(std::bit_cast<uint64_t>(chunked[i]), std::bit_cast<uint64_t>(onePass[i]))
          << "threads " << threads << ", aggregate " << i / (subjects * kAccumulatorWidth)
          << ", accumulator " << i;
  }
}

} // namespace
} // namespace fulcrum::runtime
