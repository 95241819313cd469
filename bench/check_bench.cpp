// Front-end speed: parsing and checking a generated framework file of 50,000 metric lines.
// The target (issue "front end"): under one second for the whole file.
#include "compiler/driver/Compilation.h"

#include <benchmark/benchmark.h>
#include <fmt/format.h>
#include <string>

namespace {

// Data declarations, then one framework whose metrics mix aggregates, arithmetic over earlier
// metrics, conditionals and period windows, as real frameworks do.
std::string generateFramework(int metrics) {
  std::string source = R"(entity rep from "reps.csv" {
  key name: text
  manager: text
}
table deals from "deals.csv" {
  key id: text
  owner: rep
  stage: text
  value: money?
  closed: date?
}
param quota: money = 600000
framework big {
  subject rep
  cadence quarter
  metric m0: money = sum(deals.value where stage == "Won" and closed in period)
)";
  for (int i = 1; i < metrics; ++i) {
    switch (i % 4) {
    case 0:
      source += fmt::format("  metric m{}: money = sum(deals.value where stage == \"Won\" and "
                            "closed in previous {} quarters)\n",
                            i, i % 7 + 1);
      break;
    case 1:
      source += fmt::format("  metric m{} = m{} / quota\n", i, i - 1);
      break;
    case 2:
      source += fmt::format("  metric m{}: count = count(deals where stage in (\"Won\", \"Lost\") "
                            "and value > {})\n",
                            i, i * 10);
      break;
    default:
      source += fmt::format("  metric m{} = if m{} >= 100% then m{} * 2 else (m{} ?? 0)\n", i,
                            i - 2, i - 1, i - 1);
      break;
    }
  }
  source += "}\n";
  return source;
}

void BM_CheckLargeFramework(benchmark::State& state) {
  const std::string source = generateFramework(static_cast<int>(state.range(0)));
  for (auto _ : state) {
    auto compilation = fulcrum::compileSource("big.fulcrum", source);
    if (!compilation->ok())
      state.SkipWithError("the generated framework does not check clean");
    benchmark::DoNotOptimize(compilation);
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
  state.counters["bytes"] = static_cast<double>(source.size());
}
BENCHMARK(BM_CheckLargeFramework)->Arg(1000)->Arg(50000)->Unit(benchmark::kMillisecond);

} // namespace
