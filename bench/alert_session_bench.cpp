// Alerts fed one event at a time (runtime/program/AlertSession.h): events per second through an
// alert session over the lens example (examples/accounts: 85 accounts, its two alerts), its
// events.csv fed again and again, one row per feed and 1,000 rows per feed, on the JIT and the
// interpreter. The target (issue 23): at least 1M events a second on one core.
#include "compiler/driver/Compilation.h"
#include "compiler/lower/MakeProgram.h"
#include "runtime/Program.h"
#include "runtime/program/AlertSession.h"
#include "runtime/program/LoadedData.h"

#include <algorithm>
#include <benchmark/benchmark.h>
#include <fstream>
#include <string>
#include <vector>

namespace {

using namespace fulcrum;
using namespace fulcrum::runtime;

const std::string kFolder = std::string(FULCRUM_SOURCE_DIR) + "/examples/accounts/";

// The example's events as cells, row-major (its rows are plain: no quoted field).
std::vector<std::string> exampleCells() {
  std::ifstream in(kFolder + "events.csv");
  std::string line;
  std::getline(in, line);
  std::vector<std::string> cells;
  while (std::getline(in, line)) {
    size_t start = 0;
    for (size_t comma; (comma = line.find(',', start)) != std::string::npos; start = comma + 1)
      cells.push_back(line.substr(start, comma - start));
    cells.push_back(line.substr(start));
  }
  return cells;
}

void BM_AlertSessionFeed(benchmark::State& state) {
  const auto engine = state.range(0) == 0 ? EngineKind::Jit : EngineKind::Interpreter;
  const auto rowsPerFeed = static_cast<size_t>(state.range(1));
  auto compilation = compileFile(kFolder + "lens.fulcrum");
  DiagnosticSink sink;
  std::string error;
  auto program = makeProgram(*compilation, "account_lens", engine, sink, error);
  if (!program) {
    state.SkipWithError(error.c_str());
    return;
  }
  RunRequest request;
  request.asOf = "2017-06-30";
  LoadOutcome loaded = program->load(request);
  AlertSessionResult outcome;
  auto session = AlertSession::create(*program, *loaded.data, "events", request, outcome);
  if (!session) {
    state.SkipWithError("no session");
    return;
  }
  const std::vector<std::string> cells = exampleCells();
  const size_t fields = session->eventsSchema().fields.size();
  const size_t rows = cells.size() / fields;
  // Feeds cut from the example's rows, cycling through them: every row is fed (one-row feeds
  // included, so its recent role changes fire the active alert), and at least 64 feeds.
  const size_t feedCount = std::max<size_t>(64, (rows + rowsPerFeed - 1) / rowsPerFeed);
  std::vector<std::vector<std::string_view>> feeds;
  for (size_t first = 0; feeds.size() < feedCount; first = (first + rowsPerFeed) % rows) {
    std::vector<std::string_view>& feed = feeds.emplace_back();
    for (size_t r = 0; r < rowsPerFeed; ++r)
      for (size_t f = 0; f < fields; ++f)
        feed.push_back(cells[((first + r) % rows) * fields + f]);
  }
  size_t next = 0, fired = 0;
  for (auto _ : state) {
    AlertSessionResult result = session->feed(feeds[next++ % feeds.size()]);
    fired += result.fired.size();
    benchmark::DoNotOptimize(result);
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * rowsPerFeed));
  state.counters["events/s"] = benchmark::Counter(
      static_cast<double>(state.iterations() * rowsPerFeed), benchmark::Counter::kIsRate);
  state.counters["fired"] = static_cast<double>(fired);
}

BENCHMARK(BM_AlertSessionFeed)
    ->ArgNames({"interp", "rows"})
    ->Args({0, 1})
    ->Args({0, 1000})
    ->Args({1, 1})
    ->Args({1, 1000})
    ->Unit(benchmark::kMicrosecond);

} // namespace
