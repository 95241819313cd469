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

// A period: `2017-Q2`, `2017-05`, `2017-W18` (ISO week), `2017`, or one day; or, under a fiscal
// calendar (`calendar fiscal year starts February`), a fiscal quarter or year: `FY2018-Q1`,
// `FY2018`. A fiscal year is named after the calendar year it ends in: with February as its
// start, FY2018 runs from 2017-02-01 to 2018-01-31. Months, weeks and days are the same in both.
struct Period {
  PeriodUnit unit = PeriodUnit::Quarter;
  int year = 0;  // the calendar year, the ISO week's year, or the fiscal year
  int index = 1; // quarter 1-4, month 1-12, ISO week 1-53; day: the day number
  // 0: a calendar period. 1-12: a fiscal quarter or year of a fiscal year starting in that month.
  int fiscalStart = 0;

  DayNumber start() const;
  DayNumber end() const; // inclusive last day
  Period shifted(int count) const;
  bool operator==(const Period&) const = default;
};

// `fiscalStart` (0: the program has no fiscal calendar) is the month the fiscal year starts in;
// `FY2018-Q1` and `FY2018` parse only when it is not 0.
std::optional<Period> parsePeriod(std::string_view text, int fiscalStart = 0);
// `FY...`: a fiscal period's spelling, whether or not it names a real one.
bool isFiscalPeriodText(std::string_view text);
std::string formatPeriod(const Period& period);
// `January` ... `December` (any case) -> 1 ... 12.
std::optional<int> parseMonthName(std::string_view word);
const char* monthName(int month);
// Whether periods of `unit` follow the fiscal calendar: quarters and years do.
inline bool followsFiscalYear(PeriodUnit unit) {
  return unit == PeriodUnit::Quarter || unit == PeriodUnit::Year;
}
// `quarter`, `month`, `week`, `year`, `day` (and plurals) as used by `cadence` and windows.
std::optional<PeriodUnit> parsePeriodUnit(std::string_view word);
const char* periodUnitName(PeriodUnit unit);
// The period of `unit` that contains `day`: a fiscal quarter or year when `fiscalStart` is a
// month and the unit follows the fiscal year.
Period periodContaining(DayNumber day, PeriodUnit unit, int fiscalStart = 0);
// The periods of `unit` (fiscal as periodContaining) that overlap [first, last], in order.
std::vector<Period> periodsOverlapping(DayNumber first, DayNumber last, PeriodUnit unit,
                                       int fiscalStart);
// The period of the usual units whose bounds are exactly [first, last], preferring a quarter,
// then a month, a week, a year and a day (fiscal quarters and years under a fiscal calendar).
std::optional<Period> periodWithBounds(DayNumber first, DayNumber last, int fiscalStart = 0);
// Months, quarters and years: units without a fixed number of days.
inline bool isCalendarUnit(PeriodUnit unit) {
  return unit == PeriodUnit::Month || unit == PeriodUnit::Quarter || unit == PeriodUnit::Year;
}
// The number of months in one `unit` (a calendar unit).
inline int monthsIn(PeriodUnit unit) {
  return unit == PeriodUnit::Year ? 12 : unit == PeriodUnit::Quarter ? 3 : 1;
}
// `day` moved by whole calendar months (the day of month clamped to the target month's end).
DayNumber addMonths(DayNumber day, int months);
// Monday to Friday days in [first, last].
int workingDaysBetween(DayNumber first, DayNumber last);
// Monday to Friday days in [first, last] that are not holidays (`holidays` may hold any days, in
// any order, repeated).
int workingDaysBetween(DayNumber first, DayNumber last, const std::vector<DayNumber>& holidays);

} // namespace fulcrum
