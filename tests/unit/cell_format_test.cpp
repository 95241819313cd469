// Per-field formats (support/CellFormat.h): compiling, reading cells, and time zones against
// offsets known independently (the tz database's published rules for Los Angeles and Berlin).
#include "support/Calendar.h"
#include "support/CellFormat.h"
#include "support/Money.h"
#include "support/TimeZones.h"

#include <gtest/gtest.h>

namespace fulcrum {
namespace {

// The currency a program declares to read `text`: the one whose sign it carries, else USD.
const Currency& currencyWritten(std::string_view text) {
  for (const Currency& currency : currencies())
    if (text.find(currency.sign) != std::string_view::npos)
      return currency;
  return defaultCurrency();
}

std::shared_ptr<const CellFormat> compiled(const std::string& text, const std::string& type,
                                           const std::string* zone = nullptr) {
  CellFormatError error;
  auto format = compileCellFormat(text, type, zone, currencyWritten(text), error);
  EXPECT_TRUE(format) << text << ": " << error.message;
  return format;
}

CellFormatError failure(const std::string& text, const std::string& type,
                        const std::string* zone = nullptr) {
  CellFormatError error;
  EXPECT_FALSE(compileCellFormat(text, type, zone, currencyWritten(text), error)) << text;
  return error;
}

int32_t day(const CellFormat& format, std::string_view cell) {
  const FormattedDate read = readDateCell(format, cell);
  EXPECT_EQ(read.error, FormattedCellError::None) << cell;
  return read.day;
}

TEST(CellFormat, DatesInTheirFormats) {
  EXPECT_EQ(day(*compiled("MM/DD/YYYY", "date"), "12/31/2017"), dayFromCivil(2017, 12, 31));
  EXPECT_EQ(day(*compiled("M/D/YYYY", "date"), "1/5/2017"), dayFromCivil(2017, 1, 5));
  EXPECT_EQ(day(*compiled("M/D/YYYY", "date"), "11/25/2017"), dayFromCivil(2017, 11, 25));
  EXPECT_EQ(day(*compiled("DD.MM.YYYY", "date"), "31.12.2017"), dayFromCivil(2017, 12, 31));
  EXPECT_EQ(day(*compiled("YYYY-MM-DD hh:mm:ss", "date"), "2017-12-31 23:59:59"),
            dayFromCivil(2017, 12, 31));
  EXPECT_EQ(day(*compiled("M/D/YYYY h:mm A", "date"), "12/31/2017 11:45 pm"),
            dayFromCivil(2017, 12, 31));
  const auto us = compiled("MM/DD/YYYY", "date");
  EXPECT_EQ(readDateCell(*us, "2017-12-31").error, FormattedCellError::Mismatch);
  EXPECT_EQ(readDateCell(*us, "1/5/2017").error, FormattedCellError::Mismatch);
  EXPECT_EQ(readDateCell(*us, "12/31/2017x").error, FormattedCellError::Mismatch);
  EXPECT_EQ(readDateCell(*us, "02/29/2017").error, FormattedCellError::NoSuchDay);
  EXPECT_EQ(day(*us, "02/29/2016"), dayFromCivil(2016, 2, 29));
  EXPECT_EQ(us->example, "12/31/2017");
}

// A time past its clock is its own error, naming the part and the limit; a bad day stays a
// calendar error.
TEST(CellFormat, TimesPastTheirClock) {
  auto problem = [](const char* format, std::string_view cell) {
    const FormattedDate read = readDateCell(*compiled(format, "date"), cell);
    EXPECT_EQ(read.error, FormattedCellError::NoSuchTime) << cell;
    return read.problem;
  };
  EXPECT_EQ(problem("YYYY-MM-DD hh:mm", "2017-05-01 25:00"), "hour 25 is past 23");
  EXPECT_EQ(problem("YYYY-MM-DD hh:mm", "2017-05-01 23:60"), "minute 60 is past 59");
  EXPECT_EQ(problem("YYYY-MM-DD hh:mm:ss", "2017-05-01 23:59:61"), "second 61 is past 60");
  EXPECT_EQ(problem("M/D/YYYY h:mm A", "1/5/2017 13:00 PM"), "hour 13 is past 12");
  EXPECT_EQ(problem("M/D/YYYY h:mm A", "1/5/2017 0:30 AM"),
            "hour 0 is not on a 12-hour clock, which runs from 1 to 12");
  EXPECT_EQ(day(*compiled("YYYY-MM-DD hh:mm:ss", "date"), "2016-12-31 23:59:60"),
            dayFromCivil(2016, 12, 31));
  EXPECT_EQ(readDateCell(*compiled("YYYY-MM-DD hh:mm", "date"), "2017-02-30 10:00").error,
            FormattedCellError::NoSuchDay);
}

TEST(CellFormat, TimestampsBecomeTheZonesDay) {
  const std::string la = "America/Los_Angeles", berlin = "Europe/Berlin";
  const auto inLa = compiled("YYYY-MM-DDThh:mm:ssZ", "date", &la);
  // 2018-01-01T01:45Z is 17:45 on New Year's Eve in California (PST, UTC-8).
  EXPECT_EQ(day(*inLa, "2018-01-01T01:45:00Z"), dayFromCivil(2017, 12, 31));
  EXPECT_EQ(day(*inLa, "2018-01-01T08:00:00Z"), dayFromCivil(2018, 1, 1));
  EXPECT_EQ(day(*inLa, "2018-01-01T07:59:59Z"), dayFromCivil(2017, 12, 31));
  // Summer: PDT, UTC-7.
  EXPECT_EQ(day(*inLa, "2017-07-01T06:59:59Z"), dayFromCivil(2017, 6, 30));
  EXPECT_EQ(day(*inLa, "2017-07-01T07:00:00Z"), dayFromCivil(2017, 7, 1));
  EXPECT_EQ(day(*inLa, "2017-06-30T23:30:00-07:00"), dayFromCivil(2017, 6, 30));
  EXPECT_EQ(day(*inLa, "2017-07-01T08:30:00+0100"), dayFromCivil(2017, 7, 1));
  const auto inBerlin = compiled("YYYY-MM-DDThh:mm:ss.SSSZ", "date", &berlin);
  EXPECT_EQ(day(*inBerlin, "2017-12-31T23:30:00.000Z"), dayFromCivil(2018, 1, 1));
  EXPECT_EQ(day(*inBerlin, "2017-06-30T21:59:59.123456Z"), dayFromCivil(2017, 6, 30));
  EXPECT_EQ(day(*inBerlin, "2017-06-30T22:00:00.5Z"), dayFromCivil(2017, 7, 1));
  std::string error;
  const auto zone = TimeZone::find(la, error);
  ASSERT_TRUE(zone);
  EXPECT_EQ(zone->offsetAt(1514771100), -8 * 3600); // 2018-01-01T01:45Z
  EXPECT_EQ(zone->offsetAt(1498867200), -7 * 3600); // 2017-07-01T00:00Z
  EXPECT_EQ(zone->offsetAt(4133980800), -8 * 3600); // 2101-01-01: past the table
  EXPECT_FALSE(TimeZone::find("Mars/Olympus_Mons", error));
}

TEST(CellFormat, BadDateFormatsSayWhere) {
  // Each part once, minutes and seconds too (they once shared one flag, reset per part).
  EXPECT_EQ(failure("YYYY-MM-DD mm:mm", "date").message, "the format names the minutes twice");
  EXPECT_EQ(failure("YYYY-MM-DD mm:mm", "date").offset, 14u);
  EXPECT_EQ(failure("hh:mm:ss ss YYYY-MM-DD", "date").message,
            "the format names the seconds twice");
  EXPECT_EQ(failure("MM/DD/YYQ", "date").offset, 6u);
  EXPECT_NE(failure("MM/DD/YY", "date").hint.find("two-digit"), std::string::npos);
  EXPECT_NE(failure("YYYY-MM-DDThh:mm:ssZ", "date").message.find("zone"), std::string::npos);
  const std::string utc = "UTC", mars = "Mars/Base";
  EXPECT_TRUE(failure("YYYY-MM-DD", "date", &utc).inZone);
  EXPECT_TRUE(failure("YYYY-MM-DDThh:mmZ", "date", &mars).inZone);
  failure("MM/YYYY", "date");
  failure("MM/DD/YYYY", "text");
}

double number(const CellFormat& format, std::string_view cell, const std::string& type) {
  const FormattedNumber read = readNumberCell(format, cell, type);
  EXPECT_EQ(read.error, FormattedCellError::None) << cell;
  return read.value;
}

TEST(CellFormat, AmountsAndNumbers) {
  const auto eu = compiled("1.234,56 €", "money");
  EXPECT_EQ(eu->group, ".");
  EXPECT_EQ(eu->decimal, ',');
  EXPECT_EQ(number(*eu, "1.234,56 €", "money"), 12345600);
  EXPECT_EQ(number(*eu, "1234,56", "money"), 12345600);
  EXPECT_EQ(number(*eu, "-1.000,10 €", "money"), -10001000);
  EXPECT_EQ(number(*eu, "12.345 €", "money"), 123450000);
  EXPECT_EQ(readNumberCell(*eu, "1,234.56", "money").error, FormattedCellError::Mismatch);
  EXPECT_EQ(readNumberCell(*eu, "$1.234,56", "money").error, FormattedCellError::Mismatch);
  EXPECT_EQ(readNumberCell(*eu, "12.34", "money").error, FormattedCellError::Mismatch);
  EXPECT_EQ(readNumberCell(*eu, "1,23456", "money").error, FormattedCellError::TooManyDecimals);
  const auto us = compiled("$1,234.56", "money");
  EXPECT_EQ(number(*us, "$1,234,567.89", "money"), 12345678900);
  EXPECT_EQ(number(*us, "(1,234.56)", "money"), -12345600);
  EXPECT_EQ(number(*us, "-$5", "money"), -50000);
  EXPECT_EQ(number(*us, "$-5", "money"), -50000);
  EXPECT_EQ(readNumberCell(*us, "$1234,56", "money").error, FormattedCellError::Mismatch);
  EXPECT_EQ(readNumberCell(*us, "$1,2345", "money").error, FormattedCellError::Mismatch);
  const auto spaced = compiled("1 234,56", "money");
  EXPECT_EQ(number(*spaced, "1 234 567,5", "money"), 12345675000);
  const auto percent = compiled("12.5%", "percent");
  EXPECT_EQ(number(*percent, "12.5%", "percent"), 0.125);
  EXPECT_EQ(number(*percent, "12.5", "percent"), 0.125);
  EXPECT_EQ(number(*percent, "65", "percent"), 0.65);
  const auto comma = compiled("12,5 %", "percent");
  EXPECT_EQ(number(*comma, "12,5 %", "percent"), 0.125);
  const auto count = compiled("1,234", "count");
  EXPECT_EQ(number(*count, "12,345", "count"), 12345);
  EXPECT_EQ(compiled("1.234,5", "number")->decimal, ',');
}

TEST(CellFormat, BadNumberFormats) {
  EXPECT_NE(failure("1,234", "money").message.find("thousands separator or the decimal"),
            std::string::npos);
  failure("12.5%", "money");
  failure("12.5 pct", "percent");
  // Without `%`, a sample would read 12.5 as 1250%: a percent's sample says it is in percent.
  EXPECT_EQ(failure("12.5", "percent").message, "a percent's sample ends in `%`");
  EXPECT_EQ(failure("12,5", "percent").message, "a percent's sample ends in `%`");
  failure("abc", "number");
  failure("1.23,4", "number");
  const std::string zone = "UTC";
  EXPECT_TRUE(failure("1.234,56", "money", &zone).inZone);
}

// A space, a no-break space and a narrow no-break space are one thousands separator, in the
// sample and in the cells (exports mix them; a message could not show the difference).
TEST(CellFormat, SpacesOfAnyKindSeparateThousands) {
  for (const char* sample : {"1 234,56", "1\u00A0234,56", "1\u202F234,56"}) {
    const auto format = compiled(sample, "money");
    for (const char* cell : {"1 234,56", "1\u00A0234,56", "1\u202F234,56"})
      EXPECT_EQ(number(*format, cell, "money"), 12345600) << sample << " / " << cell;
  }
  EXPECT_EQ(number(*compiled("1 234 567,5", "number"), "1\u00A0234\u202F567,5", "number"),
            1234567.5);
  compiled("1\u00A0234 567,5", "number"); // one separator, however the spaces are written
}

// One currency per program: a sample with another currency's sign or code is an error at the
// sign; the program's own sign is the format's.
TEST(CellFormat, AnotherCurrencysSampleIsAnError) {
  const Currency& eur = *findCurrency("EUR");
  const Currency& usd = defaultCurrency();
  CellFormatError error;
  EXPECT_FALSE(compileCellFormat("$1,234.56", "money", nullptr, eur, error));
  EXPECT_TRUE(error.foreignCurrency);
  EXPECT_EQ(error.offset, 0u);
  EXPECT_EQ(error.length, 1u);
  EXPECT_EQ(error.message, "`$` is USD, but this program's money is in EUR");
  error = {};
  EXPECT_FALSE(compileCellFormat("1.234,56 \u20AC", "money", nullptr, usd, error));
  EXPECT_TRUE(error.foreignCurrency);
  EXPECT_EQ(error.offset, 9u);
  error = {};
  EXPECT_FALSE(compileCellFormat("1.234,56 EUR", "money", nullptr, usd, error));
  EXPECT_TRUE(error.foreignCurrency);
  EXPECT_EQ(error.offset, 9u);
  EXPECT_EQ(error.length, 3u);
  EXPECT_TRUE(compileCellFormat("1.234,56 \u20AC", "money", nullptr, eur, error));
  EXPECT_TRUE(compileCellFormat("1.234,56 EUR", "money", nullptr, eur, error));
  EXPECT_TRUE(compileCellFormat("$1,234.56", "money", nullptr, usd, error));
}

} // namespace
} // namespace fulcrum
