// Alerts fed one event at a time (runtime/program/AlertSession.h) against the batch run as the
// oracle: the lens example's framework over its 85 real accounts, ~1M generated events fed in
// random batches (single rows among them) with the clock moved forward a few times, on both
// engines. After every feed the alerts that became true must be exactly those that current()
// gained, and at sample points (and at the end) current() must equal Program::run over a CSV
// file of the same rows, record for record.
#include "compiler/driver/Compilation.h"
#include "compiler/lower/MakeProgram.h"
#include "runtime/Program.h"
#include "runtime/arrow/ArrowImport.h"
#include "runtime/program/AlertSession.h"
#include "runtime/program/LoadedData.h"
#include "tests/unit/ArrowTestData.h"
#include "tests/unit/MemoryProbe.h"
#include "tests/unit/TempPaths.h"

#include <algorithm>
#include <cstring>
#include <fmt/format.h>
#include <fstream>
#include <gtest/gtest.h>
#include <map>
#include <random>
#include <set>
#include <string>
#include <vector>

namespace fulcrum::runtime {
namespace {

const std::string kLens = std::string(FULCRUM_SOURCE_DIR) + "/examples/accounts/lens.fulcrum";
const std::string kAccounts = std::string(FULCRUM_SHARED_DIR) + "/datasets/maven-crm/accounts.csv";

// Under AddressSanitizer everything is several times slower: fewer events, the same checks.
constexpr size_t kEvents = testing_support::kAddressSanitizer ? 120000 : 1000000;
constexpr size_t kHistory = 5000; // rows loaded from a file before the session starts

const char* const kKinds[] = {"web_visit", "whitepaper", "contact_me", "role_change",
                              "product_usage"};

// One generated event, compactly; cells() writes it as CSV cells.
struct Event {
  uint16_t account = 0;
  int32_t contact = -1; // -1: none; >= 1000: a name no earlier row has (a new text)
  uint8_t kind = 0;
  uint8_t day = 0;     // days after 2017-03-27
  uint16_t tenths = 0; // weight in tenths
  // A bad cell, for the error tests: the weight's text instead of its number.
  std::string badWeight;
};

std::vector<std::string> accountNames() {
  std::ifstream in(kAccounts);
  std::string line;
  std::getline(in, line);
  std::vector<std::string> names;
  while (std::getline(in, line))
    names.push_back(line.substr(0, line.find(',')));
  return names;
}

std::string dayText(int day) {
  int y = 2017, m = 3, d = 27 + day;
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  while (d > kDays[m - 1]) {
    d -= kDays[m - 1];
    if (++m > 12) {
      m = 1;
      ++y;
    }
  }
  return fmt::format("{:04}-{:02}-{:02}", y, m, d);
}

class Events {
public:
  explicit Events(uint64_t seed) : random_(seed), accounts_(accountNames()) {}

  // Seeded. Events arrive roughly in date order: `progress` (0..1, the share of the feed done)
  // moves the dates from 2017-06-30 (day 95) to 2017-09-01 (day 158), each up to 30 days old or
  // 2 days ahead. Product usage is rare and only a third of the accounts' (customers); half of
  // the customers stop using the product at some point, so `gone_quiet` turns true when the
  // clock moves and false again as usage comes in between moves.
  Event next(double progress = 0) {
    Event e;
    e.account = static_cast<uint16_t>(random_() % accounts_.size());
    const unsigned roll = random_() % 10000;
    const bool customer = e.account % 3 == 0;
    const bool stopped = e.account % 2 == 0 && progress > (e.account % 7) / 7.0;
    e.kind = roll < 20 && customer && !stopped ? 4
             : roll < 5000                     ? 0
             : roll < 7000                     ? 1
             : roll < 9700                     ? 2
                                               : 3;
    const int day = 95 + static_cast<int>(progress * 63) - static_cast<int>(random_() % 33) + 2;
    e.day = static_cast<uint8_t>(std::clamp(day, 0, 160));
    e.tenths = static_cast<uint16_t>(e.kind == 4 ? 5 + random_() % 36 : 10 * (1 + random_() % 8));
    if (e.kind == 2 || e.kind == 3 || random_() % 3 == 0)
      e.contact = random_() % 50 == 0 ? static_cast<int32_t>(1000 + newNames_++)
                                      : static_cast<int32_t>(random_() % 300);
    return e;
  }

  void cells(const Event& e, std::vector<std::string>& out) const {
    out.push_back(accounts_[e.account]);
    out.push_back(e.contact < 0 ? "" : fmt::format("Contact {}", e.contact));
    out.push_back(kKinds[e.kind]);
    out.push_back(dayText(e.day));
    out.push_back(e.badWeight.empty() ? fmt::format("{}.{}", e.tenths / 10, e.tenths % 10)
                                      : e.badWeight);
  }

