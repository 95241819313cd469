// Building the world: team sizes and managers, rep hire dates and funnels, account ownership.
#include "tools/fulcrum-gen/World.h"

#include "tools/fulcrum-gen/Names.h"
#include "tools/fulcrum-gen/Random.h"
#include "tools/fulcrum-gen/TextBuffer.h"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>
#include <unordered_set>

namespace fulcrum::gen {
namespace {

constexpr int kMinTeam = 6;
constexpr int kMaxTeam = 10;
constexpr double kLateHireShare = 0.04;    // reps hired in the range's last quarter
constexpr double kBeforeRangeShare = 0.55; // of the others, hired before the range
constexpr int kYearsBefore = 5;            // earliest hires this many years before start
constexpr uint64_t kEventsPerAccount = 15; // events.csv's rows without --events

template <class List> std::string_view pick(Rng& rng, const List& list) {
  return list[rng.below(list.size())];
}

// Team sizes of 6 to 10 adding up to `reps` (one smaller team when there are fewer than 6).
std::vector<uint32_t> teamSizes(uint32_t reps, Rng& rng) {
  if (reps < kMinTeam)
    return {reps};
  uint32_t count = std::max<uint32_t>(1, (reps + 4) / 8);
  count = std::min(count, reps / kMinTeam);
  count = std::max(count, (reps + kMaxTeam - 1) / kMaxTeam);
  std::vector<uint32_t> sizes(count, kMinTeam);
  for (uint32_t extra = reps - kMinTeam * count; extra > 0; --extra) {
    uint32_t team = static_cast<uint32_t>(rng.below(count));
    while (sizes[team] == kMaxTeam)
      team = (team + 1) % count;
    ++sizes[team];
  }
  return sizes;
}

void buildTeams(World& world, std::vector<uint32_t>& teamOfRep) {
  Rng rng(world.options.seed, TeamStream, 0);
  const std::vector<uint32_t> sizes = teamSizes(world.options.reps, rng);
  std::unordered_set<std::string> managers;
  for (size_t t = 0; t < sizes.size(); ++t) {
    Team team;
    team.region = pick(rng, names::regions);
    // Unique names: a region, a word, and a number once the words run out.
    team.name = fmt::format("{} {}", team.region, names::teamWords[t % names::teamWords.size()]);
    if (const size_t round = t / names::teamWords.size(); round > 0)
      team.name += fmt::format(" {}", round + 1);
    do
      team.manager = personName(rng);
    while (!managers.insert(team.manager).second);
    world.teams.push_back(std::move(team));
    teamOfRep.insert(teamOfRep.end(), sizes[t], static_cast<uint32_t>(t));
  }
  // Reps join teams in no particular id order.
  for (size_t i = teamOfRep.size(); i > 1; --i)
    std::swap(teamOfRep[i - 1], teamOfRep[rng.below(i)]);
}

// Which reps are hired in the last quarter: a shuffled choice of max(1, 4%) of them.
std::vector<bool> lateHires(uint32_t reps, Rng& rng) {
  const uint32_t count = std::min(
      reps, std::max<uint32_t>(1, static_cast<uint32_t>(std::ceil(reps * kLateHireShare))));
  std::vector<uint32_t> order(reps);
  for (uint32_t i = 0; i < reps; ++i)
    order[i] = i;
  for (size_t i = order.size(); i > 1; --i)
    std::swap(order[i - 1], order[rng.below(i)]);
  std::vector<bool> late(reps, false);
  for (uint32_t i = 0; i < count; ++i)
    late[order[i]] = true;
  return late;
}

DayNumber hireDate(const World& world, bool late, Rng& rng) {
  const DayNumber start = world.options.start;
  const DayNumber end = world.options.end;
  DayNumber day;
  if (late)
    day = static_cast<DayNumber>(rng.between(world.lastQuarterStart, end));
  else if (world.lastQuarterStart > start && !rng.chance(kBeforeRangeShare))
    day = static_cast<DayNumber>(rng.between(start, world.lastQuarterStart - 1));
  else
    day = static_cast<DayNumber>(start - rng.between(1, kYearsBefore * 365));
  // Start on a Monday rather than a weekend, unless that would leave the range.
  const int weekday = isoWeekday(day);
  if (weekday > 5 && day + (8 - weekday) <= end)
    day += 8 - weekday;
  return day;
}

Funnel drawFunnel(Rng& rng) {
  // A latent skill makes a rep's stages loosely agree; each stage keeps its own noise.
  const double skill = rng.uniform();
  auto stage = [&](double low, double high, double& position) {
    position = 0.6 * skill + 0.4 * rng.uniform();
    return low + (high - low) * position;
  };
  Funnel funnel;
  double positions[4];
  funnel.dialToConversation = stage(0.05, 0.25, positions[0]);
  funnel.conversationToMeeting = stage(0.15, 0.50, positions[1]);
  funnel.meetingToDemo = stage(0.25, 0.70, positions[2]);
  funnel.winRate = stage(0.10, 0.50, positions[3]);
  funnel.emailsPerDial = rng.uniform(0.2, 0.8);
  funnel.quality = (positions[0] + positions[1] + positions[2] + positions[3]) / 4;
  return funnel;
}

std::array<double, kActivityKinds - 1> kindThresholds(const Funnel& funnel) {
  const double conversation = funnel.dialToConversation;
  const double meeting = conversation * funnel.conversationToMeeting;
  const double demo = meeting * funnel.meetingToDemo;
  const double weights[kActivityKinds] = {1.0, funnel.emailsPerDial, conversation, meeting, demo};
  double total = 0;
  for (double weight : weights)
    total += weight;
  std::array<double, kActivityKinds - 1> thresholds{};
  double cumulative = 0;
  for (int kind = 0; kind < kActivityKinds - 1; ++kind) {
    cumulative += weights[kind] / total;
    thresholds[kind] = cumulative;
  }
  return thresholds;
}

// `--accounts N`: every rep owns one account, and the other N - reps are shared out in
// proportion to the reps' drawn counts (12 to 28), as differences of floor(extra * prefix /
// total), so that they add up to exactly N.
void splitAccounts(std::vector<Rep>& reps, uint32_t total) {
  uint64_t weights = 0;
  for (const Rep& rep : reps)
    weights += rep.accountCount;
  const uint64_t extra = total - reps.size();
  uint64_t prefix = 0, before = 0;
  for (Rep& rep : reps) {
    prefix += rep.accountCount;
    const uint64_t upTo = extra * prefix / weights; // < 2^24 * 2^22: no overflow
    rep.accountCount = static_cast<uint32_t>(1 + upTo - before);
    before = upTo;
  }
}

} // namespace

std::string_view activityKindName(ActivityKind kind) {
  static constexpr std::string_view kNames[kActivityKinds] = {"dial", "email", "conversation",
                                                              "meeting", "demo"};
  return kNames[kind];
}

std::string personName(Rng& rng) {
  return std::string(pick(rng, names::firstNames)) + " " + std::string(pick(rng, names::lastNames));
}

DateTexts::DateTexts(DayNumber first, DayNumber last) : first_(first) {
  text_.resize(static_cast<size_t>(last - first + 1) * 10);
  for (DayNumber day = first; day <= last; ++day) {
    int year = 0, month = 0, dayOfMonth = 0;
    civilFromDay(day, year, month, dayOfMonth);
    char* out = text_.data() + static_cast<size_t>(day - first) * 10;
    writePadded(out, static_cast<uint64_t>(year), 4);
    out[4] = '-';
    writePadded(out + 5, static_cast<uint64_t>(month), 2);
    out[7] = '-';
    writePadded(out + 8, static_cast<uint64_t>(dayOfMonth), 2);
  }
}

World::World(const Options& opts)
    : options(opts), dates(opts.start - (kYearsBefore + 1) * 366, opts.end + 2 * 366) {
  lastQuarterStart =
      std::max(options.start, periodContaining(options.end, PeriodUnit::Quarter).start());
  for (DayNumber day = options.start; day <= options.end; ++day)
    if (isoWeekday(day) <= 5)
      weekdays.push_back(day);

  std::vector<uint32_t> teamOfRep;
  buildTeams(*this, teamOfRep);
  Rng hiring(options.seed, RepStream, 0);
  const std::vector<bool> late = lateHires(options.reps, hiring);

  reps.resize(options.reps);
  repIds_.resize(static_cast<size_t>(options.reps) * 7);
  for (uint32_t i = 0; i < options.reps; ++i) {
    Rng rng(options.seed, RepStream, i + 1);
    Rep& rep = reps[i];
    rep.name = personName(rng);
    rep.team = teamOfRep[i];
    rep.hired = hireDate(*this, late[i], rng);
    rep.funnel = drawFunnel(rng);
    rep.kindThresholds = kindThresholds(rep.funnel);
    rep.intensity = static_cast<uint32_t>(rng.between(600, 1800));
    rep.accountCount = static_cast<uint32_t>(rng.between(12, 28));
    rep.quotaBase = static_cast<uint32_t>(100000 + 1000 * rng.between(0, 200));
    repIds_[i * 7] = 'R';
    writePadded(repIds_.data() + i * 7 + 1, i + 1, 6);
  }
  if (options.accounts != 0)
    splitAccounts(reps, options.accounts);
  for (Rep& rep : reps) {
    rep.firstAccount = accounts;
    accounts += rep.accountCount;
  }
  events = options.events.value_or(uint64_t{kEventsPerAccount} * accounts);
  accountIds_.resize(static_cast<size_t>(accounts) * 8);
  for (uint32_t i = 0; i < accounts; ++i) {
    accountIds_[static_cast<size_t>(i) * 8] = 'A';
    writePadded(accountIds_.data() + static_cast<size_t>(i) * 8 + 1, i + 1, 7);
  }
}

} // namespace fulcrum::gen
