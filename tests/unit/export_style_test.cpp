// fulcrum-gen's export styles (tools/fulcrum-gen/ExportStyle.h): each style's header and rows
// against the bytes a CRM writes, quoted ISO cells kept whole, and a date column's cell that is
// no date refused rather than written as a made-up date.
#include "tools/fulcrum-gen/ExportStyle.h"

#include <gtest/gtest.h>
#include <stdexcept>

namespace fulcrum::gen {
namespace {

std::string styled(ExportStyle style, std::string_view header, std::string_view rows) {
  const StyledFile file(style, header);
  std::string out = file.head();
  file.restyle(rows, out);
  return out;
}

constexpr std::string_view kHeader = "deal_id,owner,closed,value,weight";
constexpr std::string_view kRows = "D1,Ann,2017-12-31,1234567.8,0.5\n"
                                   "D2,Bob,2017-01-05,-35,\n";

TEST(ExportStyle, EachStyleWritesItsExport) {
  EXPECT_EQ(styled(ExportStyle::Salesforce, kHeader, kRows),
            "\"deal_id\",\"owner\",\"closed\",\"value\",\"weight\"\r\n"
            "\"D1\",\"Ann\",\"12/31/2017\",\"$1,234,567.80\",\"0.5\"\r\n"
            "\"D2\",\"Bob\",\"1/5/2017\",\"-$35.00\",\"\"\r\n");
  EXPECT_EQ(styled(ExportStyle::Hubspot, kHeader, kRows),
            "\xEF\xBB\xBF"
            "Deal Id,Owner,Closed,Value,Weight\n"
            "D1,Ann,2018-01-01T01:30:00Z,1234567.8,0.5\n"
            "D2,Bob,2017-01-06T01:30:00Z,-35,\n");
  EXPECT_EQ(styled(ExportStyle::European, kHeader, kRows),
            "\xEF\xBB\xBF"
            "deal_id;owner;closed;value;weight\r\n"
            "D1;Ann;31.12.2017;1.234.567,80 \u20AC;0,5\r\n"
            "D2;Bob;05.01.2017;-35,00 \u20AC;\r\n");
}

TEST(ExportStyle, QuotedCellsStayWhole) {
  // A quoted ISO cell holding commas and a quote is one cell, quoted again where the style
  // needs it (the cell holds a quote).
  const std::string_view rows = "D1,\"Smith, \"\"Jr\"\"\",2017-12-31,1,2\n";
  EXPECT_EQ(styled(ExportStyle::Hubspot, kHeader, rows).substr(3 + 34),
            "D1,\"Smith, \"\"Jr\"\"\",2018-01-01T01:30:00Z,1,2\n");
  EXPECT_EQ(styled(ExportStyle::European, kHeader, rows).substr(3 + 35),
            "D1;\"Smith, \"\"Jr\"\"\";31.12.2017;1,00 \u20AC;2\r\n");
}

TEST(ExportStyle, ADateColumnCellThatIsNoDateIsAnError) {
  const StyledFile file(ExportStyle::Salesforce, kHeader);
  std::string out;
  try {
    file.restyle("D1,Ann,2017-02-30,1,2\n", out);
    FAIL() << "restyled as " << out;
  } catch (const std::runtime_error& error) {
    EXPECT_STREQ(error.what(), "--style salesforce: the column `closed` holds `2017-02-30`, which "
                               "is no ISO date (YYYY-MM-DD)");
  }
}

TEST(ExportStyle, NamesComeFromTheStyleTable) {
  EXPECT_EQ(exportStyleNamed("european"), ExportStyle::European);
  EXPECT_EQ(exportStyleNamed("iso"), ExportStyle::Iso);
  EXPECT_FALSE(exportStyleNamed("excel"));
  EXPECT_EQ(exportStyleNames(), "iso, salesforce, hubspot or european");
}

} // namespace
} // namespace fulcrum::gen
