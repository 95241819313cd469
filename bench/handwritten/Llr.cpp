// framework llr: results from deals against the rep's quota, leadership and leverage from the
// ratings and the conversation-to-meeting rate, a 0..5 score and an outcome band.
#include "bench/handwritten/ActivityCounts.h"
#include "bench/handwritten/Frameworks.h"
#include "bench/handwritten/RowAggregates.h"

namespace handwritten {

namespace {

enum Kind : size_t { Dial, Email, Conversation, Meeting, Demo, KindCount };

// `avg(column where quarter == period)`: missing without rows.
Maybe averageOf(const PeriodSums& sums, size_t rep) {
  return sums.rows[rep] ? some(sums.sum[rep] / sums.rows[rep]) : kMissing;
}

const char* outcomeBand(Maybe decided, Maybe llr) {
  if (decided.value == 0) // a count: never missing
    return "ramping";
  if (!llr.present)
    return "unrated";
  if (llr.value >= 4.5)
    return "promote";
  if (llr.value >= 3.5)
    return "raise";
  if (llr.value >= 2.0)
    return "meets";
  return "pip";
}

} // namespace

ResultTable evaluateLlr(const Dataset& data, const RunSettings& run) {
  const size_t reps = data.reps.size();
  const StringIndex& text = data.text;
  const DayRange inPeriod = periodToDate(run.period, run.asOf);
  const ActivityCounts activities(data.activities, reps, text.size(),
                                  {text.find("dial"), text.find("email"), text.find("conversation"),
                                   text.find("meeting"), text.find("demo")},
                                  inPeriod, run.threads);
  const DealOutcomes deals =
      dealOutcomes(data.deals, reps, text.find("Won"), text.find("Lost"), inPeriod);
  const int64_t period = periodKey(run.period);
  const PeriodSums quotas =
      periodSums(data.quotas.rep, data.quotas.quarter, data.quotas.quota, reps, period);
  const PeriodSums leadershipRatings =
      periodSums(data.ratings.rep, data.ratings.quarter, data.ratings.leadership, reps, period);
  const PeriodSums leverageRatings =
      periodSums(data.ratings.rep, data.ratings.quarter, data.ratings.leverage, reps, period);

  ResultTable table;
  auto& won = table.addNumbers("won", reps);
  auto& decided = table.addNumbers("decided", reps);
  auto& winRate = table.addNumbers("win_rate", reps);
  auto& quota = table.addNumbers("quota", reps);
  auto& attainment = table.addNumbers("attainment", reps);
  const char* kindColumns[KindCount] = {"dials", "emails", "conversations", "meetings", "demos"};
  std::vector<Maybe>* kindCounts[KindCount];
  for (size_t kind = 0; kind < KindCount; ++kind)
    kindCounts[kind] = &table.addNumbers(kindColumns[kind], reps);
  auto& meetingRate = table.addNumbers("meeting_rate", reps);
  auto& leadership = table.addNumbers("leadership", reps);
  auto& leverageRating = table.addNumbers("leverage_rating", reps);
  auto& llr = table.addNumbers("llr", reps);
  auto& results = table.addNumbers("llr.results", reps);
  auto& leadershipPart = table.addNumbers("llr.leadership", reps);
  auto& leveragePart = table.addNumbers("llr.leverage", reps);
  auto& outcome = table.addTexts("outcome", reps);

  // Percent literals are their number over 100, as Fulcrum reads `40%`.
  const Maybe five = some(5), two = some(2), attainmentCap = some(150.0 / 100),
              meetingRateCap = some(40.0 / 100);
  const Maybe resultsWeight = some(40.0 / 100), leadershipWeight = some(30.0 / 100),
              leverageWeight = some(30.0 / 100);
  for (size_t rep = 0; rep < reps; ++rep) {
    // won and quota are exact sums of money units; attainment is their ratio.
    won[rep] = dollarsOf(some(deals.wonValue[rep]));
    decided[rep] = count(deals.decided[rep]);
    winRate[rep] = count(deals.won[rep]) / decided[rep];
    quota[rep] = dollarsOf(some(quotas.sum[rep]));
    attainment[rep] = some(deals.wonValue[rep]) / some(quotas.sum[rep]);
    for (size_t kind = 0; kind < KindCount; ++kind)
      (*kindCounts[kind])[rep] = count(activities.of(rep, kind));
    meetingRate[rep] = (*kindCounts[Meeting])[rep] / (*kindCounts[Conversation])[rep];
    leadership[rep] = averageOf(leadershipRatings, rep);
    leverageRating[rep] = averageOf(leverageRatings, rep);
    // Each component is clamped to [0, 1] again by the score, whatever its formula.
    results[rep] = clamp(clamp(attainment[rep] / attainmentCap, 0, 1), 0, 1);
    leadershipPart[rep] = clamp(leadership[rep] / five, 0, 1);
    leveragePart[rep] = clamp(
        (leverageRating[rep] / five + clamp(meetingRate[rep] / meetingRateCap, 0, 1)) / two, 0, 1);
    llr[rep] = five * (resultsWeight * results[rep] + leadershipWeight * leadershipPart[rep] +
                       leverageWeight * leveragePart[rep]);
    outcome[rep] = outcomeBand(decided[rep], llr[rep]);
  }
  return table;
}

} // namespace handwritten
