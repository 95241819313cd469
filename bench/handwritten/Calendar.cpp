// Civil dates to day numbers (the proleptic Gregorian calendar, counted in 400-year cycles).
#include "bench/handwritten/Calendar.h"

#include <fmt/format.h>

namespace handwritten {

int32_t daysFromCivil(int year, int month, int day) {
  // Count from March so the leap day is the last day of the (shifted) year.
  if (month <= 2)
    year -= 1;
  const int cycle = (year >= 0 ? year : year - 399) / 400;
  const int yearInCycle = year - cycle * 400;
  const int shiftedMonth = month > 2 ? month - 3 : month + 9;
  const int dayInYear = (153 * shiftedMonth + 2) / 5 + day - 1;
  const int dayInCycle = yearInCycle * 365 + yearInCycle / 4 - yearInCycle / 100 + dayInYear;
  return cycle * 146097 + dayInCycle - 719468; // 719468: 0000-03-01 to 1970-01-01
}

int daysInMonth(int year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month == 2 && leap ? 29 : kDays[month - 1];
}

static bool digitsAt(std::string_view text, size_t at, size_t count, int& out) {
  out = 0;
  for (size_t i = at; i < at + count; ++i) {
    const unsigned digit = static_cast<unsigned char>(text[i]) - '0';
    if (digit > 9)
      return false;
    out = out * 10 + static_cast<int>(digit);
  }
  return true;
}

std::optional<int32_t> parseDay(std::string_view text) {
  int year = 0, month = 0, day = 0;
  if (text.size() != 10 || text[4] != '-' || text[7] != '-' || !digitsAt(text, 0, 4, year) ||
      !digitsAt(text, 5, 2, month) || !digitsAt(text, 8, 2, day))
    return std::nullopt;
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month))
    return std::nullopt;
  return daysFromCivil(year, month, day);
}

std::string formatDay(int32_t day) {
  // The inverse of daysFromCivil, counted from 0000-03-01 in 400-year cycles.
  const int32_t z = day + 719468;
  const int32_t cycle = (z >= 0 ? z : z - 146096) / 146097;
  const int32_t dayInCycle = z - cycle * 146097;
  const int32_t yearInCycle =
      (dayInCycle - dayInCycle / 1460 + dayInCycle / 36524 - dayInCycle / 146096) / 365;
  const int32_t dayInYear = dayInCycle - (365 * yearInCycle + yearInCycle / 4 - yearInCycle / 100);
  const int32_t shiftedMonth = (5 * dayInYear + 2) / 153;
  const int dayOfMonth = dayInYear - (153 * shiftedMonth + 2) / 5 + 1;
  const int month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9;
  const int year = yearInCycle + cycle * 400 + (month <= 2);
  return fmt::format("{:04}-{:02}-{:02}", year, month, dayOfMonth);
}

static DayRange quarterRange(int year, int quarter) {
  const int firstMonth = (quarter - 1) * 3 + 1;
  const int lastMonth = firstMonth + 2;
  return {daysFromCivil(year, firstMonth, 1),
          daysFromCivil(year, lastMonth, daysInMonth(year, lastMonth))};
}

std::optional<DayRange> parseQuarter(std::string_view text) {
  int year = 0, quarter = 0;
  if (text.size() != 7 || text[4] != '-' || text[5] != 'Q' || !digitsAt(text, 0, 4, year) ||
      !digitsAt(text, 6, 1, quarter) || quarter < 1 || quarter > 4)
    return std::nullopt;
  return quarterRange(year, quarter);
}

std::optional<DayRange> parsePeriodCell(std::string_view text) {
  if (auto quarter = parseQuarter(text))
    return quarter;
  int year = 0, month = 0;
  if (text.size() == 4 && digitsAt(text, 0, 4, year))
    return DayRange{daysFromCivil(year, 1, 1), daysFromCivil(year, 12, 31)};
  if (text.size() == 7 && text[4] == '-' && digitsAt(text, 0, 4, year) &&
      digitsAt(text, 5, 2, month) && month >= 1 && month <= 12)
    return DayRange{daysFromCivil(year, month, 1),
                    daysFromCivil(year, month, daysInMonth(year, month))};
  if (auto day = parseDay(text))
    return DayRange{*day, *day};
  return std::nullopt;
}

// The year and quarter (1..4) holding a day.
static void quarterOf(int32_t day, int& year, int& quarter) {
  // Start from an estimate and correct it: day numbers are monotone in (year, quarter).
  year = 1970 + static_cast<int>(day / 365.2425);
  while (daysFromCivil(year, 1, 1) > day)
    --year;
  while (daysFromCivil(year + 1, 1, 1) <= day)
    ++year;
  quarter = 4;
  while (daysFromCivil(year, (quarter - 1) * 3 + 1, 1) > day)
    --quarter;
}

DayRange previousQuarters(int32_t quarterStart, int count) {
  int year = 0, quarter = 0;
  quarterOf(quarterStart - 1, year, quarter);
  int linear = year * 4 + (quarter - 1) - (count - 1);
  const DayRange earliest = quarterRange(linear / 4, linear % 4 + 1);
  return {earliest.first, quarterStart - 1};
}

int workingDays(DayRange range) {
  int count = 0;
  for (int32_t day = range.first; day <= range.last; ++day) {
    // 1970-01-01 was a Thursday: weekday 0 = Monday after the shift by 3.
    const int weekday = ((day + 3) % 7 + 7) % 7;
    count += weekday < 5;
  }
  return count;
}

} // namespace handwritten
