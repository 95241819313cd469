// Writing reps, accounts, ratings and quotas; each rep or account draws from its own
// random stream, so any one row depends only on the seed, the options and its own index.
#include "tools/fulcrum-gen/Tables.h"

#include "tools/fulcrum-gen/Names.h"
#include "tools/fulcrum-gen/Random.h"

#include <algorithm>
#include <cmath>

namespace fulcrum::gen {
namespace {

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
