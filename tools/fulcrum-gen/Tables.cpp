// Writing reps, accounts, events, ratings and quotas; each rep or account draws from its own
// random stream, so any one row depends only on the seed, the options and its own index.
#include "tools/fulcrum-gen/Tables.h"

#include "tools/fulcrum-gen/Names.h"
#include "tools/fulcrum-gen/OrderedBlocks.h"
#include "tools/fulcrum-gen/Random.h"

#include <algorithm>
#include <cmath>

namespace fulcrum::gen {
namespace {

constexpr uint32_t kAccountsPerEventBlock = 2048;
constexpr double kMedianEventsPerYear = 3.5;

template <class List> std::string_view pick(Rng& rng, const List& list) {
  return list[rng.below(list.size())];
}

int clampRating(double value) {
  return static_cast<int>(std::clamp(std::floor(value + 0.5), 1.0, 5.0));
}

// Calls visit(quarter) for every quarter from the one the rep was hired in (or the range's
// first) to the range's last.
template <class Visit>
void forEachQuarterEmployed(const World& world, const Rep& rep, Visit visit) {
  const Period last = periodContaining(world.options.end, PeriodUnit::Quarter);
  for (Period quarter =
           periodContaining(std::max(rep.hired, world.options.start), PeriodUnit::Quarter);
       quarter.start() <= last.start(); quarter = quarter.shifted(1))
    visit(quarter);
}

struct EventKind {
  std::string_view name;
  uint32_t share; // relative frequency
  int lowWeight;  // weights are uniform in [lowWeight, highWeight]
  int highWeight;
  double anonymous; // chance of no known contact
};

constexpr EventKind kEventKinds[] = {
    {"web_visit", 400, 1, 2, 0.8},      {"email_open", 280, 1, 2, 0.0},
    {"product_usage", 140, 3, 5, 0.3},  {"whitepaper_download", 80, 3, 4, 0.2},
    {"contact_request", 50, 6, 8, 0.0}, {"role_change", 30, 5, 6, 0.0},
    {"purchase", 20, 9, 10, 0.0},
};

size_t pickEventKind(Rng& rng) {
  uint32_t total = 0;
  for (const EventKind& kind : kEventKinds)
    total += kind.share;
  uint64_t u = rng.below(total);
  size_t index = 0;
  while (u >= kEventKinds[index].share)
    u -= kEventKinds[index++].share;
  return index;
}

struct Event {
  DayNumber day;
  uint8_t kind;
  uint8_t contact; // index into the account's contacts, or kNoContact
  uint8_t weight;
  auto operator<=>(const Event&) const = default;
};
constexpr uint8_t kNoContact = 255;

struct EventBlock {
  TextBuffer text;
  uint64_t rows = 0;
};

void fillEvents(const World& world, uint32_t firstAccount, EventBlock& block) {
  block.text.clear();
  block.rows = 0;
  const DayNumber start = world.options.start;
  const DayNumber end = world.options.end;
  const double years = (end - start + 1) / 365.25;
  const uint32_t last = std::min(world.accounts, firstAccount + kAccountsPerEventBlock);
  std::vector<std::string> contacts;
  std::vector<Event> events;
  for (uint32_t account = firstAccount; account < last; ++account) {
    Rng rng(world.options.seed, EventStream, account);
    contacts.clear();
    for (int64_t n = rng.between(1, 5); n > 0; --n)
      contacts.push_back(personName(rng));
    // Engagement differs a lot between accounts: a long-tailed rate of events per year.
    const uint64_t count = rng.poisson(rng.logNormal(kMedianEventsPerYear, 0.8) * years);
    events.clear();
    for (uint64_t i = 0; i < count; ++i) {
      const size_t kind = pickEventKind(rng);
      const EventKind& k = kEventKinds[kind];
      Event event;
      event.day = static_cast<DayNumber>(rng.between(start, end));
      event.kind = static_cast<uint8_t>(kind);
      event.contact =
          rng.chance(k.anonymous) ? kNoContact : static_cast<uint8_t>(rng.below(contacts.size()));
      event.weight = static_cast<uint8_t>(rng.between(k.lowWeight, k.highWeight));
      events.push_back(event);
    }
    std::sort(events.begin(), events.end());
    for (const Event& event : events) {
      block.text.append(world.accountId(account));
      block.text.append(',');
      if (event.contact != kNoContact)
        block.text.append(contacts[event.contact]);
      block.text.append(',');
      block.text.append(kEventKinds[event.kind].name);
      block.text.append(',');
      block.text.append(world.dates[event.day]);
      block.text.append(',');
      block.text.appendUnsigned(event.weight);
      block.text.append('\n');
    }
    block.rows += events.size();
  }
}

} // namespace

void writeReps(const World& world, CsvFile& file) {
  TextBuffer out;
  uint64_t rows = 0;
  for (uint32_t i = 0; i < world.reps.size(); ++i) {
    const Rep& rep = world.reps[i];
    const Team& team = world.teams[rep.team];
    out.append(world.repId(i));
    out.append(',');
    out.append(rep.name);
    out.append(',');
    out.append(team.name);
    out.append(',');
    out.append(team.manager);
    out.append(',');
    out.append(team.region);
    out.append(',');
    out.append(world.dates[rep.hired]);
    out.append('\n');
    ++rows;
    file.writeIfFull(out, rows);
  }
  file.write(out, rows);
}

void writeAccounts(const World& world, CsvFile& file) {
  TextBuffer out;
  uint64_t rows = 0;
  for (uint32_t r = 0; r < world.reps.size(); ++r) {
    const Rep& rep = world.reps[r];
    for (uint32_t account = rep.firstAccount; account < rep.firstAccount + rep.accountCount;
         ++account) {
      Rng rng(world.options.seed, AccountStream, account);
      out.append(world.accountId(account));
      out.append(',');
      out.append(pick(rng, names::companyStems));
      out.append(' ');
      out.append(pick(rng, names::companySuffixes));
      out.append(',');
      out.append(pick(rng, names::sectors));
      out.append(',');
      out.appendUnsigned(static_cast<uint64_t>(std::max(1.0, std::floor(rng.logNormal(150, 1.5)))));
      out.append(',');
      out.append(world.repId(r));
      out.append(',');
      out.append(world.dates[static_cast<DayNumber>(
          rng.between(world.options.start + 90, world.options.end + 365))]);
      out.append('\n');
      ++rows;
      file.writeIfFull(out, rows);
    }
  }
  file.write(out, rows);
}

void writeEvents(const World& world, CsvFile& file) {
  const size_t blocks = (world.accounts + kAccountsPerEventBlock - 1) / kAccountsPerEventBlock;
  runOrdered<EventBlock>(
      blocks, world.options.threads,
      [&](size_t index, EventBlock& block) {
        fillEvents(world, static_cast<uint32_t>(index * kAccountsPerEventBlock), block);
      },
      [&](size_t, EventBlock& block) { file.write(block.text, block.rows); });
}

void writeRatings(const World& world, CsvFile& file) {
  TextBuffer out;
  uint64_t rows = 0;
  for (uint32_t r = 0; r < world.reps.size(); ++r) {
    const Rep& rep = world.reps[r];
    Rng rng(world.options.seed, RatingStream, r);
    // Managers rate on what they see: the funnel's quality, plus their own view of the rep.
    const double leadership = 0.6 * rep.funnel.quality + 0.4 * rng.uniform();
    const double leverage = 0.5 * rep.funnel.quality + 0.5 * rng.uniform();
    forEachQuarterEmployed(world, rep, [&](const Period& quarter) {
      out.append(world.repId(r));
      out.append(',');
      out.append(formatPeriod(quarter));
      out.append(',');
      out.appendUnsigned(
          static_cast<uint64_t>(clampRating(1 + 4 * leadership + rng.normal(0, 0.7))));
      out.append(',');
      out.appendUnsigned(static_cast<uint64_t>(clampRating(1 + 4 * leverage + rng.normal(0, 0.7))));
      out.append('\n');
      ++rows;
    });
    file.writeIfFull(out, rows);
  }
  file.write(out, rows);
}

void writeQuotas(const World& world, CsvFile& file) {
  TextBuffer out;
  uint64_t rows = 0;
  const Period first = periodContaining(world.options.start, PeriodUnit::Quarter);
  for (uint32_t r = 0; r < world.reps.size(); ++r) {
    const Rep& rep = world.reps[r];
    Rng rng(world.options.seed, QuotaStream, r);
    forEachQuarterEmployed(world, rep, [&](const Period& quarter) {
      // 5% growth a year over the range, a few percent of quarterly adjustment, whole thousands.
      const double years = (quarter.year * 4 + quarter.index - first.year * 4 - first.index) / 4.0;
      const double quota = rep.quotaBase * (1 + 0.05 * years) * (1 + rng.normal(0, 0.03));
      out.append(world.repId(r));
      out.append(',');
      out.append(formatPeriod(quarter));
      out.append(',');
      out.appendUnsigned(static_cast<uint64_t>(std::max(1.0, std::floor(quota / 1000 + 0.5))) *
                         1000);
      out.append('\n');
      ++rows;
    });
    file.writeIfFull(out, rows);
  }
  file.write(out, rows);
}

} // namespace fulcrum::gen
