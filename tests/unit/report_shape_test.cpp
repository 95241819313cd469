// The report's choices and its escaping (cli/report/): which pictures a framework's declarations
// call for (the rules of docs/report.md, on small frameworks compiled here), and that no text from
// the data can open a tag, end an attribute or close the script that carries the results.
#include "cli/report/Html.h"
#include "cli/report/ReportShape.h"

#include <gtest/gtest.h>

namespace fulcrum::cli::report {
namespace {

ReportShape shapeOf(const std::string& source, const std::string& framework) {
  auto compilation = compileSource("shape.fulcrum", source);
  for (const Diagnostic& d : compilation->diagnostics.diagnostics())
    ADD_FAILURE() << renderText(d, compilation->sources);
  return reportShape(*compilation, framework);
}

const char* const kData = R"(
entity account from "accounts.csv" {
  key name: text
  employees: count
}
table events from "events.csv" {
  account: account
  kind: text
  at: date
  weight: number
}
)";

TEST(ReportShape, TwoThresholdBandsOverTwoMetricsMakeThe2x2) {
  const ReportShape shape = shapeOf(std::string(kData) + R"(
framework lens "Lens" {
  subject account
  cadence week
  metric size_of_prize: money = employees * $40
  metric temperature = sum(events.weight)
  band heat = case {
    temperature is missing => "unknown"
    temperature >= 20 => "HIGH"
    temperature >= 5  => "MEDIUM"
    else              => "LOW"
  }
  rank priority by size_of_prize * temperature desc
  band size = case {
    size_of_prize >= $200k => "large"
    else                   => "small"
  }
})",
                                    "lens");
  EXPECT_EQ(shape.title, "Lens");
  ASSERT_EQ(shape.bands.size(), 2u);
  EXPECT_EQ(shape.bands[0].labels,
            (std::vector<std::string>{"unknown", "HIGH", "MEDIUM", "LOW"})); // the arms' order
  EXPECT_EQ(shape.bands[0].metric, "temperature");
  EXPECT_EQ(shape.bands[0].thresholds, (std::vector<double>{5, 20}));
  ASSERT_TRUE(shape.quadrant);
  EXPECT_EQ(shape.quadrant->x, "temperature");
  EXPECT_EQ(shape.quadrant->y, "size_of_prize");
  EXPECT_EQ(shape.quadrant->yLines, (std::vector<double>{200000})); // money in dollars
  EXPECT_EQ(shape.quadrant->rank, "priority");
  EXPECT_FALSE(shape.funnel);
}

TEST(ReportShape, BandsOverOneMetricOrMixedArmsMakeNo2x2) {
  const ReportShape shape = shapeOf(std::string(kData) + R"(
framework lens {
  subject account
  cadence week
  metric size_of_prize: money = employees * $40
  metric temperature = sum(events.weight)
  band heat = case {
    temperature >= 20 => "HIGH"
    else              => "LOW"
  }
  band hot = case {
    temperature >= 30 => "very"
    else              => "not"
  }
  band mixed = case {
    size_of_prize >= $1M and temperature > 1 => "both"
    else                                     => "neither"
  }
})",
                                    "lens");
  EXPECT_FALSE(shape.quadrant);
  ASSERT_EQ(shape.bands.size(), 3u);
  EXPECT_EQ(shape.bands[2].metric, "");
  EXPECT_TRUE(shape.bands[2].thresholds.empty());
}

TEST(ReportShape, ScoresKeepTheirComponentsAndWeights) {
  const ReportShape shape = shapeOf(std::string(kData) + R"(
framework s {
  subject account
  cadence quarter
  metric a = employees / 10000
  score total out of 5 {
    size 40% = clamp(a, 0, 1)
    rest 60% = 0.5
  }
})",
                                    "s");
  ASSERT_EQ(shape.scores.size(), 1u);
  EXPECT_EQ(shape.scores[0].outOf, 5);
  ASSERT_EQ(shape.scores[0].components.size(), 2u);
  EXPECT_EQ(shape.scores[0].components[0].column, "total.size");
  EXPECT_DOUBLE_EQ(shape.scores[0].components[0].weight, 0.4);
  EXPECT_EQ(shape.scores[0].components[1].column, "total.rest");
}

TEST(ReportHtml, DataTextCannotBecomeMarkup) {
  EXPECT_EQ(markupEscaped("</script><b class='x'>R&D \"Ops\"</b>"),
            "&lt;/script&gt;&lt;b class=&#39;x&#39;&gt;R&amp;D &quot;Ops&quot;&lt;/b&gt;");
  // Control characters XML cannot hold (the same escaping writes JUnit XML) become U+FFFD.
  EXPECT_EQ(markupEscaped(std::string("a\x01"
                                      "b\tc\n\x1f",
                                      7)),
            "a\xEF\xBF\xBD"
            "b\tc\n\xEF\xBF\xBD");
  const std::string json = scriptJson("</script><!-- \"x\"");
  EXPECT_EQ(json.find('<'), std::string::npos) << json;
  EXPECT_EQ(json, "\"\\u003c/script>\\u003c!-- \\\"x\\\"\"");
}

