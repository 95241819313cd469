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
