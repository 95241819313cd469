// framework deals (bench/frameworks/deals.fulcrum): eight filtered aggregates per rep over every
// deal row, and the win rate. One branch-free pass: each row's predicates are 0/1 integers that
// add into per-rep counters (uint32 counts, int64 money units, so every sum is exact and the
// order rows are added in cannot change a result); threads fill private blocks of counters,
// summed at the end.
#include "bench/handwritten/Frameworks.h"

#include <algorithm>
#include <thread>

namespace handwritten {

namespace {

struct RepCounters {
  int64_t won = 0, gtkWon = 0, biggest = INT64_MIN; // money units
  uint32_t wonDeals = 0, lostDeals = 0, engaged = 0, open = 0, prospects = 0;
  uint32_t biggestRows = 0; // won rows with a value: biggest_win is missing without one
};

} // namespace

ResultTable evaluateDeals(const PipelineData& data, const RunSettings& run) {
  const size_t reps = data.agents.size();
  const PipelineDeals& deals = data.deals;
  const DayRange inPeriod = periodToDate(run.period, run.asOf);
  const int32_t gtk = data.products.find("GTK 500"); // -1 when no row has it

  const size_t rows = deals.size();
  const size_t parts = std::clamp<size_t>(static_cast<size_t>(std::max(run.threads, 1)), 1,
                                          std::max<size_t>(rows / 65536, 1));
  std::vector<std::vector<RepCounters>> blocks(parts);
  auto countRange = [&](size_t part) {
    std::vector<RepCounters>& block = blocks[part];
    block.assign(reps, RepCounters{});
    RepCounters* counters = block.data();
    const size_t begin = rows * part / parts, end = rows * (part + 1) / parts;
    const int32_t* owner = deals.owner.data();
    const uint8_t* stage = deals.stage.data();
    const int32_t* product = deals.product.data();
    const int32_t* engaged = deals.engaged.data();
    const int32_t* closed = deals.closed.data();
    const int64_t* value = deals.value.data();
    const uint8_t* present = deals.valuePresent.data();
    for (size_t i = begin; i < end; ++i) {
      RepCounters& c = counters[owner[i]];
      const uint32_t closedIn = inPeriod.contains(closed[i]);
      const uint32_t won = (stage[i] == StageWon) & closedIn;
      const uint32_t wonValue = won & present[i];
      const int64_t v = value[i]; // 0 when missing
      c.wonDeals += won;
      c.lostDeals += (stage[i] == StageLost) & closedIn;
      c.engaged += inPeriod.contains(engaged[i]);
      c.open += stage[i] == StageEngaging;
      c.prospects += stage[i] == StageProspecting;
      c.won += wonValue ? v : 0;
      c.gtkWon += (wonValue & (product[i] == gtk)) ? v : 0;
      c.biggest = std::max(c.biggest, wonValue ? v : INT64_MIN);
      c.biggestRows += wonValue;
    }
  };
  std::vector<std::thread> workers;
  for (size_t part = 1; part < parts; ++part)
    workers.emplace_back(countRange, part);
  countRange(0);
  for (std::thread& worker : workers)
    worker.join();
  std::vector<RepCounters>& total = blocks[0];
  for (size_t part = 1; part < parts; ++part)
    for (size_t rep = 0; rep < reps; ++rep) {
      RepCounters& t = total[rep];
      const RepCounters& p = blocks[part][rep];
      t.won += p.won;
      t.gtkWon += p.gtkWon;
      t.biggest = std::max(t.biggest, p.biggest);
      t.wonDeals += p.wonDeals;
      t.lostDeals += p.lostDeals;
      t.engaged += p.engaged;
      t.open += p.open;
      t.prospects += p.prospects;
      t.biggestRows += p.biggestRows;
    }

  ResultTable table;
  auto& won = table.addNumbers("won", reps);
  auto& wonDeals = table.addNumbers("won_deals", reps);
  auto& lostDeals = table.addNumbers("lost_deals", reps);
  auto& engaged = table.addNumbers("engaged", reps);
  auto& biggest = table.addNumbers("biggest_win", reps);
  auto& gtkWon = table.addNumbers("gtk_won", reps);
  auto& open = table.addNumbers("open_deals", reps);
  auto& prospects = table.addNumbers("prospects", reps);
  auto& winRate = table.addNumbers("win_rate", reps);
  auto dollars = [](int64_t units) {
    return some(static_cast<double>(units) / kMoneyUnitsPerDollar);
  };
  for (size_t rep = 0; rep < reps; ++rep) {
    const RepCounters& t = total[rep];
    won[rep] = dollars(t.won);
    wonDeals[rep] = count(t.wonDeals);
    lostDeals[rep] = count(t.lostDeals);
    engaged[rep] = count(t.engaged);
    biggest[rep] = t.biggestRows ? dollars(t.biggest) : kMissing;
    gtkWon[rep] = dollars(t.gtkWon);
    open[rep] = count(t.open);
    prospects[rep] = count(t.prospects);
    winRate[rep] = wonDeals[rep] / (wonDeals[rep] + lostDeals[rep]);
  }
  return table;
}

} // namespace handwritten
