// Dependency ordering: dependencies first, cycles reported with their path, no recursion.
#include "compiler/check/Graph.h"

#include <gtest/gtest.h>

namespace fulcrum {
namespace {

TEST(Graph, OrdersDependenciesFirst) {
  // 0 reads 2, 2 reads 1.
  const auto result = orderDependencies({{2}, {}, {1}});
  EXPECT_EQ(result.order, (std::vector<int>{1, 2, 0}));
  EXPECT_TRUE(result.cycles.empty());
}

TEST(Graph, ReportsACycleWithItsPathAndLeavesItOut) {
  // 0 -> 1 -> 2 -> 0, and 3 reads 0, 4 stands alone.
  const auto result = orderDependencies({{1}, {2}, {0}, {0}, {}});
  ASSERT_EQ(result.cycles.size(), 1u);
  EXPECT_EQ(result.cycles[0], (std::vector<int>{0, 1, 2, 0}));
  EXPECT_EQ(result.order, (std::vector<int>{4}));
}

TEST(Graph, SelfLoopIsACycle) {
  const auto result = orderDependencies({{0}});
  ASSERT_EQ(result.cycles.size(), 1u);
  EXPECT_EQ(result.cycles[0], (std::vector<int>{0, 0}));
}

TEST(Graph, LongChainsDoNotRecurse) {
  std::vector<std::vector<int>> chain(200000);
  for (int i = 1; i < 200000; ++i)
    chain[i].push_back(i - 1);
  const auto result = orderDependencies(chain);
  ASSERT_EQ(result.order.size(), 200000u);
  EXPECT_EQ(result.order.front(), 0);
  EXPECT_EQ(result.order.back(), 199999);
}

} // namespace
} // namespace fulcrum
