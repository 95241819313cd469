// sortForRank (runtime/exec/Ranks.h): its radix sort gives the order of the comparison the rank
// step is defined by (group, then value, then subject), on values with ties, -0 and 0, negative
// and huge values, in one group and in several, ascending and descending.
#include "runtime/exec/Ranks.h"

#include <algorithm>
#include <cmath>
#include <gtest/gtest.h>
#include <limits>
#include <random>
#include <vector>

namespace fulcrum::runtime {
namespace {

std::vector<int32_t> byComparison(std::vector<int32_t> ranked, const std::vector<int32_t>& groupOf,
                                  const std::vector<double>& input, bool descending) {
  std::sort(ranked.begin(), ranked.end(), [&](int32_t a, int32_t b) {
    if (groupOf[a] != groupOf[b])
      return groupOf[a] < groupOf[b];
    if (input[a] != input[b])
      return descending ? input[a] > input[b] : input[a] < input[b];
    return a < b;
  });
  return ranked;
}

TEST(RankSort, RadixOrderIsTheComparisonOrder) {
  std::mt19937_64 random(24);
  const double specials[] = {0.0,
                             -0.0,
                             1.0,
                             -1.0,
                             0.5,
                             -0.5,
                             1e300,
                             -1e300,
                             1e-300,
                             -1e-300,
                             std::numeric_limits<double>::denorm_min(),
                             std::numeric_limits<double>::max(),
                             -std::numeric_limits<double>::max(),
                             2.0,
                             3.0};
  for (const size_t subjects : {1u, 7u, 255u, 256u, 257u, 3000u, 70000u}) {
    for (const size_t groups : {1u, 2u, 13u}) {
      for (const bool descending : {false, true}) {
        SCOPED_TRACE(testing::Message() << subjects << " subjects, " << groups << " groups, "
                                        << (descending ? "desc" : "asc"));
        std::vector<double> input(subjects);
        std::vector<int32_t> groupOf(subjects), ranked;
        for (size_t s = 0; s < subjects; ++s) {
          switch (random() % 4) {
          case 0: // a special value, often repeated: ties, signed zeros
            input[s] = specials[random() % std::size(specials)];
            break;
          case 1: // few distinct values: long runs of ties
            input[s] = static_cast<double>(random() % 5) - 2;
            break;
          default: // anything finite, either sign, any magnitude
            input[s] = std::ldexp(static_cast<double>(random() % 1000000) - 500000,
                                  static_cast<int>(random() % 200) - 100);
          }
          groupOf[s] = static_cast<int32_t>(random() % groups);
          ranked.push_back(static_cast<int32_t>(s));
        }
        const std::vector<int32_t> expected = byComparison(ranked, groupOf, input, descending);
        sortForRank(ranked, groupOf, groups, input.data(), descending);
        EXPECT_EQ(ranked, expected);
      }
    }
  }
}

// Subjects left out of the ranking (a missing value or group) are simply not in `ranked`: the
// sort orders the ones given, whatever their numbers.
TEST(RankSort, SortsOnlyTheSubjectsGiven) {
  std::vector<double> input(1000);
  std::vector<int32_t> groupOf(1000, 0), ranked;
  for (size_t s = 0; s < input.size(); ++s) {
    input[s] = static_cast<double>((s * 7919) % 613);
    if (s % 3 != 0)
      ranked.push_back(static_cast<int32_t>(s));
  }
  const std::vector<int32_t> expected = byComparison(ranked, groupOf, input, true);
  sortForRank(ranked, groupOf, 1, input.data(), true);
  EXPECT_EQ(ranked, expected);
}

} // namespace
} // namespace fulcrum::runtime
