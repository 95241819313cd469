// Exact money: reading amounts, rounding to units, printing them (see Money.h).
#include "support/Money.h"

#include "support/Text.h"

#include <cmath>
#include <cstdint>
#include <fmt/format.h>

namespace fulcrum {

bool moneyInRange(double units) {
  return std::fabs(units) <= kMaxMoneyUnits; // false for NaN
}

std::optional<double> roundedMoneyUnits(double units) {
  const double rounded = std::round(units);
  if (!moneyInRange(rounded))
    return std::nullopt;
  return rounded;
}

std::optional<double> moneyUnitsOfDollars(double dollars) {
  return roundedMoneyUnits(dollars * kMoneyUnitsPerDollar);
}

MoneyText parseMoneyText(std::string_view text, MoneySyntax syntax, std::string_view sign) {
  const bool literal = syntax == MoneySyntax::Literal;
  bool negative = false;
  if (text.starts_with('-')) {
    negative = true;
    text.remove_prefix(1);
  }
  if (!sign.empty() && text.starts_with(sign)) {
    text.remove_prefix(sign.size());
    if (!negative && text.starts_with('-')) {
      negative = true;
      text.remove_prefix(1);
    }
  }
  int exponent = kMoneyDecimals; // units are 10^-4
  if (literal && !text.empty()) {
    switch (text.back()) {
    case 'k':
    case 'K':
      exponent += 3;
      break;
    case 'm':
    case 'M':
      exponent += 6;
      break;
    case 'b':
    case 'B':
      exponent += 9;
      break;
    default:
      break;
    }
    if (exponent != kMoneyDecimals)
      text.remove_suffix(1);
  }
  // The digits as one integer (a fraction's trailing zeros aside, as they change nothing), and
  // how many of them follow the point. No allocation: the loader calls this for every cell.
  const auto limit = static_cast<uint64_t>(kMaxMoneyUnits);
  uint64_t mantissa = 0;
  int fractionDigits = 0, pendingZeros = 0, digits = 0;
  bool dot = false, lastWasDigit = false, tooLarge = false;
  auto append = [&](uint64_t digit, int zerosBefore) {
    for (int i = 0; i <= zerosBefore; ++i) {
      tooLarge = tooLarge || mantissa > limit; // 10 * (2^53 - 1) + 9 fits 64 bits
      mantissa = mantissa * 10;
    }
    mantissa += digit;
  };
  for (char c : text) {
    if (c >= '0' && c <= '9') {
      ++digits;
      lastWasDigit = true;
      if (dot && c == '0') {
        ++pendingZeros;
        continue;
      }
      append(static_cast<uint64_t>(c - '0'), pendingZeros);
      fractionDigits += dot ? pendingZeros + 1 : 0;
      pendingZeros = 0;
    } else if (c == '.' && !dot) {
      dot = true;
      lastWasDigit = false;
    } else if (c == '_' && literal && lastWasDigit) {
      lastWasDigit = false;
    } else {
      return {0, MoneyTextError::Malformed};
    }
  }
  if (digits == 0 || (literal && text.back() == '_'))
    return {0, MoneyTextError::Malformed};
  int scale = exponent - fractionDigits; // units = mantissa * 10^scale
  if (scale < 0)
    return {0, MoneyTextError::TooManyDecimals};
  for (; scale > 0 && mantissa != 0; --scale) {
    tooLarge = tooLarge || mantissa > limit;
    mantissa *= 10;
  }
  if (tooLarge || mantissa > limit)
    return {0, MoneyTextError::OutOfRange};
  const auto value = static_cast<double>(mantissa);
  return {negative && mantissa != 0 ? -value : value, MoneyTextError::None};
}

std::string plainMoney(double units) {
  if (!moneyInRange(units) || units != std::round(units)) // never for a checked amount
    return fmt::format("{}", units / kMoneyUnitsPerDollar);
  const auto whole = static_cast<int64_t>(units);
  const int64_t magnitude = whole < 0 ? -whole : whole;
  std::string out = fmt::format("{}{}", whole < 0 ? "-" : "", magnitude / 10000);
  if (int64_t fraction = magnitude % 10000; fraction != 0) {
    std::string decimals = fmt::format("{:04}", fraction);
    while (decimals.back() == '0')
      decimals.pop_back();
    out += "." + decimals;
  }
  return out;
}

std::string shownMoney(double units, std::string_view currency) {
  if (!moneyInRange(units))
    return fmt::format("{}{}", currency, units / kMoneyUnitsPerDollar);
  const int64_t whole = std::llround(units);
  const int64_t magnitude = whole < 0 ? -whole : whole;
  const int64_t cents = (magnitude + 50) / 100; // halves away from zero
  const char* sign = whole < 0 && cents != 0 ? "-" : "";
  if (cents % 100 == 0)
    return fmt::format("{}{}{}", sign, currency, withThousands(cents / 100));
  return fmt::format("{}{}{}.{:02}", sign, currency, withThousands(cents / 100), cents % 100);
}

} // namespace fulcrum
