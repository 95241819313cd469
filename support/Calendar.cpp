// Civil-date arithmetic (Howard Hinnant's well-known day-count formulas) and period bounds.
#include "support/Calendar.h"

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <set>

namespace fulcrum {

DayNumber dayFromCivil(int year, int month, int day) {
  year -= month <= 2;
  const int era = (year >= 0 ? year : year - 399) / 400;
  const unsigned yearOfEra = static_cast<unsigned>(year - era * 400);
  const unsigned dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
  const unsigned dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear;
  return era * 146097 + static_cast<int>(dayOfEra) - 719468;
}

void civilFromDay(DayNumber dayNumber, int& year, int& month, int& dayOfMonth) {
  const int z = dayNumber + 719468;
  const int era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned dayOfEra = static_cast<unsigned>(z - era * 146097);
  const unsigned yearOfEra =
      (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146096) / 365;
  const unsigned dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
  const unsigned mp = (5 * dayOfYear + 2) / 153;
  dayOfMonth = static_cast<int>(dayOfYear - (153 * mp + 2) / 5 + 1);
  month = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  year = static_cast<int>(yearOfEra) + era * 400 + (month <= 2);
}

int isoWeekday(DayNumber day) {
  // 1970-01-01 was a Thursday (4).
  int weekday = (day + 3) % 7;
  if (weekday < 0)
    weekday += 7;
  return weekday + 1;
}

static bool parseDigits(std::string_view text, int& out) {
  if (text.empty())
    return false;
  for (char c : text)
    if (c < '0' || c > '9')
      return false;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc() && ptr == text.data() + text.size();
}

static int daysInMonth(int year, int month) {
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month == 2 && leap ? 29 : kDays[month - 1];
}

std::optional<DayNumber> parseDate(std::string_view text) {
  int year = 0, month = 0, day = 0;
  if (text.size() != 10 || text[4] != '-' || text[7] != '-' ||
      !parseDigits(text.substr(0, 4), year) || !parseDigits(text.substr(5, 2), month) ||
      !parseDigits(text.substr(8, 2), day))
    return std::nullopt;
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month))
    return std::nullopt;
  return dayFromCivil(year, month, day);
}

std::string formatDate(DayNumber dayNumber) {
  int year = 0, month = 0, day = 0;
  civilFromDay(dayNumber, year, month, day);
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02d", year, month, day);
  return buffer;
}

// Monday of ISO week 1: the week holding the year's first Thursday.
static DayNumber isoWeekOneMonday(int year) {
  const DayNumber jan4 = dayFromCivil(year, 1, 4);
  return jan4 - (isoWeekday(jan4) - 1);
}

static int isoWeeksInYear(int year) {
  return (isoWeekOneMonday(year + 1) - isoWeekOneMonday(year)) / 7;
}

static int floorDiv(int a, int b) {
  return a >= 0 ? a / b : -((-a + b - 1) / b);
}

// The first day of the month `linear` months after January of year 0.
static DayNumber linearMonthStart(int linear) {
  const int year = floorDiv(linear, 12);
  return dayFromCivil(year, linear - year * 12 + 1, 1);
}

// Months since January of year 0 at which fiscal year `year` starts: a year starting in February
// or later begins in the calendar year before the one it is named after.
static int fiscalYearFirstMonth(int year, int fiscalStart) {
  return (fiscalStart == 1 ? year : year - 1) * 12 + fiscalStart - 1;
}

DayNumber Period::start() const {
  if (fiscalStart != 0 && followsFiscalYear(unit))
    return linearMonthStart(fiscalYearFirstMonth(year, fiscalStart) +
                            (unit == PeriodUnit::Quarter ? (index - 1) * 3 : 0));
  switch (unit) {
  case PeriodUnit::Day:
    return index;
  case PeriodUnit::Week:
    return isoWeekOneMonday(year) + (index - 1) * 7;
  case PeriodUnit::Month:
    return dayFromCivil(year, index, 1);
  case PeriodUnit::Quarter:
    return dayFromCivil(year, (index - 1) * 3 + 1, 1);
  case PeriodUnit::Year:
    return dayFromCivil(year, 1, 1);
  }
  return 0;
}

DayNumber Period::end() const {
  return shifted(1).start() - 1;
}

