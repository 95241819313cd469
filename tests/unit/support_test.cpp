// The calendar (periods, ISO weeks, working days) and the did-you-mean distance.
#include "support/Calendar.h"
#include "support/Text.h"

#include <gtest/gtest.h>

namespace fulcrum {
namespace {

TEST(Calendar, DatesRoundTrip) {
  for (const char* text : {"1970-01-01", "2000-02-29", "2017-12-31", "1969-07-20", "2024-03-01"})
    EXPECT_EQ(formatDate(*parseDate(text)), text);
  EXPECT_EQ(*parseDate("1970-01-02"), 1);
  EXPECT_FALSE(parseDate("2017-02-29"));
  EXPECT_FALSE(parseDate("2017-13-01"));
  EXPECT_FALSE(parseDate("17-01-01"));
}

TEST(Calendar, QuarterBoundsAndShifts) {
  const Period q2 = *parsePeriod("2017-Q2");
  EXPECT_EQ(formatDate(q2.start()), "2017-04-01");
  EXPECT_EQ(formatDate(q2.end()), "2017-06-30");
  EXPECT_EQ(formatPeriod(q2.shifted(-2)), "2016-Q4");
  EXPECT_EQ(formatPeriod(q2.shifted(3)), "2018-Q1");
  EXPECT_EQ(formatPeriod(parsePeriod("2017-01")->shifted(-1)), "2016-12");
}

TEST(Calendar, IsoWeeks) {
  // 2017-W01 starts Monday 2017-01-02; 2015 has 53 weeks; 2017 does not.
  EXPECT_EQ(formatDate(parsePeriod("2017-W01")->start()), "2017-01-02");
  EXPECT_TRUE(parsePeriod("2015-W53"));
  EXPECT_FALSE(parsePeriod("2017-W53"));
  EXPECT_EQ(formatPeriod(parsePeriod("2015-W53")->shifted(1)), "2016-W01");
  EXPECT_EQ(formatPeriod(parsePeriod("2016-W01")->shifted(-1)), "2015-W53");
}

TEST(Calendar, WorkingDays) {
  const Period q2 = *parsePeriod("2017-Q2");
  EXPECT_EQ(workingDaysBetween(q2.start(), q2.end()), 65); // 20 + 23 + 22
  EXPECT_EQ(workingDaysBetween(*parseDate("2017-05-06"), *parseDate("2017-05-07")), 0);
}

// Fiscal calendars, hand-computed: a year starting in February is named after the calendar year
// it ends in, so FY2018 is 2017-02-01 to 2018-01-31 and FY2017-Q4 straddles the calendar year.
TEST(Calendar, FiscalQuarterBounds) {
  const int february = *parseMonthName("february");
  EXPECT_EQ(february, 2);
  const Period q1 = *parsePeriod("FY2018-Q1", february);
  EXPECT_EQ(formatDate(q1.start()), "2017-02-01");
  EXPECT_EQ(formatDate(q1.end()), "2017-04-30");
  EXPECT_EQ(formatPeriod(q1), "FY2018-Q1");
  const Period q4 = q1.shifted(-1);
  EXPECT_EQ(formatPeriod(q4), "FY2017-Q4");
  EXPECT_EQ(formatDate(q4.start()), "2016-11-01");
  EXPECT_EQ(formatDate(q4.end()), "2017-01-31");
  const Period year = *parsePeriod("FY2018", february);
  EXPECT_EQ(formatDate(year.start()), "2017-02-01");
  EXPECT_EQ(formatDate(year.end()), "2018-01-31");
  // January start: fiscal quarters are the calendar's; December start: FY2018 begins 2017-12-01.
  EXPECT_EQ(formatDate(parsePeriod("FY2018-Q1", 1)->start()), "2018-01-01");
  EXPECT_EQ(formatDate(parsePeriod("FY2018-Q1", 12)->start()), "2017-12-01");
  EXPECT_EQ(formatDate(parsePeriod("FY2018-Q4", 12)->end()), "2018-11-30");
  // Without a calendar, and malformed, FY names nothing.
  EXPECT_FALSE(parsePeriod("FY2018-Q1"));
  EXPECT_FALSE(parsePeriod("FY2018-Q5", february));
  EXPECT_TRUE(isFiscalPeriodText("FY2018-Q1"));
  EXPECT_FALSE(isFiscalPeriodText("2018-Q1"));
}

TEST(Calendar, FiscalPeriodContaining) {
  auto fiscal = [](const char* day, PeriodUnit unit, int start) {
    return formatPeriod(periodContaining(*parseDate(day), unit, start));
  };
  EXPECT_EQ(fiscal("2017-01-31", PeriodUnit::Quarter, 2), "FY2017-Q4");
  EXPECT_EQ(fiscal("2017-02-01", PeriodUnit::Quarter, 2), "FY2018-Q1");
  EXPECT_EQ(fiscal("2016-12-31", PeriodUnit::Quarter, 2), "FY2017-Q4");
  EXPECT_EQ(fiscal("2017-01-01", PeriodUnit::Year, 2), "FY2017");
  EXPECT_EQ(fiscal("2017-11-30", PeriodUnit::Quarter, 12), "FY2017-Q4");
  EXPECT_EQ(fiscal("2017-12-01", PeriodUnit::Quarter, 12), "FY2018-Q1");
  EXPECT_EQ(fiscal("2017-06-15", PeriodUnit::Quarter, 1), "FY2017-Q2");
  // Months and weeks are the same in both calendars.
  EXPECT_EQ(fiscal("2017-02-01", PeriodUnit::Month, 2), "2017-02");
  // Every day of a range of years lies inside the fiscal period that contains it.
  for (DayNumber day = *parseDate("1999-12-01"); day < *parseDate("2003-03-01"); ++day)
    for (int start = 1; start <= 12; ++start)
      for (PeriodUnit unit : {PeriodUnit::Quarter, PeriodUnit::Year}) {
        const Period p = periodContaining(day, unit, start);
        ASSERT_LE(p.start(), day);
        ASSERT_GE(p.end(), day);
        ASSERT_EQ(p.shifted(1).start(), p.end() + 1);
      }
  // A calendar quarter overlaps two fiscal ones.
  const Period q1 = *parsePeriod("2017-Q1");
  const std::vector<Period> overlap =
      periodsOverlapping(q1.start(), q1.end(), PeriodUnit::Quarter, 2);
  ASSERT_EQ(overlap.size(), 2u);
  EXPECT_EQ(formatPeriod(overlap[0]), "FY2017-Q4");
  EXPECT_EQ(formatPeriod(overlap[1]), "FY2018-Q1");
}

TEST(Calendar, AddMonthsClampsToTheMonthsEnd) {
  auto plus = [](const char* day, int months) {
    return formatDate(addMonths(*parseDate(day), months));
  };
  EXPECT_EQ(plus("2017-01-31", 1), "2017-02-28");
  EXPECT_EQ(plus("2016-01-31", 1), "2016-02-29");
  EXPECT_EQ(plus("2016-02-29", 12), "2017-02-28");
  EXPECT_EQ(plus("2017-03-31", -1), "2017-02-28");
  EXPECT_EQ(plus("2017-05-15", -17), "2015-12-15");
  EXPECT_EQ(plus("2017-12-31", 1), "2018-01-31");
}

TEST(Text, EditDistanceCountsSwapsOnce) {
  EXPECT_EQ(editDistance("valeu", "value", 3), 1u);
  EXPECT_EQ(editDistance("stge", "stage", 3), 1u);
  EXPECT_EQ(editDistance("abc", "xyz", 1), 2u); // stops past the limit
  EXPECT_EQ(closestMatch("clsoed", {"closed", "stage", "owner"}), "closed");
  EXPECT_EQ(closestMatch("zzz", {"closed", "stage"}), "");
}

TEST(Text, Utf8CharacterLengths) {
  using namespace std::string_literals;
  EXPECT_EQ(utf8CharacterLength("a", 0), 1u);
  EXPECT_EQ(utf8CharacterLength("\0"s, 0), 1u); // NUL is a character
  EXPECT_EQ(utf8CharacterLength("\xC3\xA9", 0), 2u);
  EXPECT_EQ(utf8CharacterLength("\xE2\x82\xAC", 0), 3u);
  EXPECT_EQ(utf8CharacterLength("\xF0\x9F\x98\x80", 0), 4u);
  EXPECT_EQ(utf8CharacterLength("\xE9t\xE9", 0), 0u);        // Latin-1
  EXPECT_EQ(utf8CharacterLength("\xA9", 0), 0u);             // a lone continuation byte
  EXPECT_EQ(utf8CharacterLength("\xE2\x82", 0), 0u);         // cut short
  EXPECT_EQ(utf8CharacterLength("\xC1\xBF", 0), 0u);         // overlong
  EXPECT_EQ(utf8CharacterLength("\xED\xA0\x80", 0), 0u);     // a surrogate
  EXPECT_EQ(utf8CharacterLength("\xF4\x90\x80\x80", 0), 0u); // past U+10FFFF
  EXPECT_EQ(utf8CharacterLength("ab\xC3\xA9", 2), 2u);       // from the middle
}

TEST(Text, JsonQuoting) {
  EXPECT_EQ(jsonQuote("a\"b\\c\nd\x01"), "\"a\\\"b\\\\c\\nd\\u0001\"");
}

} // namespace
} // namespace fulcrum
