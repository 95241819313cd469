// fulcrum_alert_session_* through libfulcrum.so: the lens example's events.csv, its first rows
// loaded as the history and the rest fed one row at a time, must leave the session with exactly
// the alerts fulcrum_run gives over the whole file (itself checked against `fulcrum alerts`), on
// both engines; the feeds hand out each active alert once; errors are statuses with
// diagnostics naming the table and value, never a crash. The same rows fed as Arrow batches
// (typed columns: date32, float64, utf8 and dictionaries, nulls) give what the cells give.
#include "fulcrum/fulcrum.h"
#include "tests/unit/ArrowTestData.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <gtest/gtest.h>
#include <optional>
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

using namespace fulcrum::testing_support;

// Days since 1970-01-01 of `YYYY-MM-DD` (the civil calendar, computed here: the oracle for
// date32, independent of the runtime's calendar).
int32_t daysOf(const std::string& date) {
  int y = std::stoi(date.substr(0, 4));
  const int m = std::stoi(date.substr(5, 2)), d = std::stoi(date.substr(8, 2));
  y -= m <= 2;
  const int era = (y >= 0 ? y : y - 399) / 400;
  const int yoe = y - era * 400;
  const int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

// Rows of events.csv (split cells) as a struct array: `at` date32, `weight` float64, an empty
// contact null; `account` and `kind` utf8, or dictionaries when `dictionaries` (then `kind`'s
// is int8-indexed, `account`'s int32), `kind` large utf8 otherwise.
ArrowNode eventsBatch(const std::vector<std::vector<std::string>>& rows, bool dictionaries) {
  std::vector<std::optional<std::string>> account, contact, kind;
  std::vector<std::optional<int32_t>> at;
  std::vector<std::optional<double>> weight;
  for (const std::vector<std::string>& cells : rows) {
    account.push_back(cells[0]);
    contact.push_back(cells[1].empty() ? std::nullopt : std::optional<std::string>(cells[1]));
    kind.push_back(cells[2]);
    at.push_back(daysOf(cells[3]));
    weight.push_back(std::stod(cells[4]));
  }
  auto encoded = [](const std::string& name, const std::vector<std::optional<std::string>>& cells,
                    const std::string& indexFormat) {
    std::vector<std::string> entries;
    std::vector<std::optional<int64_t>> indexes;
    for (const auto& cell : cells) {
      auto found = std::find(entries.begin(), entries.end(), *cell);
      if (found == entries.end())
        found = entries.insert(entries.end(), *cell);
      indexes.push_back(found - entries.begin());
    }
    return dictionaryColumn(name, indexes, entries, indexFormat);
  };
  // Not in declaration order: columns are matched by name.
  return structOf({date32Column("at", at),
                   dictionaries ? encoded("account", account, "i") : textColumn("account", account),
                   textColumn("contact", contact),
                   dictionaries ? encoded("kind", kind, "c") : textColumn("kind", kind, true),
                   float64Column("weight", weight)});
}

// Arrow releases a struct array of `node` makes: each struct, its children and dictionaries.
int structsIn(const ArrowNode& node) {
  int count = 1 + (node.dictionary ? structsIn(*node.dictionary) : 0);
  for (const ArrowNode& child : node.children)
    count += structsIn(child);
  return count;
}

// Feeds `node` as Arrow structs; they must be released (all of them) when the call returns.
fulcrum_status feedArrow(fulcrum_alert_session* session, const ArrowNode& node,
                         fulcrum_alert_list** fired, fulcrum_error** error) {
  ArrowSchema schema;
  ArrowArray array;
  toArrow(node, &schema, &array);
  const int before = arrowReleases();
  const fulcrum_status status =
      fulcrum_alert_session_feed_arrow(session, &schema, &array, fired, error);
  EXPECT_EQ(schema.release, nullptr);
  EXPECT_EQ(array.release, nullptr);
  EXPECT_EQ(arrowReleases() - before, 2 * structsIn(node)); // nothing kept past the call
  return status;
}

std::vector<std::vector<std::string>> fedRows() {
  const std::vector<std::string> all = lines(kEvents);
  std::vector<std::vector<std::string>> rows;
  for (size_t i = kHistoryRows + 1; i < all.size(); ++i)
    rows.push_back(split(all[i]));
  return rows;
}

std::vector<Alert> currentOf(const fulcrum_alert_session* session) {
  fulcrum_alert_list* list = nullptr;
  EXPECT_EQ(fulcrum_alert_session_current(session, &list), FULCRUM_OK);
  return takeList(list);
}

// The records of `now` not true in `before`, by identity (counted: two equal rows of a table
// without a key are two alerts).
std::multiset<Alert> gained(const std::vector<Alert>& before, const std::vector<Alert>& now) {
  std::multiset<std::string> left;
  for (const Alert& a : before)
    left.insert(std::get<6>(a));
  std::multiset<Alert> out;
  for (const Alert& a : now) {
    if (auto found = left.find(std::get<6>(a)); found != left.end())
      left.erase(found);
    else
      out.insert(a);
  }
  return out;
}

std::multiset<Alert> activeOf(const std::multiset<Alert>& alerts) {
  std::multiset<Alert> out;
  for (const Alert& a : alerts)
    if (std::get<1>(a) == "decision_maker_move")
      out.insert(a);
  return out;
}

void arrowBatchesEqualRows(fulcrum_engine engine) {
  const std::vector<std::string> all = lines(kEvents);
  const std::string history = historyFile(all);
  const std::vector<std::vector<std::string>> rows = fedRows();
  ASSERT_GT(rows.size(), 200u);
  Lens lens;
  open(lens, engine, history, "2017-06-30");
  fulcrum_error* error = nullptr;
  fulcrum_alert_session* byRow = nullptr;
  fulcrum_alert_session* byArrow = nullptr;
  ASSERT_EQ(fulcrum_alert_session_new(lens.data, "events", lens.options, &byRow, &error),
            FULCRUM_OK)
      << take(error);
  ASSERT_EQ(fulcrum_alert_session_new(lens.data, "events", lens.options, &byArrow, &error),
            FULCRUM_OK)
      << take(error);
  std::multiset<Alert> firedByRow, firedByArrow;
  for (const std::vector<std::string>& cells : rows) {
    std::vector<const char*> pointers;
    for (const std::string& cell : cells)
      pointers.push_back(cell.c_str());
    fulcrum_alert_list* became = nullptr;
    ASSERT_EQ(
        fulcrum_alert_session_feed_row(byRow, pointers.data(), pointers.size(), &became, &error),
        FULCRUM_OK)
        << take(error);
    for (const Alert& a : takeList(became))
      firedByRow.insert(a);
  }
  // Batches of 1, 2, 3... rows, utf8 and dictionary columns in turn.
  size_t batches = 0;
  for (size_t begin = 0, size = 1; begin < rows.size(); begin += size, ++size, ++batches) {
    const std::vector<std::vector<std::string>> batch(
        rows.begin() + static_cast<std::ptrdiff_t>(begin),
        rows.begin() + static_cast<std::ptrdiff_t>(std::min(rows.size(), begin + size)));
    const std::vector<Alert> before = currentOf(byArrow);
    fulcrum_alert_list* became = nullptr;
    ASSERT_EQ(feedArrow(byArrow, eventsBatch(batch, batches % 2 == 1), &became, &error), FULCRUM_OK)
        << take(error);
    const std::vector<Alert> fired = takeList(became);
    EXPECT_EQ(std::multiset<Alert>(fired.begin(), fired.end()), gained(before, currentOf(byArrow)))
        << "batch " << batches;
    firedByArrow.insert(fired.begin(), fired.end());
  }
  EXPECT_GT(batches, 10u);
  // Each active alert is handed out once, when its row comes, however the rows are batched (a
  // passive one may turn true and false again between two single rows, unseen by a batch).
  EXPECT_GT(activeOf(firedByArrow).size(), 0u);
  EXPECT_EQ(activeOf(firedByArrow), activeOf(firedByRow));
  const std::vector<Alert> batch = batchAlerts(engine, "2017-06-30");
  EXPECT_EQ(currentOf(byArrow), currentOf(byRow));
  EXPECT_EQ(currentOf(byArrow), batch);
  fulcrum_alert_session_free(byRow);
  fulcrum_alert_session_free(byArrow);
  std::remove(history.c_str());
}

TEST(CApiAlertSession, ArrowBatchesEqualTheSameRowsFedAsCellsOnTheJit) {
  arrowBatchesEqualRows(FULCRUM_ENGINE_JIT);
}

TEST(CApiAlertSession, ArrowBatchesEqualTheSameRowsFedAsCellsOnTheInterpreter) {
  arrowBatchesEqualRows(FULCRUM_ENGINE_INTERPRETER);
}

// The one diagnostic of `error` (freed): its table, line (the row in the batch), value and
// message.
std::tuple<std::string, uint32_t, std::string, std::string> onlyDiagnostic(fulcrum_error* error) {
  EXPECT_NE(error, nullptr);
  if (!error)
    return {};
  EXPECT_EQ(fulcrum_error_diagnostic_count(error), 1u) << fulcrum_error_message(error);
  fulcrum_diagnostic d{};
  EXPECT_EQ(fulcrum_error_diagnostic(error, 0, &d), FULCRUM_OK);
  std::tuple<std::string, uint32_t, std::string, std::string> out{d.table, d.line, d.value,
                                                                  d.message};
  fulcrum_error_free(error);
  return out;
}

TEST(CApiAlertSession, BadArrowBatchesNameTableRowAndValueAndChangeNothing) {
  const std::string history = historyFile(lines(kEvents));
  Lens lens;
  open(lens, FULCRUM_ENGINE_INTERPRETER, history, "2017-06-30");
  fulcrum_alert_session* session = nullptr;
  fulcrum_error* error = nullptr;
  ASSERT_EQ(fulcrum_alert_session_new(lens.data, "events", lens.options, &session, &error),
            FULCRUM_OK)
      << take(error);
  const std::vector<Alert> before = currentOf(session);
  std::vector<std::vector<std::string>> rows = fedRows();
  rows.resize(4);
  // A role change today: a good batch would fire decision_maker_move.
  rows[3] = {"Betatech", "Ann Lee", "role_change", "2017-06-30", "1.0"};
  fulcrum_alert_list* became = nullptr;

  // An account accounts.csv does not have, in row 3 of the batch.
  std::vector<std::vector<std::string>> unknown = rows;
  unknown[2][0] = "Nobody Inc";
  EXPECT_EQ(feedArrow(session, eventsBatch(unknown, true), &became, &error), FULCRUM_DATA_ERROR);
  EXPECT_EQ(became, nullptr);
  auto [table, line, value, text] = onlyDiagnostic(error);
  EXPECT_EQ(table, "events");
  EXPECT_EQ(line, 3u);
  EXPECT_EQ(value, "Nobody Inc");
  EXPECT_NE(text.find("unknown account `Nobody Inc`"), std::string::npos) << text;

  // A null in a required field (kind, row 2) and an infinite weight (row 4): both named.
  ArrowNode nulls = eventsBatch(rows, false);
  nulls.children[3] = textColumn("kind", {"web_visit", std::nullopt, "web_visit", "role_change"});
  nulls.children[4] = float64Column("weight", {1.0, 1.0, 1.0, INFINITY});
  EXPECT_EQ(feedArrow(session, nulls, &became, &error), FULCRUM_DATA_ERROR);
  ASSERT_NE(error, nullptr);
  ASSERT_EQ(fulcrum_error_diagnostic_count(error), 2u) << fulcrum_error_message(error);
  fulcrum_diagnostic d{};
  ASSERT_EQ(fulcrum_error_diagnostic(error, 0, &d), FULCRUM_OK);
  EXPECT_STREQ(d.table, "events");
  EXPECT_EQ(d.line, 2u);
  EXPECT_NE(std::string(d.message).find("empty `kind`"), std::string::npos) << d.message;
  ASSERT_EQ(fulcrum_error_diagnostic(error, 1, &d), FULCRUM_OK);
  EXPECT_EQ(d.line, 4u);
  EXPECT_NE(std::string(d.message).find("`weight`"), std::string::npos) << d.message;
  EXPECT_NE(std::string(fulcrum_error_message(error)).find("events row 4 of the feed"),
            std::string::npos)
      << fulcrum_error_message(error);
  fulcrum_error_free(error);

  // Columns that do not fit: a data error (as for fulcrum_data_bind_arrow) naming the column, its
  // format and what it takes.
  ArrowNode wrongFormat = eventsBatch(rows, false);
  wrongFormat.children[4] = textColumn("weight", {"1", "1", "1", "1"});
  EXPECT_EQ(feedArrow(session, wrongFormat, &became, &error), FULCRUM_DATA_ERROR);
  std::tie(table, line, value, text) = onlyDiagnostic(error);
  EXPECT_EQ(table, "events");
  EXPECT_NE(text.find("column `weight` has format `u`"), std::string::npos) << text;
  EXPECT_NE(text.find("float64"), std::string::npos) << text;
  ArrowNode missing = eventsBatch(rows, false);
  missing.children.erase(missing.children.begin()); // no `at`
  EXPECT_EQ(feedArrow(session, missing, &became, &error), FULCRUM_DATA_ERROR);
  EXPECT_NE(take(error).find("no column for the field `at`"), std::string::npos);
  ArrowNode extra = eventsBatch(rows, false);
  extra.children.push_back(float64Column("score", {1.0, 2.0, 3.0, 4.0}));
  EXPECT_EQ(feedArrow(session, extra, &became, &error), FULCRUM_DATA_ERROR);
  EXPECT_NE(take(error).find("`score` is no field of events"), std::string::npos);
  // A struct array that breaks the specification (a child's buffers missing).
  ArrowNode broken = eventsBatch(rows, false);
  broken.children[4].buffers.pop_back();
  EXPECT_EQ(feedArrow(session, broken, &became, &error), FULCRUM_DATA_ERROR);
  EXPECT_NE(take(error).find("the Arrow columns of events"), std::string::npos);
  EXPECT_EQ(currentOf(session), before);

  // NULL arguments: usage errors, and whatever was given is still released.
  ArrowSchema schema;
  ArrowArray array;
  toArrow(eventsBatch(rows, false), &schema, &array);
  EXPECT_EQ(fulcrum_alert_session_feed_arrow(nullptr, &schema, &array, &became, nullptr),
            FULCRUM_USAGE_ERROR);
  EXPECT_EQ(schema.release, nullptr);
  EXPECT_EQ(array.release, nullptr);
  toArrow(eventsBatch(rows, false), &schema, &array);
  EXPECT_EQ(fulcrum_alert_session_feed_arrow(session, nullptr, &array, &became, &error),
            FULCRUM_USAGE_ERROR);
  EXPECT_NE(take(error).find("`schema` is NULL"), std::string::npos);
  EXPECT_EQ(array.release, nullptr);
  ASSERT_NE(schema.release, nullptr);
  schema.release(&schema);

  // The good rows go in afterwards: the role change fires, once.
  ASSERT_EQ(feedArrow(session, eventsBatch(rows, true), &became, &error), FULCRUM_OK)
      << take(error);
  size_t moves = 0;
  for (const Alert& a : takeList(became))
    moves += std::get<1>(a) == "decision_maker_move" && std::get<0>(a) == "Betatech" &&
             std::get<4>(a).find("Ann Lee") != std::string::npos;
  EXPECT_EQ(moves, 1u);
  fulcrum_alert_session_free(session);
  std::remove(history.c_str());
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
