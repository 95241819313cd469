// Day numbers (days since 1970-01-01) and the quarter arithmetic the benchmark frameworks need.
#pragma once

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace handwritten {

// A missing date: far outside any period, so unsigned range tests reject it.
inline constexpr int32_t kNoDay = INT32_MIN;

int32_t daysFromCivil(int year, int month, int day);
int daysInMonth(int year, int month);

// `YYYY-MM-DD`, validated; nullopt when malformed.
std::optional<int32_t> parseDay(std::string_view text);
// A day number as `YYYY-MM-DD` (years 0 to 9999).
std::string formatDay(int32_t day);

// An inclusive range of days.
struct DayRange {
  int32_t first = 0, last = 0;
  // Unsigned subtraction: one compare, and kNoDay falls outside every range.
  bool contains(int32_t day) const {
    return static_cast<uint32_t>(day) - static_cast<uint32_t>(first) <=
           static_cast<uint32_t>(last - first);
  }
};

// A range that holds no day: INT32_MAX is no date's number (parseDay's years have 4 digits), and
// kNoDay falls outside it too.
inline constexpr DayRange kNoDays{INT32_MAX, INT32_MAX};

// What `in period` counts as of `asOf` (language.md, "As of a date"): the period to date, up to
// the as-of day when that falls inside the period; no day at all when it is before the period.
inline DayRange periodToDate(DayRange period, int32_t asOf) {
  if (asOf < period.first)
    return kNoDays;
  return {period.first, std::min(period.last, asOf)};
}

// A period value as Fulcrum compares them: its first day and length together, so `2018-Q3`
// equals only a period with the same bounds.
inline int64_t periodKey(DayRange range) {
  return static_cast<int64_t>(range.first) * 1048576 + (range.last - range.first);
}

// A period cell: `2018-Q3`, `2018-07`, `2018` or a single day `2018-07-01`.
std::optional<DayRange> parsePeriodCell(std::string_view text);

// `2018-Q3` only (the frameworks' cadence).
std::optional<DayRange> parseQuarter(std::string_view text);

// The `count` whole quarters just before the quarter starting at `quarterStart`.
DayRange previousQuarters(int32_t quarterStart, int count);

// Monday..Friday days in the range.
int workingDays(DayRange range);

} // namespace handwritten
