// A value that may be missing, with the operators of Fulcrum's plan semantics
// (runtime/exec/Interpreter.cpp): arithmetic is missing when an operand is, division by zero
// is missing, `least` is missing when any operand is. A missing value's number is 0.
#pragma once

#include <cmath>
#include <initializer_list>

namespace handwritten {

struct Maybe {
  double value = 0;
  bool present = false;
};

inline constexpr Maybe kMissing{};
inline Maybe some(double value) {
  return {value, true};
}

inline Maybe operator+(Maybe a, Maybe b) {
  return a.present && b.present ? some(a.value + b.value) : kMissing;
}
inline Maybe operator*(Maybe a, Maybe b) {
  return a.present && b.present ? some(a.value * b.value) : kMissing;
}
inline Maybe operator/(Maybe a, Maybe b) {
  return a.present && b.present && b.value != 0 ? some(a.value / b.value) : kMissing;
}

inline Maybe clamp(Maybe x, double lo, double hi) {
  if (!x.present)
    return kMissing;
  return some(x.value < lo ? lo : x.value > hi ? hi : x.value);
}

inline Maybe ceilOf(Maybe x) {
  return x.present ? some(std::ceil(x.value)) : kMissing;
}

// `a ?? b`
inline Maybe orElse(Maybe a, Maybe b) {
  return a.present ? a : b;
}

inline Maybe least(Maybe a, Maybe b, Maybe c, Maybe d) {
  if (!a.present || !b.present || !c.present || !d.present)
    return kMissing;
  double low = a.value;
  for (double v : {b.value, c.value, d.value})
    if (v < low)
      low = v;
  return some(low);
}

// Money is exact, as in Fulcrum (language.md, "Money is exact"; support/Money.h): an amount is
// a whole number of units of 1/10,000 in a double, so sums of amounts are exact, and a product or
// quotient that is money, or an avg of money, is rounded to the unit with halves away from zero
// (std::round, as Fulcrum's RoundMoney). Results show units / kMoneyUnitsPerDollar.
inline constexpr double kMoneyUnitsPerDollar = 10000;

// An amount read in dollars as whole units (the data's amounts have at most four decimals).
inline double moneyUnits(double dollars) {
  return std::round(dollars * kMoneyUnitsPerDollar);
}

inline Maybe roundMoney(Maybe units) {
  return units.present ? some(std::round(units.value)) : kMissing;
}

// Units as dollars, for the result.
inline Maybe dollarsOf(Maybe units) {
  return units.present ? some(units.value / kMoneyUnitsPerDollar) : kMissing;
}

// Counts and sums over no rows are 0, never missing.
inline Maybe count(long long n) {
  return some(static_cast<double>(n));
}

} // namespace handwritten