  void writeCsv(const std::string& path, const std::vector<Event>& events) const {
    std::ofstream out(path);
    out << "account,contact,kind,at,weight\n";
    std::vector<std::string> row;
    for (const Event& e : events) {
      row.clear();
      cells(e, row);
      out << '"' << row[0] << "\"," << row[1] << ',' << row[2] << ',' << row[3] << ',' << row[4]
          << '\n';
    }
  }

private:
  std::mt19937_64 random_;
  std::vector<std::string> accounts_;
  int32_t newNames_ = 0;
};

std::unique_ptr<Program> lensProgram(EngineKind engine) {
  auto compilation = compileFile(kLens);
  EXPECT_TRUE(compilation->ok());
  DiagnosticSink sink;
  std::string error;
  auto program = makeProgram(*compilation, "account_lens", engine, sink, error);
  EXPECT_TRUE(program) << error;
  return program;
}

std::string shownRecord(const AlertRecord& r) {
  return fmt::format("{} | {} | {} | {} | {} | {} | {}", r.subject, r.alert, r.title,
                     r.date ? *r.date : -1, r.message, r.priority.value_or("-"), r.identity);
}

std::vector<std::string> shownRecords(const std::vector<AlertRecord>& records) {
  std::vector<std::string> shown;
  for (const AlertRecord& r : records)
    shown.push_back(shownRecord(r));
  return shown;
}

// The batch run over `events`, written to a file: the oracle. Its table must equal the
// session's bit for bit (temperature is a sum of doubles: exact sums add up the same in batches).
std::vector<AlertRecord> batchAlerts(const Program& program, const Events& generator,
                                     const std::vector<Event>& events, const std::string& asOf,
                                     const std::string& path,
                                     const AlertSession* session = nullptr) {
  generator.writeCsv(path, events);
  RunRequest request;
  request.asOf = asOf;
  request.dataPaths = {{"events", path}};
  request.alerts = true;
  RunResult result = program.run(request);
  EXPECT_EQ(result.status, RunStatus::Ok) << (result.errors.empty() ? "" : result.errors[0]);
  if (session) {
    const ResultTable& table = session->results();
    EXPECT_EQ(table.keys, result.table.keys);
    EXPECT_EQ(table.valid, result.table.valid);
    EXPECT_EQ(table.values.size(), result.table.values.size());
    size_t differ = 0;
    for (size_t i = 0; i < table.values.size() && i < result.table.values.size(); ++i)
      differ += std::memcmp(&table.values[i], &result.table.values[i], sizeof(double)) != 0;
    EXPECT_EQ(differ, 0u) << "values that differ from the batch run's, as of " << asOf;
  }
  return result.alerts;
}

struct Session {
  std::unique_ptr<Program> program;
  std::unique_ptr<AlertSession> session;
};

Session startSession(EngineKind engine, const Events& generator, const std::vector<Event>& history,
                     const std::string& asOf, const std::string& path) {
  Session s;
  s.program = lensProgram(engine);
  generator.writeCsv(path, history);
  RunRequest request;
  request.asOf = asOf;
  request.dataPaths = {{"events", path}};
  LoadOutcome loaded = s.program->load(request);
  EXPECT_EQ(loaded.status, RunStatus::Ok) << (loaded.errors.empty() ? "" : loaded.errors[0]);
  AlertSessionResult outcome;
  s.session = AlertSession::create(*s.program, *loaded.data, "events", request, outcome);
  EXPECT_TRUE(s.session) << (outcome.errors.empty() ? "" : outcome.errors[0]);
  return s;
}

// A shown record's identity (its last field).
std::string identityOf(const std::string& shown) {
  return shown.substr(shown.rfind(" | ") + 3);
}

bool isActive(const std::string& shown) {
  return shown.find(" | decision_maker_move | ") != std::string::npos;
}

size_t quietCount(const std::vector<std::string>& shown) {
  return static_cast<size_t>(std::count_if(shown.begin(), shown.end(), [](const std::string& r) {
    return r.find(" | gone_quiet | ") != std::string::npos;
  }));
}

// The records of `now` that were not true in `before`, by identity, in `now`'s order (the feed's
// order, which a step's fired alerts keep too); two identical rows (a table without a key
// identifies a row by its fields) are two alerts, so identities are counted.
std::vector<std::string> gainedInOrder(const std::vector<std::string>& before,
                                       const std::vector<std::string>& now) {
  std::map<std::string, size_t> count;
  for (const std::string& r : before)
    ++count[identityOf(r)];
  std::vector<std::string> out;
  for (const std::string& r : now) {
    size_t& left = count[identityOf(r)];
    if (left > 0)
      --left;
    else
      out.push_back(r);
  }
  return out;
}

std::multiset<std::string> gained(const std::vector<std::string>& before,
                                  const std::vector<std::string>& now) {
  const std::vector<std::string> inOrder = gainedInOrder(before, now);
  return {inOrder.begin(), inOrder.end()};
}

std::vector<std::string_view> views(const std::vector<std::string>& cells) {
  return {cells.begin(), cells.end()};
}

void feedAndCompare(EngineKind engine) {
  const std::string path = tempPath(currentTestName() + "_events.csv");
  Events generator(20170630);
  std::vector<Event> events;
  for (size_t i = 0; i < kHistory; ++i)
    events.push_back(generator.next());
  std::string asOf = "2017-06-30";
  Session s = startSession(engine, generator, events, asOf, path);
  ASSERT_TRUE(s.session);
  EXPECT_TRUE(s.session->incremental()) << s.session->recomputeReason();
  EXPECT_EQ(shownRecords(s.session->current()),
            shownRecords(batchAlerts(*s.program, generator, events, asOf, path, s.session.get())));

  const std::vector<std::string> advances = {"2017-07-14", "2017-08-04", "2017-09-01"};
  std::mt19937_64 random(7);
  std::vector<std::string> previous = shownRecords(s.session->current());
  // The active alerts returned since the clock last moved, with those true when it moved.
  std::multiset<std::string> activeSeen;
  for (const std::string& r : previous)
    if (isActive(r))
      activeSeen.insert(r);
  size_t fed = 0, feeds = 0, singles = 0;
  // gone_quiet turning true and false between moves of the clock: the passive path at work.
  size_t passiveOn = 0, passiveOnBefore = 0, passiveOff = 0;
  while (fed < kEvents) {
    const size_t batch =
        std::min<size_t>(kEvents - fed, random() % 4 == 0 ? 1 : 1 + random() % 5000);
    std::vector<std::string> cells;
    for (size_t i = 0; i < batch; ++i) {
      events.push_back(generator.next(static_cast<double>(fed + i) / kEvents));
      generator.cells(events.back(), cells);
    }
    AlertSessionResult result = s.session->feed(views(cells));
    ASSERT_EQ(result.status, RunStatus::Ok) << (result.errors.empty() ? "" : result.errors[0]);
    fed += batch;
    ++feeds;
    singles += batch == 1;
    // What became true is exactly what current() gained, in the same order (the first rank's:
    // a feed of many subjects sorts by ranks that single-row feeds leave for later).
    std::vector<std::string> now = shownRecords(s.session->current());
    const std::vector<std::string> fired = shownRecords(result.fired);
    EXPECT_EQ(fired, gainedInOrder(previous, now)) << "feed " << feeds;
    for (const std::string& r : fired)
      if (isActive(r))
        activeSeen.insert(r);
      else
        ++passiveOn;
    passiveOff += quietCount(previous) + passiveOn - passiveOnBefore - quietCount(now);
    passiveOnBefore = passiveOn;
    previous = std::move(now);
    const bool sample = feeds % 41 == 0 || fed == kEvents;
    if (sample) {
      ASSERT_EQ(previous, shownRecords(batchAlerts(*s.program, generator, events, asOf, path,
                                                   s.session.get())))
          << "after " << fed << " events in " << feeds << " feeds";
    }
    const size_t step = kEvents / (advances.size() + 1);
    const size_t advance = fed / step;
    if (advance >= 1 && advance <= advances.size() && asOf != advances[advance - 1] &&
        fed < kEvents) {
      asOf = advances[advance - 1];
      AlertSessionResult moved = s.session->advance(asOf);
      ASSERT_EQ(moved.status, RunStatus::Ok) << (moved.errors.empty() ? "" : moved.errors[0]);
      std::vector<std::string> afterMove = shownRecords(s.session->current());
      ASSERT_EQ(afterMove, shownRecords(batchAlerts(*s.program, generator, events, asOf, path,
                                                    s.session.get())))
          << "as of " << asOf;
      const std::vector<std::string> movedFired = shownRecords(moved.fired);
      EXPECT_EQ(std::multiset<std::string>(movedFired.begin(), movedFired.end()),
                gained(previous, afterMove));
      previous = std::move(afterMove);
      activeSeen.clear();
      for (const std::string& r : previous)
        if (isActive(r))
          activeSeen.insert(r);
    }
  }
  EXPECT_GT(singles, 10u);
  EXPECT_GT(passiveOn, 3u);
  EXPECT_GT(passiveOff, 3u);
  EXPECT_EQ(s.session->eventRows(), kHistory + kEvents);
  // The active alerts handed out since the clock last moved are the batch's active alerts.
  std::multiset<std::string> batchActive;
  for (const std::string& r : previous)
    if (isActive(r))
      batchActive.insert(r);
  EXPECT_GT(batchActive.size(), 10u);
  EXPECT_EQ(activeSeen, batchActive);
  std::remove(path.c_str());
}

TEST(AlertSession, MillionEventsInRandomBatchesEqualTheBatchRunOnTheInterpreter) {
  feedAndCompare(EngineKind::Interpreter);
}

TEST(AlertSession, MillionEventsInRandomBatchesEqualTheBatchRunOnTheJit) {
  feedAndCompare(EngineKind::Jit);
}

TEST(AlertSession, ABadCellNamesFieldAndValueAndChangesNothing) {
  const std::string path = tempPath(currentTestName() + "_events.csv");
  Events generator(1);
  std::vector<Event> events;
  for (int i = 0; i < 2000; ++i)
    events.push_back(generator.next());
  Session s = startSession(EngineKind::Jit, generator, events, "2017-06-30", path);
  ASSERT_TRUE(s.session);
  const std::vector<std::string> before = shownRecords(s.session->current());
  std::vector<Event> batch = {generator.next(), generator.next(), generator.next()};
  batch[1].badWeight = "heavy";
  std::vector<std::string> cells;
  for (const Event& e : batch)
    generator.cells(e, cells);
  AlertSessionResult bad = s.session->feed(views(cells));
  EXPECT_EQ(bad.status, RunStatus::DataError);
  ASSERT_EQ(bad.errors.size(), 1u);
  EXPECT_EQ(bad.errors[0],
            "events row 2 of the feed: `weight`: expected a number (like 42, -3.5 or 0.25), "
            "found `heavy`");
  ASSERT_EQ(bad.issues.size(), 1u);
  EXPECT_EQ(bad.issues[0].field, "weight");
  EXPECT_EQ(bad.issues[0].value, "heavy");
  EXPECT_EQ(bad.issues[0].table, "events");
  EXPECT_EQ(s.session->eventRows(), 2000u);
  EXPECT_EQ(shownRecords(s.session->current()), before);

  // An account no row of accounts.csv has, and a missing kind.
  cells[5] = "Nobody Inc";
  cells[7] = "";
  cells[9] = "1.0";
  AlertSessionResult unknown = s.session->feed(views(cells));
  EXPECT_EQ(unknown.status, RunStatus::DataError);
  ASSERT_EQ(unknown.errors.size(), 2u);
  EXPECT_NE(unknown.errors[0].find("row 2 of the feed: `account`: unknown account `Nobody Inc`"),
            std::string::npos)
      << unknown.errors[0];
  EXPECT_NE(unknown.errors[1].find("row 2 of the feed: empty `kind`"), std::string::npos)
      << unknown.errors[1];
  EXPECT_EQ(s.session->eventRows(), 2000u);
  EXPECT_EQ(shownRecords(s.session->current()), before);

  // Cells that are no whole number of rows, and a clock moving back: usage errors.
  cells.pop_back();
  EXPECT_EQ(s.session->feed(views(cells)).status, RunStatus::UsageError);
  AlertSessionResult back = s.session->advance("2017-06-01");
  EXPECT_EQ(back.status, RunStatus::UsageError);
  EXPECT_NE(back.errors.at(0).find("forward only"), std::string::npos);

  // The good rows go in afterwards, and the session is still the batch run.
  batch[1].badWeight.clear();
  cells.clear();
  for (const Event& e : batch)
    generator.cells(e, cells);
  EXPECT_EQ(s.session->feed(views(cells)).status, RunStatus::Ok);
  events.insert(events.end(), batch.begin(), batch.end());
  EXPECT_EQ(shownRecords(s.session->current()),
            shownRecords(batchAlerts(*s.program, generator, events, "2017-06-30", path)));
  std::remove(path.c_str());
}

TEST(AlertSession, ASingleRowReevaluatesThePassiveAlertForItsSubjectOnly) {
  const std::string path = tempPath(currentTestName() + "_events.csv");
  Events generator(2);
  std::vector<Event> events;
  for (int i = 0; i < 500; ++i)
    events.push_back(generator.next());
  Session s = startSession(EngineKind::Interpreter, generator, events, "2017-06-30", path);
  ASSERT_TRUE(s.session);
  // The rank (priority) reads every subject, but gone_quiet reads none of it.
  ASSERT_TRUE(s.session->incremental());
  EXPECT_EQ(s.session->passiveEvaluations(), 85u); // the first evaluation: every account
  std::vector<std::string> cells;
  generator.cells(generator.next(), cells);
  ASSERT_EQ(s.session->feed(views(cells)).status, RunStatus::Ok);
  EXPECT_EQ(s.session->passiveEvaluations(), 1u);
  std::remove(path.c_str());
}

// Plans a feed cannot update in place, each recomputed on every feed, and a text param no
// history row holds, which a fed row's new text would take the code of: after every feed the
// session equals the batch run, on both engines.
const char* const kFallbackSource = R"(
entity account {
  key name: text
  region: text
}
table events {
  account: account
  kind: text
  at: date
  weight: number
}
param focus: text = "launch"
framework peers {
  subject account
  cadence week
  metric heat = sum(events.weight where at in last 30 days)
  metric region_heat = avg(heat across account by region)
  alert above "Above its region" when heat > region_heat * 1.5 and heat > 5
    message "{name}: {heat} against {region_heat}"
}
framework ranked {
  subject account
  cadence week
  metric heat = sum(events.weight where at in last 30 days)
  rank place by heat desc
  band tier = case {
    place <= 3 => "top"
    else       => "rest"
  }
  alert leader "Leader" when tier == "top" and heat > 0
    message "{name} is number {place} with {heat}"
  alert spike "Spike" on events where weight >= 8
    message "{name} (number {place}): {kind}"
}
framework ranked_band {
  subject account
  cadence week
  metric heat = sum(events.weight where at in last 30 days)
  rank place by heat desc
  band tier = case {
    place <= 3 => "top"
    else       => "rest"
  }
  alert warm "Warm" when heat >= 10
    message "{name}: {heat}"
}
framework quiet_ranks {
  subject account
  cadence week
  metric heat = sum(events.weight where at in last 30 days)
  rank place by heat desc
  alert warm "Warm" when heat >= 10
    message "{name}: {heat}"
  alert spike "Spike" on events where weight >= 8
    message "{name}: {kind}"
}
framework texts {
  subject account
  cadence week
  metric hits: count = count(events where kind == focus)
  alert focus_event "Focus" on events where kind == focus
    message "{name} {kind}"
  alert many "Many" when hits >= 2
    message "{name}: {hits}"
}
)";

void fallbackMatchesBatch(const std::string& framework, EngineKind engine, bool incremental) {
  const std::string folder = tempPath(currentTestName() + "_" + framework);
  const std::string accounts = folder + "_accounts.csv", history = folder + "_history.csv",
                    all = folder + "_all.csv";
  {
    std::ofstream out(accounts);
    out << "name,region\n";
    for (int a = 0; a < 12; ++a)
      out << "A" << a << "," << (a % 3 == 0 ? "north" : "south") << "\n";
  }
  auto compilation = compileSource("fallback.fulcrum", kFallbackSource);
  ASSERT_TRUE(compilation->ok());
  DiagnosticSink sink;
  std::string error;
  auto program = makeProgram(*compilation, framework, engine, sink, error);
  ASSERT_TRUE(program) << error;
  std::mt19937_64 random(11);
  std::vector<std::string> rows;
  auto row = [&] {
    const char* kinds[] = {"visit", "visit", "call", "launch"};
    return fmt::format("A{},{},{},{}", random() % 12, kinds[random() % 4], dayText(random() % 40),
                       1 + random() % 9);
  };
  for (int i = 0; i < 30; ++i) {
    std::string r = row();
    if (r.find("launch") == std::string::npos) // the history holds no `launch`
      rows.push_back(std::move(r));
  }
  auto write = [&](const std::string& path) {
    std::ofstream out(path);
    out << "account,kind,at,weight\n";
    for (const std::string& r : rows)
      out << r << "\n";
  };
  write(history);
  RunRequest request;
  request.asOf = "2017-04-28";
  request.dataPaths = {{"account", accounts}, {"events", history}};
  LoadOutcome loaded = program->load(request);
  ASSERT_EQ(loaded.status, RunStatus::Ok);
  AlertSessionResult outcome;
  auto session = AlertSession::create(*program, *loaded.data, "events", request, outcome);
  ASSERT_TRUE(session) << (outcome.errors.empty() ? "" : outcome.errors[0]);
  EXPECT_EQ(session->incremental(), incremental) << session->recomputeReason();
  size_t fired = 0;
  std::vector<std::string> previous = shownRecords(session->current());
  for (int feed = 0; feed < 40; ++feed) {
    std::vector<std::string> cells;
    for (size_t n = 1 + random() % 4; n > 0; --n) {
      rows.push_back(row());
      for (const std::string& cell : {rows.back()}) {
        size_t start = 0;
        for (size_t comma; (comma = cell.find(',', start)) != std::string::npos; start = comma + 1)
          cells.push_back(cell.substr(start, comma - start));
        cells.push_back(cell.substr(start));
      }
    }
    AlertSessionResult result = session->feed(views(cells));
    ASSERT_EQ(result.status, RunStatus::Ok) << (result.errors.empty() ? "" : result.errors[0]);
    fired += result.fired.size();
    write(all);
    RunRequest batch = request;
    batch.alerts = true;
    batch.dataPaths["events"] = all;
    RunResult expected = program->run(batch);
    ASSERT_EQ(expected.status, RunStatus::Ok);
    std::vector<std::string> now = shownRecords(session->current());
    ASSERT_EQ(now, shownRecords(expected.alerts)) << "feed " << feed;
    // The outputs too (a band that reads a rank no alert reads: ranked_band).
    const ResultTable& table = session->results();
    ASSERT_EQ(table.keys, expected.table.keys) << "feed " << feed;
    ASSERT_EQ(table.valid, expected.table.valid) << "feed " << feed;
    ASSERT_EQ(table.values.size(), expected.table.values.size()) << "feed " << feed;
    for (size_t i = 0; i < table.values.size(); ++i)
      ASSERT_EQ(std::memcmp(&table.values[i], &expected.table.values[i], sizeof(double)), 0)
          << "feed " << feed << ", value " << i;
    // What the feed fired, in the batch's order (the first rank's, where there is one), by
    // identity: a message that shows values changes while its alert stays true.
    std::vector<std::string> firedNow;
    for (const std::string& r : shownRecords(result.fired))
      firedNow.push_back(identityOf(r));
    std::vector<std::string> gainedNow;
    for (const std::string& r : gainedInOrder(previous, now))
      gainedNow.push_back(identityOf(r));
    EXPECT_EQ(firedNow, gainedNow) << "feed " << feed;
    previous = std::move(now);
  }
  EXPECT_GT(fired, 0u);
  for (const std::string& path : {accounts, history, all})
    std::remove(path.c_str());
}

TEST(AlertSession, PeerAggregatesRecomputeOnEveryFeedAndEqualTheBatchRun) {
  for (EngineKind engine : {EngineKind::Interpreter, EngineKind::Jit})
    fallbackMatchesBatch("peers", engine, false);
}

// A rank that a band and the alerts' messages read, and one that only a band reads: every feed
// runs every stage for every subject; a rank nothing else reads (quiet_ranks) waits until
// something needs it, and a feed's alerts over several subjects still come in the rank's order.
// Each feed's alerts and outputs equal the batch run's.
TEST(AlertSession, RanksReadByFormulasOrAlertsAndRanksReadByNothingEqualTheBatchRun) {
  for (EngineKind engine : {EngineKind::Interpreter, EngineKind::Jit}) {
    fallbackMatchesBatch("ranked", engine, true);
    fallbackMatchesBatch("ranked_band", engine, true);
    fallbackMatchesBatch("quiet_ranks", engine, true);
  }
}

TEST(AlertSession, ANewTextATextParamHoldsEqualsTheBatchRun) {
  for (EngineKind engine : {EngineKind::Interpreter, EngineKind::Jit})
    fallbackMatchesBatch("texts", engine, true);
}

// Rows fed as Arrow columns (feed(HostTable)): a keyed table with money as int64 units and as
// decimal128, dates as date32, against the batch run over a CSV file of the same rows written
// as text; keys repeated in a batch or already loaded are refused, each once, changing nothing.
const char* const kKeyedSource = R"(
entity account {
  key name: text
}
table deals {
  key id: text
  account: account
  amount: money
  closed: date
}
framework sales {
  subject account
  cadence week
  metric won: money = sum(deals.amount where closed in last 30 days)
  alert big "Big deal" on deals where amount >= $10k
    message "{name} {amount}"
  alert many "Many" when won > $25k
    message "{name}: {won}"
}
)";

