// Exactly rounded sums (runtime/exec/ExactSum.h, SumAggregate and AvgAggregate): hand-checked
// cases whose naive sum differs, ties to even, subnormal and overflowing totals, the window's
// edges, and random values of every magnitude against an independent oracle (Shewchuk's exact
// partials with Python's math.fsum final rounding, which shares no code with the accumulator),
// in any order and any split into merged parts; and chunked, threaded scans whose values escape
// the window from several chunks at once.
#include "runtime/exec/Aggregation.h"
#include "runtime/exec/ChunkedScan.h"
#include "runtime/exec/ExactSum.h"
#include "runtime/exec/Finalize.h"

#include <algorithm>
#include <bit>
#include <cfloat>
#include <cmath>
#include <gtest/gtest.h>
#include <limits>
#include <random>
#include <vector>

namespace fulcrum::runtime {
namespace {

// The oracle: math.fsum (Shewchuk's msum, then the round-half-even correction of CPython's
// mathmodule.c) for finite values whose partial sums do not overflow.
double fsum(const std::vector<double>& values) {
  std::vector<double> partials;
  for (double x : values) {
    size_t i = 0;
    for (double y : partials) {
      if (std::fabs(x) < std::fabs(y))
        std::swap(x, y);
      const double hi = x + y;
      const double lo = y - (hi - x);
      if (lo != 0.0)
        partials[i++] = lo;
      x = hi;
    }
    partials.resize(i);
    partials.push_back(x);
  }
  size_t n = partials.size();
  double hi = 0.0;
  if (n > 0) {
    hi = partials[--n];
    double lo = 0;
    while (n > 0) {
      const double x = hi, y = partials[--n];
      hi = x + y;
      const double yr = hi - x;
      lo = y - yr;
      if (lo != 0.0)
        break;
    }
    if (n > 0 && ((lo < 0.0 && partials[n - 1] < 0.0) || (lo > 0.0 && partials[n - 1] > 0.0))) {
      const double y = lo * 2.0;
      const double x = hi + y;
      if (y == x - hi)
        hi = x;
    }
  }
  return hi;
}

uint64_t bits(double value) {
  return std::bit_cast<uint64_t>(value);
}

// The exactly rounded sum through the Sum traits: values that escape are kept aside.
double exactSum(const std::vector<double>& values) {
  double acc[kAccumulatorWidth] = {};
  std::vector<double> escaped;
  for (double v : values)
    if (updateAggregate(AggregateKind::Sum, acc, AggregateRow{v, true}))
      escaped.push_back(v);
  const AggregateResult result = finalizeAccumulated(AggregateKind::Sum, acc, escaped);
  EXPECT_TRUE(result.present);
  return result.value;
}

double naiveSum(const std::vector<double>& values) {
  double sum = 0;
  for (double v : values)
    sum += v;
  return sum;
}

TEST(ExactSum, CasesWhoseNaiveSumIsWrong) {
  const std::vector<double> cancel{1e100, 1.0, -1e100};
  EXPECT_EQ(naiveSum(cancel), 0.0);
  EXPECT_EQ(exactSum(cancel), 1.0);
  const std::vector<double> tenths(10, 0.1);
  EXPECT_NE(naiveSum(tenths), 1.0);
  EXPECT_EQ(exactSum(tenths), 1.0);
  EXPECT_EQ(exactSum(std::vector<double>(10, -0.1)), -1.0);
  // 0.1 + 0.2 is the double nearest the exact sum of those two doubles: no "fixing" of noise.
  EXPECT_EQ(exactSum({0.1, 0.2}), 0.30000000000000004);
  EXPECT_EQ(exactSum({1e-310, 1.0, -1.0}), 1e-310);
  // Past the largest double on the way, back below it at the end.
  EXPECT_EQ(exactSum({DBL_MAX, DBL_MAX, -DBL_MAX}), DBL_MAX);
  EXPECT_EQ(exactSum({1e308, 1e308, -1e308, 1e-300}), 1e308);
}

TEST(ExactSum, TiesGoToEven) {
  const double ulp = std::ldexp(1.0, -52), half = std::ldexp(1.0, -53);
  EXPECT_EQ(exactSum({1.0, half}), 1.0);                              // 1 is even
  EXPECT_EQ(exactSum({1.0 + ulp, half}), 1.0 + 2 * ulp);              // 1 + ulp is odd
  EXPECT_EQ(exactSum({1.0, half, std::ldexp(1.0, -100)}), 1.0 + ulp); // past the tie (escaped)
  EXPECT_EQ(exactSum({1.0, half, -std::ldexp(1.0, -100)}), 1.0);      // short of it
  EXPECT_EQ(exactSum({-1.0, -half}), -1.0);
  const double big = std::ldexp(1.0, 53);
  EXPECT_EQ(exactSum({big, 1.0}), big);          // 2^53 + 1: to 2^53
  EXPECT_EQ(exactSum({big, 3.0}), big + 4);      // 2^53 + 3: to 2^53 + 4
  EXPECT_EQ(exactSum({big, 1.0, 1.0}), big + 2); // exact, where naive gives 2^53
  EXPECT_EQ(naiveSum({big, 1.0, 1.0}), big);
  // A tie in the escaped range: DBL_MAX's ulp is 2^971.
  EXPECT_EQ(exactSum({1e308, std::ldexp(1.0, 970) * 3}), fsum({1e308, std::ldexp(1.0, 970) * 3}));
}

TEST(ExactSum, SubnormalZeroAndOverflowingTotals) {
  const double tiny = std::numeric_limits<double>::denorm_min();
  EXPECT_EQ(exactSum({tiny, tiny}), 2 * tiny);
  EXPECT_EQ(exactSum({DBL_MIN, -DBL_MIN / 2, tiny}), DBL_MIN / 2 + tiny);
  EXPECT_EQ(exactSum({1.0, tiny, -1.0}), tiny);
  EXPECT_EQ(exactSum({-1.0, -tiny, 1.0}), -tiny);
  // Zero: +0, whatever the signs of the zeros or the values that cancel.
  EXPECT_EQ(bits(exactSum({})), bits(0.0));
  EXPECT_EQ(bits(exactSum({-0.0})), bits(0.0));
  EXPECT_EQ(bits(exactSum({-0.5, 0.5})), bits(0.0));
  EXPECT_EQ(bits(exactSum({-1e300, 1e300})), bits(0.0));
  // Past the largest double: an infinity, which finalization makes missing.
  EXPECT_EQ(exactSum({DBL_MAX, DBL_MAX}), std::numeric_limits<double>::infinity());
  EXPECT_EQ(exactSum({-DBL_MAX, -DBL_MAX}), -std::numeric_limits<double>::infinity());
  // Rounding up to 2^1024 overflows too: DBL_MAX + half its ulp is a tie, to even (up).
  EXPECT_EQ(exactSum({DBL_MAX, std::ldexp(1.0, 970)}), std::numeric_limits<double>::infinity());
  EXPECT_EQ(exactSum({DBL_MAX, std::ldexp(1.0, 969)}), DBL_MAX);
  EXPECT_TRUE(std::isnan(exactSum(
      {std::numeric_limits<double>::infinity(), -std::numeric_limits<double>::infinity()})));
}

TEST(ExactSum, TheWindowsEdges) {
  const auto fits = [](double x) {
    double acc[kAccumulatorWidth] = {};
    return exactSumAdd(acc, x);
  };
  for (double sign : {1.0, -1.0}) {
    EXPECT_TRUE(fits(sign * 0.0));
    EXPECT_TRUE(fits(sign * std::nextafter(std::ldexp(1.0, 64), 0.0)));
    EXPECT_FALSE(fits(sign * std::ldexp(1.0, 64)));
    EXPECT_TRUE(fits(sign * std::ldexp(1.0, -44)));
    EXPECT_TRUE(fits(sign * std::nextafter(std::ldexp(1.0, -44), 1.0)));
    EXPECT_FALSE(fits(sign * std::nextafter(std::ldexp(1.0, -44), 0.0)));
    EXPECT_FALSE(fits(sign * DBL_MIN));
    EXPECT_FALSE(fits(sign * std::numeric_limits<double>::denorm_min()));
    EXPECT_FALSE(fits(sign * std::numeric_limits<double>::infinity()));
  }
  EXPECT_FALSE(fits(std::numeric_limits<double>::quiet_NaN()));
  // 2^31 values just below 2^64 do not overflow the window.
  double acc[kAccumulatorWidth] = {};
  const double top = std::nextafter(std::ldexp(1.0, 64), 0.0);
  double part[kAccumulatorWidth] = {};
  ASSERT_TRUE(exactSumAdd(part, -top));
  for (int doubling = 0; doubling < 31; ++doubling) {
    double copy[kAccumulatorWidth];
    std::copy(part, part + kAccumulatorWidth, copy);
    exactSumMerge(part, copy); // part = 2^(doubling + 1) values of -top
  }
  exactSumMerge(acc, part);
  EXPECT_EQ(exactSumRound(acc), -top * std::ldexp(1.0, 31));
}

// Values of every magnitude (the full exponent range, but partial sums that cannot overflow),
// many in the window, many escaping it, with cancellations.
std::vector<double> wildValues(std::mt19937_64& random, size_t count) {
  std::uniform_int_distribution<int> exponent(-1074, 1000), nearOne(-60, 70), kind(0, 5);
  std::uniform_real_distribution<double> unit(1.0, 2.0);
  std::vector<double> values;
  for (size_t i = 0; i < count; ++i) {
    const int k = kind(random);
    double v = k == 0   ? std::ldexp(unit(random), exponent(random))
               : k == 1 ? static_cast<double>(random() % 2000001) / 100.0      // cents
               : k == 2 && !values.empty() ? -values[random() % values.size()] // cancels
                                           : std::ldexp(unit(random), nearOne(random));
    if (random() % 2)
      v = -v;
    values.push_back(v);
  }
  return values;
}

TEST(ExactSum, RandomValuesMatchTheOracleInAnyOrderAndSplit) {
  std::mt19937_64 random(21);
  for (int trial = 0; trial < 3000; ++trial) {
    std::vector<double> values = wildValues(random, 1 + trial % 40);
    const double expected = fsum(values);
    ASSERT_EQ(bits(exactSum(values)), bits(expected == 0 ? 0.0 : expected)) << "trial " << trial;
    // Another order, cut into two blocks merged: the same bits.
    std::shuffle(values.begin(), values.end(), random);
    const size_t split = random() % (values.size() + 1);
    double before[kAccumulatorWidth] = {}, after[kAccumulatorWidth] = {};
    std::vector<double> escaped;
    for (size_t i = 0; i < values.size(); ++i)
      if (updateAggregate(AggregateKind::Avg, i < split ? before : after, {values[i], true}))
        escaped.push_back(values[i]);
    mergeAggregate(AggregateKind::Avg, after, before);
    const AggregateResult avg = finalizeAccumulated(AggregateKind::Avg, after, escaped);
    ASSERT_TRUE(avg.present);
    ASSERT_EQ(bits(avg.value),
              bits((expected == 0 ? 0.0 : expected) / static_cast<double>(values.size())))
        << "trial " << trial;
  }
}

TEST(ExactSum, AvgIsTheRoundedSumOverTheCount) {
  double acc[kAccumulatorWidth] = {};
  for (int i = 0; i < 10; ++i)
    EXPECT_FALSE(updateAggregate(AggregateKind::Avg, acc, {0.1, true}));
  EXPECT_FALSE(updateAggregate(AggregateKind::Avg, acc, {0.0, false})); // missing: not counted
  EXPECT_EQ(acc[3], 10);
  EXPECT_EQ(finalizeAccumulated(AggregateKind::Avg, acc).value, 0.1);
  // The escapes count too: 1e100 escapes, and is one of three.
  double big[kAccumulatorWidth] = {};
  std::vector<double> escaped;
  for (double v : {1e100, 3.0, -1e100})
    if (updateAggregate(AggregateKind::Avg, big, {v, true}))
      escaped.push_back(v);
  EXPECT_EQ(escaped.size(), 2u);
  EXPECT_EQ(finalizeAccumulated(AggregateKind::Avg, big, escaped).value, 1.0);
}

// A chunked scan of sum and avg over values of every magnitude, with escapes from every chunk
// on several threads: each subject's results equal the oracle's, for any number of threads.
TEST(ExactSum, ChunkedScansWithEscapesFromSeveralThreads) {
  Plan plan;
  plan.tables.resize(2);
  plan.columns.push_back(BoundColumnSpec{1, 0, Storage::F64, "t.value", false, false});
  ScanKernel& scan = plan.scans.emplace_back();
  scan.table = 1;
  PNode& node = scan.nodes.emplace_back();
  node.op = POp::Column;
  node.a = 0;
  scan.updates.push_back({AggregateKind::Sum, plan.aggregateCount++, -1, 0, -1});
  scan.updates.push_back({AggregateKind::Avg, plan.aggregateCount++, -1, 0, -1});

  const int64_t rows = 300000, subjects = 5;
  ASSERT_GT(scanChunkCount(scan, rows, subjects), 2u) << "the test must cut the scan";
  std::mt19937_64 random(5);
  std::vector<double> values = wildValues(random, rows);
  std::vector<int32_t> rowSubjects(rows);
  std::vector<uint8_t> valid(rows, 1);
  std::vector<std::vector<double>> perSubject(subjects);
  for (int64_t r = 0; r < rows; ++r) {
    rowSubjects[r] = static_cast<int32_t>(random() % (subjects + 1)) - 1;
    if (rowSubjects[r] >= 0)
      perSubject[rowSubjects[r]].push_back(values[r]);
  }
  const void* columnValues[] = {values.data()};
  const uint8_t* columnValid[] = {valid.data()};
  auto interpreter = makeInterpreter(plan);
  for (unsigned threads : {1u, 2u, 3u}) {
    std::vector<double> accumulators(plan.aggregateCount * subjects * kAccumulatorWidth, 0.0);
    CollectedValues collected(plan, subjects);
    KernelArgs args{};
    args.columnValues = columnValues;
    args.columnValid = columnValid;
    args.rowSubjects = rowSubjects.data();
    args.rows = rows;
    args.subjects = subjects;
    args.accumulators = accumulators.data();
    args.collectedValues = &collected;
    runScanInChunks(*interpreter, plan, 0, args, threads);
    std::vector<double> results(plan.aggregateCount * subjects);
    std::vector<uint8_t> present(results.size());
    for (const AggregateUpdate& update : scan.updates)
      finalizeAggregate(update, subjects, subjects, accumulators, collected, results, present);
    for (int64_t s = 0; s < subjects; ++s) {
      SCOPED_TRACE("threads " + std::to_string(threads) + ", subject " + std::to_string(s));
      EXPECT_FALSE(collected.escaped(0, s).empty()) << "the test must escape";
      const double expected = fsum(perSubject[s]);
      EXPECT_EQ(bits(results[s]), bits(expected));
      EXPECT_EQ(bits(results[subjects + s]),
                bits(expected / static_cast<double>(perSubject[s].size())));
    }
  }
}

} // namespace
} // namespace fulcrum::runtime
