// fulcrum_alert_session_* through libfulcrum.so: the lens example's events.csv, its first rows
// loaded as the history and the rest fed one row at a time, must leave the session with exactly
// the alerts fulcrum_run gives over the whole file (itself checked against `fulcrum alerts`), on
// both engines; the feeds hand out each active alert once; errors are statuses with
// diagnostics naming the table and value, never a crash.
#include "fulcrum/fulcrum.h"

#include <cstdio>
#include <fstream>
#include <gtest/gtest.h>
#include <set>
#include <string>
#include <tuple>
#include <unistd.h>
#include <vector>

namespace {

const char* const kLens = "examples/accounts/lens.fulcrum";
const char* const kEvents = "examples/accounts/events.csv";
constexpr size_t kHistoryRows = 500;

std::string take(fulcrum_error* error) {
  std::string text = error ? fulcrum_error_message(error) : "(no error object)";
  fulcrum_error_free(error);
  return text;
}

using Alert = std::tuple<std::string, std::string, std::string, std::string, std::string,
                         std::string, std::string>;

std::vector<Alert> entries(const fulcrum_alert_list* list) {
  std::vector<Alert> out;
  size_t count = 0;
  EXPECT_EQ(fulcrum_alert_list_count(list, &count), FULCRUM_OK);
  for (size_t i = 0; i < count; ++i) {
    fulcrum_alert a{};
    EXPECT_EQ(fulcrum_alert_list_get(list, i, &a), FULCRUM_OK);
    out.emplace_back(a.subject, a.alert, a.title, a.date, a.message,
                     a.priority ? a.priority : "(none)", a.identity);
  }
  return out;
}

// Takes the list handed out (and frees it).
std::vector<Alert> takeList(fulcrum_alert_list* list) {
  std::vector<Alert> out = list ? entries(list) : std::vector<Alert>{};
  fulcrum_alert_list_free(list);
  return out;
}

std::vector<std::string> lines(const char* path) {
  std::ifstream in(path);
  std::vector<std::string> out;
  for (std::string line; std::getline(in, line);)
    out.push_back(line);
  return out;
}

std::vector<std::string> split(const std::string& line) {
  std::vector<std::string> cells;
  size_t start = 0;
  for (size_t comma; (comma = line.find(',', start)) != std::string::npos; start = comma + 1)
    cells.push_back(line.substr(start, comma - start));
  cells.push_back(line.substr(start));
  return cells;
}

struct Lens {
  fulcrum_program* program = nullptr;
  fulcrum_data* data = nullptr;
  fulcrum_run_options* options = nullptr;
  ~Lens() {
    fulcrum_run_options_free(options);
    fulcrum_data_free(data);
    fulcrum_program_free(program);
  }
};

// The lens program with `events` from `eventsPath`, loaded, and options as of `asOf`.
void open(Lens& lens, fulcrum_engine engine, const std::string& eventsPath, const char* asOf) {
  fulcrum_compile_options* compileOptions = nullptr;
  ASSERT_EQ(fulcrum_compile_options_new(&compileOptions), FULCRUM_OK);
  ASSERT_EQ(fulcrum_compile_options_set_engine(compileOptions, engine), FULCRUM_OK);
  fulcrum_error* error = nullptr;
  const fulcrum_status compiled =
      fulcrum_compile_file(kLens, compileOptions, &lens.program, &error);
  fulcrum_compile_options_free(compileOptions);
  ASSERT_EQ(compiled, FULCRUM_OK) << take(error);
  ASSERT_EQ(fulcrum_data_new(lens.program, "account_lens", &lens.data, &error), FULCRUM_OK)
      << take(error);
  ASSERT_EQ(fulcrum_data_bind_csv(lens.data, "events", eventsPath.c_str(), &error), FULCRUM_OK)
      << take(error);
  ASSERT_EQ(fulcrum_data_load(lens.data, nullptr, &error), FULCRUM_OK) << take(error);
  ASSERT_EQ(fulcrum_run_options_new(&lens.options), FULCRUM_OK);
  ASSERT_EQ(fulcrum_run_options_set_as_of(lens.options, asOf), FULCRUM_OK);
  ASSERT_EQ(fulcrum_run_options_set_alerts(lens.options, 1), FULCRUM_OK);
}

// fulcrum_run's alerts over the whole example as of `asOf`: the oracle.
std::vector<Alert> batchAlerts(fulcrum_engine engine, const char* asOf) {
  Lens lens;
  open(lens, engine, kEvents, asOf);
  fulcrum_result* result = nullptr;
  fulcrum_error* error = nullptr;
  EXPECT_EQ(fulcrum_run(lens.data, lens.options, &result, &error), FULCRUM_OK) << take(error);
  const fulcrum_alert_list* list = nullptr;
  EXPECT_EQ(fulcrum_result_alerts(result, &list), FULCRUM_OK);
  std::vector<Alert> out = entries(list);
  fulcrum_result_free(result);
  return out;
}

std::string historyFile(const std::vector<std::string>& all) {
  const std::string path = testing::TempDir() + "fulcrum_" + std::to_string(getpid()) + "_" +
                           testing::UnitTest::GetInstance()->current_test_info()->name() + ".csv";
  std::ofstream out(path);
  for (size_t i = 0; i <= kHistoryRows; ++i) // the header and the first rows
    out << all[i] << '\n';
  return path;
}

void feedOneAtATime(fulcrum_engine engine) {
  const std::vector<std::string> all = lines(kEvents);
  ASSERT_GT(all.size(), kHistoryRows + 100);
  const std::string history = historyFile(all);
  Lens lens;
  open(lens, engine, history, "2017-06-30");
  fulcrum_alert_session* session = nullptr;
  fulcrum_error* error = nullptr;
  ASSERT_EQ(fulcrum_alert_session_new(lens.data, "events", lens.options, &session, &error),
            FULCRUM_OK)
      << take(error);
  fulcrum_alert_list* list = nullptr;
  ASSERT_EQ(fulcrum_alert_session_current(session, &list), FULCRUM_OK);
  std::multiset<Alert> active;
  for (const Alert& a : takeList(list))
    if (std::get<1>(a) == "decision_maker_move")
      active.insert(a);
  size_t fired = 0;
  for (size_t i = kHistoryRows + 1; i < all.size(); ++i) {
    const std::vector<std::string> cells = split(all[i]);
    std::vector<const char*> pointers;
    for (const std::string& cell : cells)
      pointers.push_back(cell.c_str());
    fulcrum_alert_list* became = nullptr;
    ASSERT_EQ(
        fulcrum_alert_session_feed_row(session, pointers.data(), pointers.size(), &became, &error),
        FULCRUM_OK)
        << take(error);
    for (const Alert& a : takeList(became)) {
      ++fired;
      if (std::get<1>(a) == "decision_maker_move")
        active.insert(a);
    }
  }
  EXPECT_GT(fired, 0u);
  ASSERT_EQ(fulcrum_alert_session_current(session, &list), FULCRUM_OK);
  const std::vector<Alert> now = takeList(list);
  const std::vector<Alert> batch = batchAlerts(engine, "2017-06-30");
  EXPECT_EQ(now, batch);
  std::multiset<Alert> batchActive;
  for (const Alert& a : batch)
    if (std::get<1>(a) == "decision_maker_move")
      batchActive.insert(a);
  EXPECT_FALSE(batchActive.empty());
  EXPECT_EQ(active, batchActive); // each active alert handed out once, when its row came

  // The clock moves: everything as a run as of the new day gives.
  fulcrum_alert_list* moved = nullptr;
  ASSERT_EQ(fulcrum_alert_session_advance(session, "2017-07-04", &moved, &error), FULCRUM_OK)
      << take(error);
  fulcrum_alert_list_free(moved);
  ASSERT_EQ(fulcrum_alert_session_current(session, &list), FULCRUM_OK);
  EXPECT_EQ(takeList(list), batchAlerts(engine, "2017-07-04"));
  fulcrum_alert_session_free(session);
  std::remove(history.c_str());
}

TEST(CApiAlertSession, RowsFedOneAtATimeEqualARunOnTheJit) {
  feedOneAtATime(FULCRUM_ENGINE_JIT);
}

TEST(CApiAlertSession, RowsFedOneAtATimeEqualARunOnTheInterpreter) {
  feedOneAtATime(FULCRUM_ENGINE_INTERPRETER);
}

TEST(CApiAlertSession, ErrorsAreStatusesWithDiagnostics) {
  Lens lens;
  open(lens, FULCRUM_ENGINE_JIT, kEvents, "2017-06-30");
  fulcrum_alert_session* session = nullptr;
  fulcrum_error* error = nullptr;
  // A table the framework does not read, and a NULL table.
  EXPECT_EQ(fulcrum_alert_session_new(lens.data, "deals", lens.options, &session, &error),
            FULCRUM_USAGE_ERROR);
  EXPECT_NE(take(error).find("no table `deals`"), std::string::npos);
  EXPECT_EQ(session, nullptr);
  EXPECT_EQ(fulcrum_alert_session_new(lens.data, nullptr, lens.options, &session, nullptr),
            FULCRUM_USAGE_ERROR);
  ASSERT_EQ(fulcrum_alert_session_new(lens.data, "events", lens.options, &session, &error),
            FULCRUM_OK)
      << take(error);
  fulcrum_alert_list* list = nullptr;
  ASSERT_EQ(fulcrum_alert_session_current(session, &list), FULCRUM_OK);
  const std::vector<Alert> before = takeList(list);

  // A bad cell: a data error naming the table, field and value; nothing changes.
  const char* bad[] = {"Betatech", "", "web_visit", "2017-06-29", "heavy"};
  fulcrum_alert_list* became = nullptr;
  EXPECT_EQ(fulcrum_alert_session_feed_row(session, bad, 5, &became, &error), FULCRUM_DATA_ERROR);
  EXPECT_EQ(became, nullptr);
  ASSERT_NE(error, nullptr);
  ASSERT_EQ(fulcrum_error_diagnostic_count(error), 1u);
  fulcrum_diagnostic diagnostic{};
  ASSERT_EQ(fulcrum_error_diagnostic(error, 0, &diagnostic), FULCRUM_OK);
  EXPECT_STREQ(diagnostic.table, "events");
  EXPECT_STREQ(diagnostic.value, "heavy");
  EXPECT_NE(std::string(diagnostic.message).find("`weight`"), std::string::npos);
  fulcrum_error_free(error);
  const char* unknown[] = {"Nobody Inc", "", "web_visit", "2017-06-29", "1"};
  EXPECT_EQ(fulcrum_alert_session_feed_row(session, unknown, 5, &became, &error),
            FULCRUM_DATA_ERROR);
  EXPECT_NE(take(error).find("unknown account `Nobody Inc`"), std::string::npos);
  ASSERT_EQ(fulcrum_alert_session_current(session, &list), FULCRUM_OK);
  EXPECT_EQ(takeList(list), before);

  // Usage errors: too few cells, NULL cells, the clock moving back, a NULL session.
  EXPECT_EQ(fulcrum_alert_session_feed_row(session, bad, 4, &became, &error), FULCRUM_USAGE_ERROR);
  EXPECT_NE(take(error).find("5 cells"), std::string::npos);
  EXPECT_EQ(fulcrum_alert_session_feed_row(session, nullptr, 5, &became, nullptr),
            FULCRUM_USAGE_ERROR);
  EXPECT_EQ(fulcrum_alert_session_advance(session, "2017-06-01", &became, &error),
            FULCRUM_USAGE_ERROR);
  EXPECT_NE(take(error).find("forward only"), std::string::npos);
  EXPECT_EQ(fulcrum_alert_session_advance(session, "June", &became, &error), FULCRUM_USAGE_ERROR);
  fulcrum_error_free(error);
  EXPECT_EQ(fulcrum_alert_session_feed_row(nullptr, bad, 5, &became, nullptr), FULCRUM_USAGE_ERROR);
  EXPECT_EQ(fulcrum_alert_session_current(nullptr, &list), FULCRUM_USAGE_ERROR);

  // A good row goes in after all that; NULL cells are missing ones.
  const char* good[] = {"Betatech", nullptr, "web_visit", "2017-06-29", "1"};
  EXPECT_EQ(fulcrum_alert_session_feed_row(session, good, 5, nullptr, &error), FULCRUM_OK)
      << take(error);
  fulcrum_alert_session_free(session);
  fulcrum_alert_session_free(nullptr);
}

TEST(CApiAlertSession, ANotYetLoadedDataIsAUsageError) {
  fulcrum_program* program = nullptr;
  fulcrum_error* error = nullptr;
  ASSERT_EQ(fulcrum_compile_file(kLens, nullptr, &program, &error), FULCRUM_OK) << take(error);
  fulcrum_data* data = nullptr;
  ASSERT_EQ(fulcrum_data_new(program, "account_lens", &data, &error), FULCRUM_OK) << take(error);
  fulcrum_alert_session* session = nullptr;
  EXPECT_EQ(fulcrum_alert_session_new(data, "events", nullptr, &session, &error),
            FULCRUM_USAGE_ERROR);
  EXPECT_NE(take(error).find("fulcrum_data_load"), std::string::npos);
  fulcrum_data_free(data);
  fulcrum_program_free(program);
}

} // namespace