struct Deal {
  std::string id, account;
  int64_t units; // money in 1/10,000
  int32_t day;   // days since 1970-01-01
};

// 2017-04-01 + `offset` days as text and as a day number (2017-04-01 is day 17257).
std::string dealDate(int32_t day) {
  return dayText(day - 17257 + 5); // dayText counts from 2017-03-27
}

testing_support::ArrowNode dealsBatch(const std::vector<Deal>& deals, bool decimal) {
  using namespace testing_support;
  std::vector<std::optional<std::string>> id, account;
  std::vector<std::optional<int64_t>> units;
  std::vector<std::optional<int32_t>> closed;
  for (const Deal& d : deals) {
    id.push_back(d.id);
    account.push_back(d.account);
    units.push_back(d.units);
    closed.push_back(d.day);
  }
  return structOf({textColumn("id", id), textColumn("account", account),
                   decimal ? decimalColumn("amount", units) : int64Column("amount", units),
                   date32Column("closed", closed)});
}

std::shared_ptr<const arrow::ArrowHostTable> hostTable(const testing_support::ArrowNode& node) {
  testing_support::ArrowPair pair(node);
  std::string error;
  auto table = arrow::ArrowHostTable::take("deals", &pair.schema, &pair.array, error);
  EXPECT_TRUE(table) << error;
  return table;
}