Period Period::shifted(int count) const {
  Period result = *this;
  switch (unit) {
  case PeriodUnit::Day:
    result.index += count;
    break;
  case PeriodUnit::Week: {
    const DayNumber monday = start() + count * 7;
    // The ISO year of a week is the year of its Thursday.
    int y = 0, m = 0, d = 0;
    civilFromDay(monday + 3, y, m, d);
    result.year = y;
    result.index = (monday - isoWeekOneMonday(y)) / 7 + 1;
    break;
  }
  case PeriodUnit::Month:
  case PeriodUnit::Quarter: {
    const int perYear = unit == PeriodUnit::Month ? 12 : 4;
    int linear = year * perYear + (index - 1) + count;
    result.year = linear >= 0 ? linear / perYear : (linear - perYear + 1) / perYear;
    result.index = linear - result.year * perYear + 1;
    break;
  }
  case PeriodUnit::Year:
    result.year += count;
    break;
  }
  return result;
}

bool isFiscalPeriodText(std::string_view text) {
  return text.size() > 2 && text.substr(0, 2) == "FY";
}

std::optional<Period> parsePeriod(std::string_view text, int fiscalStart) {
  int year = 0, index = 0;
  if (isFiscalPeriodText(text)) {
    if (fiscalStart < 1 || fiscalStart > 12)
      return std::nullopt;
    text.remove_prefix(2);
    if (text.size() == 4 && parseDigits(text, year))
      return Period{PeriodUnit::Year, year, 1, fiscalStart};
    if (text.size() == 7 && text.substr(4, 2) == "-Q" && parseDigits(text.substr(0, 4), year) &&
        parseDigits(text.substr(6), index) && index >= 1 && index <= 4)
      return Period{PeriodUnit::Quarter, year, index, fiscalStart};
    return std::nullopt;
  }
  if (text.size() == 4 && parseDigits(text, year))
    return Period{PeriodUnit::Year, year, 1};
  if (text.size() < 6 || text[4] != '-' || !parseDigits(text.substr(0, 4), year))
    return std::nullopt;
  std::string_view rest = text.substr(5);
  if (rest.size() == 2 && rest[0] == 'Q' && parseDigits(rest.substr(1), index) && index >= 1 &&
      index <= 4)
    return Period{PeriodUnit::Quarter, year, index};
  if ((rest.size() == 2 || rest.size() == 3) && rest[0] == 'W' &&
      parseDigits(rest.substr(1), index) && index >= 1 && index <= isoWeeksInYear(year))
    return Period{PeriodUnit::Week, year, index};
  if (rest.size() == 2 && parseDigits(rest, index) && index >= 1 && index <= 12)
    return Period{PeriodUnit::Month, year, index};
  if (auto day = parseDate(text))
    return Period{PeriodUnit::Day, year, *day};
  return std::nullopt;
}

std::string formatPeriod(const Period& period) {
  char buffer[24];
  if (period.fiscalStart != 0 && period.unit == PeriodUnit::Quarter) {
    std::snprintf(buffer, sizeof buffer, "FY%04d-Q%d", period.year, period.index);
    return buffer;
  }
  if (period.fiscalStart != 0 && period.unit == PeriodUnit::Year) {
    std::snprintf(buffer, sizeof buffer, "FY%04d", period.year);
    return buffer;
  }
  switch (period.unit) {
  case PeriodUnit::Day:
    return formatDate(period.index);
  case PeriodUnit::Week:
    std::snprintf(buffer, sizeof buffer, "%04d-W%02d", period.year, period.index);
    break;
  case PeriodUnit::Month:
    std::snprintf(buffer, sizeof buffer, "%04d-%02d", period.year, period.index);
    break;
  case PeriodUnit::Quarter:
    std::snprintf(buffer, sizeof buffer, "%04d-Q%d", period.year, period.index);
    break;
  case PeriodUnit::Year:
    std::snprintf(buffer, sizeof buffer, "%04d", period.year);
    break;
  }
  return buffer;
}

std::optional<PeriodUnit> parsePeriodUnit(std::string_view word) {
  if (word.size() > 1 && word.back() == 's')
    word.remove_suffix(1);
  if (word == "day")
    return PeriodUnit::Day;
  if (word == "week")
    return PeriodUnit::Week;
  if (word == "month")
    return PeriodUnit::Month;
  if (word == "quarter")
    return PeriodUnit::Quarter;
  if (word == "year")
    return PeriodUnit::Year;
  return std::nullopt;
}

