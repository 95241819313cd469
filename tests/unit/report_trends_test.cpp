// The report's trends (cli/report/Trends.cpp) over runs built by hand: who moved lists every
// subject whose band is not the same in every run, a subject absent from a run counting as a
// move (present -> absent, absent -> present), which runs of one data set never produce.
#include "cli/report/ReportInput.h"

#include <gtest/gtest.h>

namespace fulcrum::cli::report {
namespace {

// A run of one text column `band`: each subject's key and its band.
runtime::RunResult runOf(const std::vector<std::pair<std::string, std::string>>& bands) {
  runtime::RunResult result;
  runtime::ResultTable& table = result.table;
  table.keyName = "rep";
  runtime::OutputColumn column;
  column.name = "band";
  column.kind = runtime::ValueType::Text;
  table.columns.push_back(column);
  for (const auto& [key, band] : bands) {
    table.keys.push_back(key);
    table.values.push_back(static_cast<double>(table.strings.size()));
    table.valid.push_back(1);
    table.strings.push_back(band);
  }
  return result;
}

std::string moversOf(const std::vector<PeriodRun>& trend) {
  ReportShape shape;
  shape.bands.push_back(BandShape{"band", {"high", "low"}});
  const ReportInput input{shape, trend.back().result, "period 2017-Q2", trend, "", ""};
  const std::string page = trends(input);
  const size_t at = page.find("<table id=\"movers\"");
  return at == std::string::npos ? "" : page.substr(at);
}

TEST(ReportTrends, WhoMovedListsSubjectsThatAppearOrDisappear) {
  const std::vector<PeriodRun> trend = {
      {"2017-Q1", runOf({{"stays", "high"}, {"leaves", "high"}, {"drops", "high"}})},
      {"2017-Q2", runOf({{"stays", "high"}, {"drops", "low"}, {"joins", "low"}})}};
  const std::string movers = moversOf(trend);
  EXPECT_EQ(movers.find("data-subject=\"stays\""), std::string::npos) << movers;
  EXPECT_NE(movers.find("data-subject=\"drops\""), std::string::npos) << movers;
  EXPECT_NE(movers.find("data-subject=\"joins\"><th scope=\"row\">joins</th><td "
                        "data-period=\"2017-Q1\" data-absent=\"true\">absent</td>"),
            std::string::npos)
      << movers;
  EXPECT_NE(movers.find("data-subject=\"leaves\"><th scope=\"row\">leaves</th><td "
                        "data-period=\"2017-Q1\" data-band=\"high\">high</td><td "
                        "data-period=\"2017-Q2\" data-absent=\"true\">absent</td>"),
            std::string::npos)
      << movers;
}

TEST(ReportTrends, NoMoversWhenEveryBandStays) {
  const std::vector<PeriodRun> trend = {{"2017-Q1", runOf({{"a", "high"}, {"b", "low"}})},
                                        {"2017-Q2", runOf({{"b", "low"}, {"a", "high"}})}};
  EXPECT_EQ(moversOf(trend), "");
}

} // namespace
} // namespace fulcrum::cli::report