TEST(AlertSession, ArrowRowsFedEqualTheBatchRunOverTheirTextAndRepeatedKeysAreRefused) {
  const std::string folder = tempPath(currentTestName());
  const std::string accounts = folder + "_accounts.csv", history = folder + "_history.csv",
                    all = folder + "_all.csv";
  {
    std::ofstream out(accounts);
    out << "name\nA0\nA1\nA2\n";
  }
  std::vector<Deal> deals;
  std::mt19937_64 random(23);
  auto deal = [&] {
    const size_t n = deals.size();
    // Units with all four decimals (an exponent-free text round trip would still be exact, but
    // the units must arrive as units: 1234.5678 dollars, not 12345678 of them).
    return Deal{fmt::format("D{}", n), fmt::format("A{}", random() % 3),
                static_cast<int64_t>(random() % 200000000), static_cast<int32_t>(17257 + n % 60)};
  };
  auto write = [&](const std::string& path) {
    std::ofstream out(path);
    out << "id,account,amount,closed\n";
    for (const Deal& d : deals)
      out << d.id << ',' << d.account << ',' << d.units / 10000 << '.'
          << fmt::format("{:04}", d.units % 10000) << ',' << dealDate(d.day) << '\n';
  };
  for (int i = 0; i < 20; ++i)
    deals.push_back(deal());
  write(history);
  auto compilation = compileSource("keyed.fulcrum", kKeyedSource);
  ASSERT_TRUE(compilation->ok());
  for (EngineKind engine : {EngineKind::Interpreter, EngineKind::Jit}) {
    deals.resize(20);
    DiagnosticSink sink;
    std::string error;
    auto program = makeProgram(*compilation, "sales", engine, sink, error);
    ASSERT_TRUE(program) << error;
    RunRequest request;
    request.asOf = "2017-05-31";
    request.dataPaths = {{"account", accounts}, {"deals", history}};
    LoadOutcome loaded = program->load(request);
    ASSERT_EQ(loaded.status, RunStatus::Ok) << (loaded.errors.empty() ? "" : loaded.errors[0]);
    AlertSessionResult outcome;
    auto session = AlertSession::create(*program, *loaded.data, "deals", request, outcome);
    ASSERT_TRUE(session) << (outcome.errors.empty() ? "" : outcome.errors[0]);
    const std::vector<std::string> before = shownRecords(session->current());

    // A key repeated within the batch (rows 1 and 3) and one the history has (row 2): one
    // issue each, and nothing changes.
    std::vector<Deal> batch = {deal(), deal(), deal()};
    batch[1].id = "D4";
    batch[2].id = batch[0].id;
    AlertSessionResult repeated = session->feed(*hostTable(dealsBatch(batch, false)));
    EXPECT_EQ(repeated.status, RunStatus::DataError);
    ASSERT_EQ(repeated.errors.size(), 2u) << fmt::format("{}", fmt::join(repeated.errors, "\n"));
    EXPECT_NE(repeated.errors[0].find("deals row 2 of the feed: duplicate key `id` `D4`"),
              std::string::npos)
        << repeated.errors[0];
    EXPECT_NE(repeated.errors[1].find("deals row 3 of the feed: duplicate key `" + batch[0].id),
              std::string::npos)
        << repeated.errors[1];
    EXPECT_EQ(repeated.issues.at(1).line, 3u);
    EXPECT_EQ(repeated.issues.at(1).column, 1u);
    EXPECT_EQ(repeated.issues.at(1).value, batch[0].id);
    EXPECT_EQ(session->eventRows(), 20u);
    EXPECT_EQ(shownRecords(session->current()), before);

    // Good batches, int64 units and decimal128 in turn: the session is the batch run.
    size_t fired = 0;
    for (int feed = 0; feed < 8; ++feed) {
      batch.clear();
      for (size_t n = 1 + random() % 5; n > 0; --n) {
        deals.push_back(deal());
        batch.push_back(deals.back());
      }
      AlertSessionResult result = session->feed(*hostTable(dealsBatch(batch, feed % 2 == 1)));
      ASSERT_EQ(result.status, RunStatus::Ok) << (result.errors.empty() ? "" : result.errors[0]);
      fired += result.fired.size();
      write(all);
      RunRequest batchRequest = request;
      batchRequest.alerts = true;
      batchRequest.dataPaths["deals"] = all;
      RunResult expected = program->run(batchRequest);
      ASSERT_EQ(expected.status, RunStatus::Ok);
      ASSERT_EQ(shownRecords(session->current()), shownRecords(expected.alerts)) << "feed " << feed;
      const ResultTable& table = session->results();
      ASSERT_EQ(table.values.size(), expected.table.values.size());
      EXPECT_EQ(std::memcmp(table.values.data(), expected.table.values.data(),
                            table.values.size() * sizeof(double)),
                0)
          << "feed " << feed;
    }
    EXPECT_GT(fired, 0u);
    EXPECT_EQ(session->eventRows(), deals.size());
  }
  for (const std::string& path : {accounts, history, all})
    std::remove(path.c_str());
}

} // namespace
} // namespace fulcrum::runtime

