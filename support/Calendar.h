// Dates as day numbers and the calendar periods (year, quarter, month, ISO week, day) built on
// them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace fulcrum {

// Days since 1970-01-01 (proleptic Gregorian); negative before.
using DayNumber = int32_t;

DayNumber dayFromCivil(int year, int month, int day);
void civilFromDay(DayNumber day, int& year, int& month, int& dayOfMonth);
// ISO weekday: 1 = Monday ... 7 = Sunday.
int isoWeekday(DayNumber day);

// Parses `YYYY-MM-DD` strictly (a real calendar date); nullopt otherwise.
std::optional<DayNumber> parseDate(std::string_view text);
std::string formatDate(DayNumber day);

enum class PeriodUnit : uint8_t { Day, Week, Month, Quarter, Year };

// A calendar period: `2017-Q2`, `2017-05`, `2017-W18` (ISO week), `2017`, or one day.
struct Period {
  PeriodUnit unit = PeriodUnit::Quarter;
  int year = 0;
  int index = 1; // quarter 1-4, month 1-12, ISO week 1-53; day: the day number

  DayNumber start() const;
  DayNumber end() const; // inclusive last day
  Period shifted(int count) const;
  bool operator==(const Period&) const = default;
};

std::optional<Period> parsePeriod(std::string_view text);
std::string formatPeriod(const Period& period);
// `quarter`, `month`, `week`, `year`, `day` (and plurals) as used by `cadence` and windows.
std::optional<PeriodUnit> parsePeriodUnit(std::string_view word);
const char* periodUnitName(PeriodUnit unit);
// The period of `unit` that contains `day`.
Period periodContaining(DayNumber day, PeriodUnit unit);
// `day` moved by whole calendar months (the day of month clamped to the target month's end).
DayNumber addMonths(DayNumber day, int months);
// Monday to Friday days in [first, last].
int workingDaysBetween(DayNumber first, DayNumber last);
// Monday to Friday days in [first, last] that are not holidays (`holidays` may hold any days, in
// any order, repeated).
int workingDaysBetween(DayNumber first, DayNumber last, const std::vector<DayNumber>& holidays);

} // namespace fulcrum
