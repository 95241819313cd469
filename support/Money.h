// Exact money (language.md: "Money is exact"). An amount is a whole number of units of
// 1/10,000 of the currency, carried in a double: every whole number of units up to 2^53 - 1 is
// exact there, so sums, differences and comparisons of amounts are exact integer arithmetic,
// both engines keep their one value representation, and a sum's exact accumulation needs nothing
// of its own. The range is therefore +-$900,719,925,474.0991 (2^53 - 1 units), not a 64-bit
// integer's: a cell or literal outside it is an error, an amount computed outside it is missing.
// A product or quotient that is money (`value * 1.1`, `quota / 3`) is rounded to the nearest
// unit, halves away from zero, as SQL's DECIMAL(18,4) rounds.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace fulcrum {

inline constexpr double kMoneyUnitsPerDollar = 10000;
inline constexpr int kMoneyDecimals = 4;
// The largest amount in units: 2^53 - 1.
inline constexpr double kMaxMoneyUnits = 9007199254740991.0;

// Whether `units` is an amount money can hold (finite and within the range).
bool moneyInRange(double units);

// `x` rounded to a whole number of units (halves away from zero), or nullopt outside the range.
std::optional<double> roundedMoneyUnits(double units);
// An amount written in dollars (a bare number that meets money, a range's bound) in units,
// rounded to the unit; nullopt outside the range.
std::optional<double> moneyUnitsOfDollars(double dollars);

// Why a text is not an amount.
enum class MoneyTextError { None, Malformed, TooManyDecimals, OutOfRange };

struct MoneyText {
  double units = 0;
  MoneyTextError error = MoneyTextError::None;
};

// How an amount may be written: a data cell (`1200`, `-3.50`, `$1200`, `-$3.50`, `$-3.50`, the
// sign being the program's currency's: `€1200` in a `currency EUR` program), or
// a literal or `--param` value (also `_` between digits and a k, M or B suffix: `$1_200`,
// `$1.2M`, `$300k`).
enum class MoneySyntax { Cell, Literal };

// A decimal amount, read exactly. At most four decimals after a suffix's scaling (`$1.23456k`
// is fine, `$1.23456` is not); trailing zeros do not count.
// `sign` is the one currency sign a cell may carry (the program's; another's is malformed).
MoneyText parseMoneyText(std::string_view text, MoneySyntax syntax, std::string_view sign = "$");

// The shortest exact decimal of an amount, for CSV and JSON: `314291.68`, `-3.5`, `0`.
std::string plainMoney(double units);
// An amount for people: sign, `$`, thousands separators, cents only when there are any
// (`$1,234`, `$1,234.50`, `-$1,234`); a fraction of a cent is rounded to the cent for display.
// `sign` is the program's currency's (support/Currency.h): `€1,234`.
std::string shownMoney(double units, std::string_view sign = "$");
// Dollars as a double, for messages and for the checker's arithmetic on literals.
inline double moneyDollars(double units) {
  return units / kMoneyUnitsPerDollar;
}

} // namespace fulcrum