namespace fulcrum::runtime {
namespace {

// Rows that change the subjects (a group's members) or the calendar (holidays) are not scanned
// per subject, so a session could not show what they change: feeding them is refused (before,
// such rows were taken and silently changed nothing).
TEST(AlertSession, MembersOfGroupSubjectsAndHolidaysCannotBeFed) {
  const std::string folder = tempPath(currentTestName());
  const std::string reps = folder + "_reps.csv", deals = folder + "_deals.csv",
                    holidays = folder + "_holidays.csv";
  std::ofstream(reps) << "name,manager\nr1,M1\nr2,M1\nr3,M2\n";
  std::ofstream(deals) << "id,owner,value,closed\nd1,r1,100,2024-04-02\n";
  std::ofstream(holidays) << "day,name\n2024-07-04,Independence\n";
  auto compilation = compileSource("teams.fulcrum", fmt::format(R"(
entity rep from "{}" {{
  key name: text
  manager: text
}}
table deals from "{}" {{
  key id: text
  owner: rep
  value: number
  closed: date
}}
table holidays from "{}" {{
  day: date
  name: text
}}
group team of rep by manager
framework teams {{
  subject team
  cadence quarter
  metric reps: count = count(rep)
  metric won = sum(deals.value where closed in period)
  alert big "Big team" when reps >= 3
    message "{{manager}}: {{reps}}"
}}
framework pace {{
  subject rep
  cadence quarter
  metric days: count = working_days(period)
  alert short "Short quarter" when days < 65
    message "{{name}}: {{days}}"
}}
)",
                                                                reps, deals, holidays));
  ASSERT_TRUE(compilation->ok());
  struct Case {
    const char* framework;
    const char* table;
    const char* says; // empty: the session is made
  };
  for (const Case& c : {Case{"teams", "rep", "groups the rows of `rep` into its subjects"},
                        Case{"teams", "deals", ""},
                        Case{"pace", "holidays", "holds the holidays `working_days` counts"}}) {
    DiagnosticSink sink;
    std::string error;
    auto program = makeProgram(*compilation, c.framework, EngineKind::Interpreter, sink, error);
    ASSERT_TRUE(program) << error;
    RunRequest request;
    request.asOf = "2024-06-30";
    LoadOutcome loaded = program->load(request);
    ASSERT_EQ(loaded.status, RunStatus::Ok) << (loaded.errors.empty() ? "" : loaded.errors[0]);
    AlertSessionResult outcome;
    auto session = AlertSession::create(*program, *loaded.data, c.table, request, outcome);
    if (std::string(c.says).empty()) {
      EXPECT_TRUE(session) << c.table << ": " << (outcome.errors.empty() ? "" : outcome.errors[0]);
      continue;
    }
    EXPECT_FALSE(session) << c.table;
    EXPECT_EQ(outcome.status, RunStatus::UsageError) << c.table;
    ASSERT_EQ(outcome.errors.size(), 1u) << c.table;
    EXPECT_NE(outcome.errors[0].find(c.says), std::string::npos) << outcome.errors[0];
  }
  for (const std::string& path : {reps, deals, holidays})
    std::remove(path.c_str());
}

} // namespace
} // namespace fulcrum::runtime