TEST(ReportHtml, SvgNumbersPrintOneWay) {
  EXPECT_EQ(svgNumber(12), "12");
  EXPECT_EQ(svgNumber(12.25), "12.2");
  EXPECT_EQ(svgNumber(-0.01), "0");
  EXPECT_EQ(svgNumber(1.0 / 0.0), "0");
}

} // namespace
} // namespace fulcrum::cli::report

namespace fulcrum::cli::report {
namespace {

// The funnel runs from quota back to daily activities (docs/report.md): the first `*_needed`
// call's starting metric or param, the `*_needed` stages, then the per-working-day activities,
// each group in declaration order; a param starts it with its value in the run.
const char* const kFunnel = R"(
import "stdlib/funnel"
entity rep from "reps.csv" {
  key name: text
  win_rate: percent
  average_deal: money
  dial_rate: percent
}
param quota_param: money = $150k
framework targets {
  subject rep
  cadence quarter
  metric quota: money = $100k
  metric pipeline: money = pipeline_needed(quota, win_rate)
  metric dials_per_day: count = ceil(per_working_day(dials, working_days(period)))
  metric opportunities = opportunities_needed(pipeline, average_deal)
  metric dials = dials_needed(opportunities, dial_rate)
  metric opportunities_per_day = per_working_day(opportunities, working_days(period))
  metric win_vs_team = versus_team(win_rate, 50%)
}
)";

TEST(ReportShape, TheFunnelRunsFromQuotaBackToDailyActivities) {
  const ReportShape shape = shapeOf(kFunnel, "targets");
  ASSERT_TRUE(shape.funnel);
  EXPECT_EQ(shape.funnel->stages,
            (std::vector<std::string>{"quota", "pipeline", "opportunities", "dials",
                                      "dials_per_day", "opportunities_per_day"}));
  EXPECT_EQ(shape.funnel->comparisons, (std::vector<std::string>{"win_vs_team"}));
}

TEST(ReportShape, AParamQuotaStartsTheFunnel) {
  std::string source = kFunnel;
  source.replace(source.find("pipeline_needed(quota,"), 22, "pipeline_needed(quota_param,");
  const ReportShape shape = shapeOf(source, "targets");
  ASSERT_TRUE(shape.funnel);
  EXPECT_EQ(shape.funnel->stages,
            (std::vector<std::string>{"quota_param", "pipeline", "opportunities", "dials",
                                      "dials_per_day", "opportunities_per_day"}));
}

TEST(ReportShape, AReportBlockChoosesTheFunnelAndThe2x2) {
  // The block's funnel replaces the rule's stages (the comparisons stay the rule's); its
  // quadrant sets y against x the other way round from the bands' order (the rule would take
  // x = deal), sized by `size` rather than the first rank, each axis's lines from its band.
  std::string source = kFunnel;
  source.replace(source.find("  metric win_vs_team"), 0,
                 "  rank by_deal by average_deal desc\n"
                 "  rank by_rate by win_rate desc\n"
                 "  metric deal: money = average_deal\n"
                 "  metric dials_rate: percent = dial_rate\n"
                 "  band deal_band = case {\n"
                 "    deal >= $10k => \"big\"\n"
                 "    else => \"small\"\n"
                 "  }\n"
                 "  band rate_band = case {\n"
                 "    dials_rate >= 10% => \"good\"\n"
                 "    dials_rate >= 5% => \"fair\"\n"
                 "    else => \"poor\"\n"
                 "  }\n"
                 "  report {\n"
                 "    quadrant x dials_rate, y deal, size by_rate\n"
                 "    funnel quota_param, dials, dials_per_day\n"
                 "  }\n");
  const ReportShape shape = shapeOf(source, "targets");
  ASSERT_TRUE(shape.funnel);
  EXPECT_EQ(shape.funnel->stages,
            (std::vector<std::string>{"quota_param", "dials", "dials_per_day"}));
  EXPECT_EQ(shape.funnel->comparisons, (std::vector<std::string>{"win_vs_team"}));
  ASSERT_TRUE(shape.quadrant);
  EXPECT_EQ(shape.quadrant->x, "dials_rate");
  EXPECT_EQ(shape.quadrant->y, "deal");
  EXPECT_EQ(shape.quadrant->rank, "by_rate");
  EXPECT_EQ(shape.quadrant->xBand, "rate_band");
  EXPECT_EQ(shape.quadrant->xLines, (std::vector<double>{0.05, 0.1}));
  EXPECT_EQ(shape.quadrant->yBand, "deal_band");
}

} // namespace
} // namespace fulcrum::cli::report
