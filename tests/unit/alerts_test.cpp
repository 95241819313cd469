// Alerts over a table large enough to be scanned in chunks on several threads: every engine and
// thread count fires the same alerts, each naming the table's row (not the chunk's), and the
// set is exactly the rows the filter selects, computed here from the generated data. One alert
// rides along the table's ordinary scan; the other reads a member, so it has a scan of its own
// after the formulas.
#include "compiler/lower/MakeProgram.h"
#include "runtime/Program.h"
#include "tests/unit/TempPaths.h"

#include <fmt/format.h>
#include <fstream>
#include <gtest/gtest.h>
#include <set>
#include <string>
#include <vector>

namespace fulcrum::runtime {
namespace {

constexpr int kAccounts = 50;
constexpr int kEvents = 300000; // several chunks of at least 65,536 rows

const char* const kSource = R"(
entity account {
  key name: text
}
table events {
  key id: text
  account: account
  kind: text
  at: date
  weight: number
}
framework lens {
  subject account
  cadence week
  metric heat = sum(events.weight where at in last 7 days)
  alert moved "Moved" on events where kind == "role_change" and at in last 3 days
    message "{id} at {name}"
  alert hot_event "Hot" on events where weight > 9 and heat > 1000
    message "{id}: {heat}"
}
)";

// Day numbers of 2017-06-01 + offset, as ISO text.
std::string dayText(int offset) {
  return fmt::format("2017-06-{:02}", 1 + offset);
}

struct Generated {
  std::string accounts, events;
  std::set<std::string> moved;          // identities the oracle expects (as of 2017-06-30)
  std::vector<int> heatByAccount;       // sum of weights in the last 7 days, weights are whole
  std::vector<std::pair<int, int>> hot; // (account, event) with weight > 9
};

Generated generate(const std::string& folder) {
  Generated g;
  g.accounts = folder + "_accounts.csv";
  g.events = folder + "_events.csv";
  std::ofstream accounts(g.accounts), events(g.events);
  accounts << "name\n";
  for (int a = 0; a < kAccounts; ++a)
    accounts << "A" << a << "\n";
  events << "id,account,kind,at,weight\n";
  g.heatByAccount.assign(kAccounts, 0);
  uint64_t state = 12345;
  auto next = [&] {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<int>(state >> 33);
  };
  for (int e = 0; e < kEvents; ++e) {
    const int account = next() % kAccounts, day = next() % 30, weight = next() % 10 + 1;
    const bool roleChange = next() % 5000 == 0;
    events << "e" << e << ",A" << account << "," << (roleChange ? "role_change" : "web") << ","
           << dayText(day) << "," << weight << "\n";
    if (roleChange && day >= 27) // 2017-06-28..30: the last 3 days as of 2017-06-30
      g.moved.insert(fmt::format("moved\x1f"
                                 "A{}\x1f"
                                 "e{}",
                                 account, e));
    if (day >= 23)
      g.heatByAccount[account] += weight;
    if (weight > 9)
      g.hot.emplace_back(account, e);
  }
  return g;
}

std::vector<AlertRecord> alertsOf(const Generated& g, EngineKind engine, unsigned threads) {
  auto compilation = compileSource("alerts.fulcrum", kSource);
  EXPECT_TRUE(compilation->ok());
  DiagnosticSink sink;
  std::string error;
  auto program = makeProgram(*compilation, "lens", engine, sink, error);
  EXPECT_TRUE(program) << error;
  EXPECT_TRUE(program->warnings().empty());
  RunRequest request;
  request.asOf = "2017-06-30";
  request.dataPaths = {{"account", g.accounts}, {"events", g.events}};
  request.threads = threads;
  request.alerts = true;
  RunResult result = program->run(request);
  EXPECT_EQ(result.status, RunStatus::Ok) << (result.errors.empty() ? "" : result.errors[0]);
  return result.alerts;
}

TEST(Alerts, ChunkedScansOnEveryEngineAndThreadCountFireTheOraclesRows) {
  const Generated g = generate(tempPath(currentTestName()));
  std::set<std::string> hot;
  for (const auto& [account, event] : g.hot)
    if (g.heatByAccount[account] > 1000)
      hot.insert(fmt::format("hot_event\x1f"
                             "A{}\x1f"
                             "e{}",
                             account, event));
  ASSERT_GT(g.moved.size(), 3u);
  ASSERT_GT(hot.size(), 100u);

  std::vector<AlertRecord> reference;
  for (EngineKind engine : {EngineKind::Interpreter, EngineKind::Jit})
    for (unsigned threads : {1u, 2u, 5u}) {
      const std::vector<AlertRecord> alerts = alertsOf(g, engine, threads);
      std::set<std::string> moved, hotFired;
      for (const AlertRecord& alert : alerts)
        (alert.alert == "moved" ? moved : hotFired).insert(alert.identity);
      EXPECT_EQ(moved, g.moved) << "threads " << threads;
      EXPECT_EQ(hotFired, hot) << "threads " << threads;
      if (reference.empty()) {
        reference = alerts;
        continue;
      }
      ASSERT_EQ(alerts.size(), reference.size());
      for (size_t i = 0; i < alerts.size(); ++i) {
        EXPECT_EQ(alerts[i].identity, reference[i].identity) << i;
        EXPECT_EQ(alerts[i].message, reference[i].message) << i;
        EXPECT_EQ(alerts[i].date, reference[i].date) << i;
      }
    }
  std::remove(g.accounts.c_str());
  std::remove(g.events.c_str());
}

} // namespace
} // namespace fulcrum::runtime