const char* periodUnitName(PeriodUnit unit) {
  switch (unit) {
  case PeriodUnit::Day:
    return "day";
  case PeriodUnit::Week:
    return "week";
  case PeriodUnit::Month:
    return "month";
  case PeriodUnit::Quarter:
    return "quarter";
  case PeriodUnit::Year:
    return "year";
  }
  return "?";
}

static const char* const kMonthNames[] = {"January",   "February", "March",    "April",
                                          "May",       "June",     "July",     "August",
                                          "September", "October",  "November", "December"};

std::optional<int> parseMonthName(std::string_view word) {
  for (int month = 1; month <= 12; ++month) {
    const std::string_view name = kMonthNames[month - 1];
    if (name.size() == word.size() &&
        std::equal(name.begin(), name.end(), word.begin(),
                   [](char a, char b) { return (a | 0x20) == (b | 0x20); }))
      return month;
  }
  return std::nullopt;
}

const char* monthName(int month) {
  return month >= 1 && month <= 12 ? kMonthNames[month - 1] : "?";
}

Period periodContaining(DayNumber day, PeriodUnit unit, int fiscalStart) {
  int year = 0, month = 0, dayOfMonth = 0;
  civilFromDay(day, year, month, dayOfMonth);
  if (fiscalStart != 0 && followsFiscalYear(unit)) {
    // Months since the start of fiscal year 0's calendar counterpart.
    const int sinceStart = year * 12 + month - 1 - (fiscalStart - 1);
    const int fiscalYear = floorDiv(sinceStart, 12) + (fiscalStart == 1 ? 0 : 1);
    const int monthOfYear = sinceStart - floorDiv(sinceStart, 12) * 12;
    return Period{unit, fiscalYear, unit == PeriodUnit::Quarter ? monthOfYear / 3 + 1 : 1,
                  fiscalStart};
  }
  switch (unit) {
  case PeriodUnit::Day:
    return Period{PeriodUnit::Day, year, day};
  case PeriodUnit::Week: {
    // The ISO week's year is the year of its Thursday.
    const DayNumber thursday = day - (isoWeekday(day) - 1) + 3;
    int weekYear = 0, m = 0, d = 0;
    civilFromDay(thursday, weekYear, m, d);
    return Period{PeriodUnit::Week, weekYear, (thursday - isoWeekOneMonday(weekYear)) / 7 + 1};
  }
  case PeriodUnit::Month:
    return Period{PeriodUnit::Month, year, month};
  case PeriodUnit::Quarter:
    return Period{PeriodUnit::Quarter, year, (month - 1) / 3 + 1};
  case PeriodUnit::Year:
    return Period{PeriodUnit::Year, year, 1};
  }
  return Period{};
}

std::vector<Period> periodsOverlapping(DayNumber first, DayNumber last, PeriodUnit unit,
                                       int fiscalStart) {
  std::vector<Period> result;
  for (Period p = periodContaining(first, unit, fiscalStart); p.start() <= last; p = p.shifted(1))
    result.push_back(p);
  return result;
}

std::optional<Period> periodWithBounds(DayNumber first, DayNumber last, int fiscalStart) {
  for (PeriodUnit unit : {PeriodUnit::Quarter, PeriodUnit::Month, PeriodUnit::Week,
                          PeriodUnit::Year, PeriodUnit::Day}) {
    const Period p = periodContaining(first, unit, fiscalStart);
    if (p.start() == first && p.end() == last)
      return p;
  }
  return std::nullopt;
}

DayNumber addMonths(DayNumber day, int months) {
  int year = 0, month = 0, dayOfMonth = 0;
  civilFromDay(day, year, month, dayOfMonth);
  int linear = year * 12 + (month - 1) + months;
  year = linear >= 0 ? linear / 12 : (linear - 11) / 12;
  month = linear - year * 12 + 1;
  return dayFromCivil(year, month, std::min(dayOfMonth, daysInMonth(year, month)));
}

int workingDaysBetween(DayNumber first, DayNumber last) {
  if (last < first)
    return 0;
  const int days = last - first + 1;
  int count = days / 7 * 5;
  for (DayNumber d = first + days / 7 * 7; d <= last; ++d)
    count += isoWeekday(d) <= 5;
  return count;
}

int workingDaysBetween(DayNumber first, DayNumber last, const std::vector<DayNumber>& holidays) {
  std::set<DayNumber> days;
  for (const DayNumber day : holidays)
    if (day >= first && day <= last && isoWeekday(day) <= 5)
      days.insert(day);
  return workingDaysBetween(first, last) - static_cast<int>(days.size());
}

} // namespace fulcrum
