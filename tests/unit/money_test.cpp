// Exact money (support/Money.h): amounts read from text exactly, in units of 1/10,000; printed
// back exactly; shown as people read money. The oracle for the round trips is integer arithmetic
// on the units themselves.
#include "support/Literals.h"
#include "support/Money.h"

#include <cstdint>
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <random>

namespace fulcrum {
namespace {

double cell(const char* text) {
  const MoneyText money = parseMoneyText(text, MoneySyntax::Cell);
  EXPECT_EQ(money.error, MoneyTextError::None) << text;
  return money.units;
}

MoneyTextError cellError(const char* text) {
  return parseMoneyText(text, MoneySyntax::Cell).error;
}

TEST(Money, CellsAreReadExactly) {
  EXPECT_EQ(cell("1200"), 12'000'000);
  EXPECT_EQ(cell("-3.50"), -35'000);
  EXPECT_EQ(cell("$1200"), 12'000'000);
  EXPECT_EQ(cell("-$3.5"), -35'000);
  EXPECT_EQ(cell("$-3.5"), -35'000);
  EXPECT_EQ(cell("0.0001"), 1);
  EXPECT_EQ(cell("12.50000"), 125'000); // trailing zeros do not count as decimals
  EXPECT_EQ(cell("-0"), 0);
  EXPECT_EQ(cell("1."), 10'000);
  EXPECT_EQ(cell("900719925474.0991"), kMaxMoneyUnits);
  EXPECT_EQ(cell("-900719925474.0991"), -kMaxMoneyUnits);
  // 0.1 + 0.2 as units: exactly 0.3.
  EXPECT_EQ(cell("0.1") + cell("0.2"), cell("0.3"));
}

TEST(Money, BadCellsSayWhy) {
  EXPECT_EQ(cellError("1.23456"), MoneyTextError::TooManyDecimals);
  EXPECT_EQ(cellError("0.00001"), MoneyTextError::TooManyDecimals);
  EXPECT_EQ(cellError("900719925474.0992"), MoneyTextError::OutOfRange);
  EXPECT_EQ(cellError("100000000000000000000000"), MoneyTextError::OutOfRange);
  for (const char* bad : {"", "$", "-", "12x", "1e5", "--3", "1.2.3", "$1_200", "1,200", "1.2M"})
    EXPECT_EQ(cellError(bad), MoneyTextError::Malformed) << bad;
}

TEST(Money, LiteralsTakeSeparatorsAndSuffixes) {
  EXPECT_EQ(parseMoneyLiteral("$1_200_000").units, 12'000'000'000);
  EXPECT_EQ(parseMoneyLiteral("$1.2M").units, 12'000'000'000);
  EXPECT_EQ(parseMoneyLiteral("$300k").units, 3'000'000'000);
  EXPECT_EQ(parseMoneyLiteral("$1b").units, 10'000'000'000'000);
  EXPECT_EQ(parseMoneyLiteral("$1.23456k").units, 12'345'600); // four decimals after scaling
  EXPECT_EQ(parseMoneyLiteral("$1.23456").error, MoneyTextError::TooManyDecimals);
  EXPECT_EQ(parseMoneyLiteral("$1_").error, MoneyTextError::Malformed);
  EXPECT_EQ(parseMoneyLiteral("$_1").error, MoneyTextError::Malformed);
  EXPECT_EQ(parseMoneyLiteral("40").error, MoneyTextError::Malformed); // a literal has its `$`
  EXPECT_EQ(parseMoneyLiteral("$1000B").error, MoneyTextError::OutOfRange);
}

// Every amount printed plainly reads back as itself, and its text is what integer arithmetic on
// the units says: whole part, then the fraction without trailing zeros.
TEST(Money, PlainTextRoundTrips) {
  std::mt19937_64 random(21);
  std::uniform_int_distribution<int64_t> units(-static_cast<int64_t>(kMaxMoneyUnits),
                                               static_cast<int64_t>(kMaxMoneyUnits));
  for (int i = 0; i < 20000; ++i) {
    const int64_t u = i < 10 ? i - 5 : units(random) / (i % 3 == 0 ? 1 : 1'000'000);
    const std::string text = plainMoney(static_cast<double>(u));
    const int64_t magnitude = u < 0 ? -u : u;
    std::string expected = fmt::format("{}{}", u < 0 ? "-" : "", magnitude / 10000);
    if (magnitude % 10000 != 0) {
      std::string fraction = fmt::format("{:04}", magnitude % 10000);
      while (fraction.back() == '0')
        fraction.pop_back();
      expected += "." + fraction;
    }
    ASSERT_EQ(text, expected) << u;
    ASSERT_EQ(parseMoneyText(text, MoneySyntax::Cell).units, static_cast<double>(u)) << text;
  }
}

TEST(Money, ShownAsPeopleReadMoney) {
  EXPECT_EQ(shownMoney(12'340'000), "$1,234");
  EXPECT_EQ(shownMoney(12'345'000), "$1,234.50");
  EXPECT_EQ(shownMoney(-12'340'000), "-$1,234");
  EXPECT_EQ(shownMoney(12'345'678), "$1,234.57"); // a fraction of a cent rounds for display
  EXPECT_EQ(shownMoney(-49), "$0");               // less than half a cent: no sign
  EXPECT_EQ(shownMoney(kMaxMoneyUnits), "$900,719,925,474.10");
}

TEST(Money, RoundingToUnitsIsHalfAwayFromZeroWithinRange) {
  EXPECT_EQ(*roundedMoneyUnits(2.5), 3);
  EXPECT_EQ(*roundedMoneyUnits(-2.5), -3);
  EXPECT_EQ(*roundedMoneyUnits(2.4999), 2);
  EXPECT_FALSE(roundedMoneyUnits(kMaxMoneyUnits + 2));
  EXPECT_FALSE(roundedMoneyUnits(1e300));
}

} // namespace
} // namespace fulcrum
