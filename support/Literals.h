// The values of literal tokens: numbers with `_` separators, money with k/M/B, durations.
#pragma once

#include "support/Calendar.h"
#include "support/Money.h"

#include <optional>
#include <string_view>

namespace fulcrum {

// `1_200_000`, `2.5` -> the number; nullopt when it does not fit a double.
std::optional<double> parseNumberLiteral(std::string_view text);
// `$40`, `$1.2M`, `$300k`: exact, in units of 1/10,000 (support/Money.h).
MoneyText parseMoneyLiteral(std::string_view text);
// `40%` -> 0.4.
std::optional<double> parsePercentLiteral(std::string_view text);

// The most periods a duration or `previous N units` may count (a count is an int).
constexpr int kMaxPeriodCount = 100000;

struct DurationValue {
  int count = 0;
  PeriodUnit unit = PeriodUnit::Day;
};
// `14 days`, `2 quarters`; nullopt past kMaxPeriodCount.
std::optional<DurationValue> parseDurationLiteral(std::string_view text);
// A duration's value at run time: days for days and weeks (`2 weeks` is 14), months for months,
// quarters and years (`1 year` is 12); isCalendarUnit says which.
inline double durationRunValue(int count, PeriodUnit unit) {
  if (isCalendarUnit(unit))
    return static_cast<double>(count) * monthsIn(unit);
  return static_cast<double>(count) * (unit == PeriodUnit::Week ? 7 : 1);
}

} // namespace fulcrum
