// framework targets: each rep's funnel over the two quarters before the period, the team's
// average and median rates, the rates to plan with (own or team's, by history), and the daily
// dials and conversations back-solved from the quota (stdlib/funnel.fulcrum's fns inlined).
// Money (quota, the average deals, pipeline) is computed in units of 1/10,000 as Fulcrum does
// (Maybe.h): the average deals (own, and the team's avg of them) and `quota / win_rate` are
// rounded to the unit, and the columns show dollars once the funnel has used them.
#include "bench/handwritten/ActivityCounts.h"
#include "bench/handwritten/Frameworks.h"
#include "bench/handwritten/RowAggregates.h"
#include "bench/handwritten/TeamPeers.h"

namespace handwritten {

namespace {

enum Kind : size_t { Dial, Conversation, Meeting, Demo, KindCount };

// The params' defaults in targets.fulcrum.
constexpr double kMinTenure = 90;
constexpr double kMinDecided = 20;

// chosen_rate / chosen_amount: the rep's own value with enough history, else the team's.
Maybe chosen(Maybe own, Maybe team, Maybe history, double threshold) {
  return orElse(history, some(0)).value >= threshold ? orElse(own, team) : team;
}

const char* coachingBand(Maybe tenure, Maybe weakestVsTeam) {
  if (!tenure.present)
    return nullptr;
  if (tenure.value < kMinTenure)
    return "ramp-up";
  if (!weakestVsTeam.present)
    return "not enough data";
  return weakestVsTeam.value >= 1 ? "at or above the team" : "coach the weakest stage";
}

} // namespace

ResultTable evaluateTargets(const Dataset& data, const RunSettings& run) {
  const size_t reps = data.reps.size();
  const StringIndex& text = data.text;
  const DayRange history = previousQuarters(run.period.first, 2);
  const ActivityCounts activities(
      data.activities, reps, text.size(),
      {text.find("dial"), text.find("conversation"), text.find("meeting"), text.find("demo")},
      history, run.threads);
  const DealOutcomes deals =
      dealOutcomes(data.deals, reps, text.find("Won"), text.find("Lost"), history);
  const PeriodSums quotas = periodSums(data.quotas.rep, data.quotas.quarter, data.quotas.quota,
                                       reps, periodKey(run.period));
  const Maybe workingDaysInPeriod = some(workingDays(run.period));

  ResultTable table;
  auto& tenure = table.addNumbers("tenure", reps);
  auto& quota = table.addNumbers("quota", reps);
  auto& dials = table.addNumbers("dials", reps);
  auto& conversationsHeld = table.addNumbers("conversations_held", reps);
  auto& meetingsHeld = table.addNumbers("meetings_held", reps);
  auto& demosHeld = table.addNumbers("demos_held", reps);
  auto& decided = table.addNumbers("decided", reps);
  auto& ownWinRate = table.addNumbers("own_win_rate", reps);
  auto& ownAverageDeal = table.addNumbers("own_average_deal", reps);
  auto& ownDialToConversation = table.addNumbers("own_dial_to_conversation", reps);
  auto& ownConversationToMeeting = table.addNumbers("own_conversation_to_meeting", reps);
  auto& ownMeetingToDemo = table.addNumbers("own_meeting_to_demo", reps);
  for (size_t rep = 0; rep < reps; ++rep) {
    // days_since(hired): missing for a rep hired after the as-of day (coachingBand: missing).
    const int32_t hired = data.reps.hired[rep];
    tenure[rep] = hired <= run.asOf ? some(run.asOf - hired) : kMissing;
    quota[rep] = some(quotas.sum[rep]); // units, an exact sum
    dials[rep] = count(activities.of(rep, Dial));
    conversationsHeld[rep] = count(activities.of(rep, Conversation));
    meetingsHeld[rep] = count(activities.of(rep, Meeting));
    demosHeld[rep] = count(activities.of(rep, Demo));
    decided[rep] = count(deals.decided[rep]);
    ownWinRate[rep] = count(deals.won[rep]) / decided[rep];
    ownAverageDeal[rep] = deals.wonValueCount[rep]
                              ? roundMoney(some(deals.wonValue[rep] / deals.wonValueCount[rep]))
                              : kMissing;
    ownDialToConversation[rep] = conversationsHeld[rep] / dials[rep];
    ownConversationToMeeting[rep] = meetingsHeld[rep] / conversationsHeld[rep];
    ownMeetingToDemo[rep] = demosHeld[rep] / meetingsHeld[rep];
  }

  const TeamPeers peers(data.reps.team);
  const auto& teamWinRate = table.addNumbers("team_win_rate", peers.average(ownWinRate));
  std::vector<Maybe> teamAverageDealUnits = peers.average(ownAverageDeal);
  for (Maybe& units : teamAverageDealUnits)
    units = roundMoney(units);
  auto& teamAverageDeal = table.addNumbers("team_average_deal", std::move(teamAverageDealUnits));
  const auto& teamDialToConversation =
      table.addNumbers("team_dial_to_conversation", peers.average(ownDialToConversation));
  const auto& teamConversationToMeeting =
      table.addNumbers("team_conversation_to_meeting", peers.average(ownConversationToMeeting));
  const auto& teamMeetingToDemo =
      table.addNumbers("team_meeting_to_demo", peers.average(ownMeetingToDemo));

  auto& winRate = table.addNumbers("win_rate", reps);
  auto& averageDeal = table.addNumbers("average_deal", reps);
  auto& dialToConversation = table.addNumbers("dial_to_conversation", reps);
  auto& conversationToMeeting = table.addNumbers("conversation_to_meeting", reps);
  auto& meetingToDemo = table.addNumbers("meeting_to_demo", reps);
  auto& pipeline = table.addNumbers("pipeline", reps);
  auto& opportunities = table.addNumbers("opportunities", reps);
  auto& conversations = table.addNumbers("conversations", reps);
  auto& dialsNeeded = table.addNumbers("dials_needed_", reps);
  auto& dialsPerDay = table.addNumbers("dials_per_day", reps);
  auto& conversationsPerDay = table.addNumbers("conversations_per_day", reps);
  for (size_t rep = 0; rep < reps; ++rep) {
    winRate[rep] = chosen(ownWinRate[rep], teamWinRate[rep], decided[rep], kMinDecided);
    averageDeal[rep] = chosen(ownAverageDeal[rep], teamAverageDeal[rep], decided[rep], kMinDecided);
    dialToConversation[rep] =
        chosen(ownDialToConversation[rep], teamDialToConversation[rep], tenure[rep], kMinTenure);
    conversationToMeeting[rep] = chosen(ownConversationToMeeting[rep],
                                        teamConversationToMeeting[rep], tenure[rep], kMinTenure);
    meetingToDemo[rep] =
        chosen(ownMeetingToDemo[rep], teamMeetingToDemo[rep], tenure[rep], kMinTenure);
    pipeline[rep] = roundMoney(quota[rep] / winRate[rep]);
    opportunities[rep] = pipeline[rep] / averageDeal[rep];
    conversations[rep] = opportunities[rep] / (conversationToMeeting[rep] * meetingToDemo[rep]);
    dialsNeeded[rep] = conversations[rep] / dialToConversation[rep];
    dialsPerDay[rep] = ceilOf(dialsNeeded[rep] / workingDaysInPeriod);
    conversationsPerDay[rep] = ceilOf(conversations[rep] / workingDaysInPeriod);
  }
  for (std::vector<Maybe>* money :
       {&quota, &ownAverageDeal, &teamAverageDeal, &averageDeal, &pipeline})
    for (Maybe& units : *money)
      units = dollarsOf(units);

  const auto& medianDialToConversation =
      table.addNumbers("median_dial_to_conversation", peers.median(ownDialToConversation));
  const auto& medianConversationToMeeting =
      table.addNumbers("median_conversation_to_meeting", peers.median(ownConversationToMeeting));
  const auto& medianMeetingToDemo =
      table.addNumbers("median_meeting_to_demo", peers.median(ownMeetingToDemo));
  const auto& medianWinRate = table.addNumbers("median_win_rate", peers.median(ownWinRate));

  auto& weakestVsTeam = table.addNumbers("weakest_vs_team", reps);
  auto& coaching = table.addTexts("coaching", reps);
  for (size_t rep = 0; rep < reps; ++rep) {
    // versus_team(own, team) = own / team, per stage.
    weakestVsTeam[rep] = least(ownDialToConversation[rep] / medianDialToConversation[rep],
                               ownConversationToMeeting[rep] / medianConversationToMeeting[rep],
                               ownMeetingToDemo[rep] / medianMeetingToDemo[rep],
                               ownWinRate[rep] / medianWinRate[rep]);
    coaching[rep] = coachingBand(tenure[rep], weakestVsTeam[rep]);
  }
  return table;
}

} // namespace handwritten
