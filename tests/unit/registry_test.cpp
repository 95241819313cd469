// The registries of runtime/plan/*.def as data, and the aggregate traits that run their rows:
// every row is consistent, and every accumulating aggregate merges exactly (the chunked, threaded
// scans depend on it).
#include "runtime/exec/Aggregation.h"
#include "runtime/plan/Functions.h"

#include <bit>
#include <gtest/gtest.h>
#include <random>
#include <vector>

namespace fulcrum::runtime {
namespace {

TEST(Registry, EveryAggregateRowIsConsistent) {
  for (const AggregateInfo& info : aggregates()) {
    SCOPED_TRACE(std::string(info.name));
    EXPECT_EQ(&aggregateInfo(info.kind), &info);
    EXPECT_TRUE(knownAggregate(info.kind));
    EXPECT_EQ(findAggregate(info.name, info.clause == AggregateClause::Distinct), &info);
    // A block that fits the kernel ABI, and none for an aggregate that keeps its values.
    EXPECT_LE(info.width, kAccumulatorWidth);
    EXPECT_EQ(info.width == 0, info.keepsValues());
  }
  EXPECT_FALSE(knownAggregate(static_cast<AggregateKind>(aggregates().size())));
  EXPECT_EQ(findAggregate("count", true)->kind, AggregateKind::CountDistinct);
  EXPECT_EQ(findAggregate("sum", true)->kind, AggregateKind::Sum); // the checker reports it
  EXPECT_EQ(findAggregate("total"), nullptr);
  EXPECT_EQ(aggregateSpelling(AggregateKind::CountDistinct), "count_distinct");
}

TEST(Registry, EveryFunctionRowIsAnOpSpelledByItsName) {
  for (const FunctionInfo& info : functions()) {
    SCOPED_TRACE(std::string(info.name));
    EXPECT_EQ(findFunction(info.name), &info);
    EXPECT_EQ(functionOf(info.op), &info);
    EXPECT_EQ(opSpelling(info.op), info.name);
    EXPECT_EQ(knownOp(info.op), info.lowering != FunctionLowering::RunParameter);
    EXPECT_GE(info.paramCount, 1u);
    EXPECT_LE(info.paramCount, kMaxFunctionParams);
    const NodeOperands uses = nodeOperands(info.op);
    const int operands = uses.a + uses.b + uses.c;
    switch (info.lowering) {
    case FunctionLowering::ListOfOperands:
      EXPECT_TRUE(uses.list && !uses.a);
      break;
    case FunctionLowering::Operands:
      EXPECT_EQ(operands, info.maxArgs);
      break;
    case FunctionLowering::OperandsAndAsOf:
      EXPECT_EQ(operands, info.maxArgs + 1);
      break;
    case FunctionLowering::RunParameter:
      EXPECT_EQ(operands, 0);
      break;
    }
  }
  EXPECT_EQ(findFunctionByAlias("min")->op, POp::Least);
  EXPECT_EQ(findFunctionByAlias("max")->op, POp::Greatest);
  EXPECT_EQ(findFunctionByAlias("sum"), nullptr);
  EXPECT_EQ(functionOf(POp::Add), nullptr);
  EXPECT_STREQ(opSpelling(POp::InSet), "in_set");
}

// Rows with random whole values (so that a sum is exact in any order: merging changes the order
// of additions, and exactly rounded sums of any doubles are issue 21's), some missing, and keys
// with ties.
std::vector<AggregateRow> randomRows(std::mt19937& random, size_t count) {
  std::uniform_int_distribution<int> small(-3, 3);
  std::uniform_int_distribution<int> value(-1000000, 1000000);
  std::vector<AggregateRow> rows(count);
  for (AggregateRow& row : rows) {
    row.valid = small(random) != 0;
    row.value = row.valid ? (small(random) > 0 ? value(random) : small(random)) : 0;
    row.keyValid = small(random) != -3;
    row.key = row.keyValid ? small(random) : 0;
  }
  return rows;
}

uint64_t bits(double value) {
  return std::bit_cast<uint64_t>(value);
}

// Updating rows one by one and merging a split into two blocks give the same block, bit for
// bit, for every aggregate whose row says it merges.
TEST(Registry, AccumulatingAggregatesMergeAsIfInOnePass) {
  std::mt19937 random(19);
  for (const AggregateInfo& info : aggregates()) {
    if (!info.merges())
      continue;
    SCOPED_TRACE(std::string(info.name));
    for (int trial = 0; trial < 200; ++trial) {
      const std::vector<AggregateRow> rows = randomRows(random, 1 + trial % 17);
      const size_t split = std::uniform_int_distribution<size_t>(0, rows.size())(random);
      double whole[kAccumulatorWidth] = {}, before[kAccumulatorWidth] = {},
             after[kAccumulatorWidth] = {};
      for (size_t i = 0; i < rows.size(); ++i) {
        updateAggregate(info.kind, whole, rows[i]);
        updateAggregate(info.kind, i < split ? before : after, rows[i]);
      }
      mergeAggregate(info.kind, before, after);
      for (int k = 0; k < info.width; ++k)
        ASSERT_EQ(bits(whole[k]), bits(before[k])) << "trial " << trial << ", word " << k;
      const AggregateResult a = finalizeAccumulated(info.kind, whole);
      const AggregateResult b = finalizeAccumulated(info.kind, before);
      ASSERT_EQ(a.present, b.present);
      ASSERT_EQ(bits(a.value), bits(b.value));
    }
  }
}

TEST(Registry, AccumulatingAggregatesOverNoRows) {
  const double zero[kAccumulatorWidth] = {};
  for (const AggregateInfo& info : aggregates()) {
    if (!info.merges())
      continue;
    SCOPED_TRACE(std::string(info.name));
    const AggregateResult none = finalizeAccumulated(info.kind, zero);
    EXPECT_EQ(none.present, info.whenNone == AggregateWhenNone::ZeroWhenNone);
    EXPECT_EQ(none.value, 0);
  }
}

TEST(Registry, KeptValuesFinalizeByTheirTraits) {
  std::vector<double> none;
  EXPECT_FALSE(finalizeValues(AggregateKind::Median, none).present);
  std::vector<double> odd{5, -1, 3};
  EXPECT_EQ(finalizeValues(AggregateKind::Median, odd).value, 3);
  std::vector<double> even{10, 2, 4, 8};
  EXPECT_EQ(finalizeValues(AggregateKind::Median, even).value, 6);
  // The mean of the two middle values never overflows.
  std::vector<double> huge{1.5e308, 1.7e308};
  EXPECT_EQ(finalizeValues(AggregateKind::Median, huge).value, 1.6e308);
  std::vector<double> repeated{2, 2, 3, 2};
  const AggregateResult distinct = finalizeValues(AggregateKind::CountDistinct, repeated);
  EXPECT_TRUE(distinct.present);
  EXPECT_EQ(distinct.value, 2);
  EXPECT_TRUE(finalizeValues(AggregateKind::CountDistinct, none).present); // 0, not missing
}

} // namespace
} // namespace fulcrum::runtime
