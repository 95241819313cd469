// The C API through libfulcrum.so (only include/fulcrum/fulcrum.h: the exported surface is what
// is tested), against the CLI: results of `fulcrum run` and `fulcrum alerts` are the oracle,
// byte for byte. Paths are relative to the repository root (the test's working directory).
#include "fulcrum/fulcrum.h"
#include "tests/api/CliOutput.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <thread>
#include <unistd.h>
#include <vector>

namespace {

const char* const kLlr = "examples/llr/llr.fulcrum";
const char* const kLens = "examples/accounts/lens.fulcrum";

std::string cli(const std::string& args) {
  return fulcrum::testing::cliOutput(args);
}

struct Freer {
  void operator()(fulcrum_program* p) const { fulcrum_program_free(p); }
  void operator()(fulcrum_data* p) const { fulcrum_data_free(p); }
  void operator()(fulcrum_run_options* p) const { fulcrum_run_options_free(p); }
  void operator()(fulcrum_result* p) const { fulcrum_result_free(p); }
  void operator()(fulcrum_error* p) const { fulcrum_error_free(p); }
  void operator()(fulcrum_compile_options* p) const { fulcrum_compile_options_free(p); }
  void operator()(fulcrum_cancel* p) const { fulcrum_cancel_free(p); }
};
template <class T> using Owned = std::unique_ptr<T, Freer>;

// The error's message (and frees it), for assertions.
std::string take(fulcrum_error* error) {
  std::string text = error ? fulcrum_error_message(error) : "(no error object)";
  fulcrum_error_free(error);
  return text;
}

Owned<fulcrum_program> compile(const char* path, fulcrum_engine engine = FULCRUM_ENGINE_JIT) {
  fulcrum_compile_options* options = nullptr;
  EXPECT_EQ(fulcrum_compile_options_new(&options), FULCRUM_OK);
  Owned<fulcrum_compile_options> owned(options);
  EXPECT_EQ(fulcrum_compile_options_set_engine(options, engine), FULCRUM_OK);
  fulcrum_program* program = nullptr;
  fulcrum_error* error = nullptr;
  const fulcrum_status status = fulcrum_compile_file(path, options, &program, &error);
  EXPECT_EQ(status, FULCRUM_OK) << take(error);
  return Owned<fulcrum_program>(program);
}

Owned<fulcrum_data> load(const fulcrum_program* program, const char* framework,
                         const fulcrum_run_options* options = nullptr) {
  fulcrum_data* data = nullptr;
  fulcrum_error* error = nullptr;
  EXPECT_EQ(fulcrum_data_new(program, framework, &data, &error), FULCRUM_OK) << take(error);
  EXPECT_EQ(fulcrum_data_load(data, options, &error), FULCRUM_OK) << take(error);
  return Owned<fulcrum_data>(data);
}

Owned<fulcrum_run_options> periodOptions(const char* period,
                                         std::map<std::string, std::string> params = {}) {
  fulcrum_run_options* options = nullptr;
  EXPECT_EQ(fulcrum_run_options_new(&options), FULCRUM_OK);
  EXPECT_EQ(fulcrum_run_options_set_period(options, period), FULCRUM_OK);
  for (const auto& [name, value] : params)
    EXPECT_EQ(fulcrum_run_options_set_param(options, name.c_str(), value.c_str()), FULCRUM_OK);
  return Owned<fulcrum_run_options>(options);
}

std::string format(const fulcrum_result* result, fulcrum_format shape) {
  char* text = nullptr;
  size_t length = 0;
  EXPECT_EQ(fulcrum_result_format(result, shape, &text, &length), FULCRUM_OK);
  std::string out(text ? text : "", length);
  fulcrum_string_free(text);
  return out;
}

// The run's CSV (or an error's message).
std::string runCsv(const fulcrum_data* data, const fulcrum_run_options* options,
                   fulcrum_format shape = FULCRUM_FORMAT_CSV) {
  fulcrum_result* result = nullptr;
  fulcrum_error* error = nullptr;
  if (fulcrum_run(data, options, &result, &error) != FULCRUM_OK)
    return "error: " + take(error);
  Owned<fulcrum_result> owned(result);
  return format(result, shape);
}

TEST(CApi, Version) {
  EXPECT_EQ(fulcrum_api_version(), FULCRUM_API_VERSION);
  EXPECT_STREQ(fulcrum_version(), "0.1.0");
  EXPECT_STREQ(fulcrum_status_name(FULCRUM_CANCELLED), "FULCRUM_CANCELLED");
}

TEST(CApi, CompileErrorsCarryEveryDiagnostic) {
  const std::string text = "entity rep {\n  key name: text\n}\n"
                           "framework f \"F\" {\n  subject rep\n  cadence quarter\n"
                           "  metric a: count = cuont(rep)\n  metric b = undefined_thing\n}\n";
  fulcrum_program* program = nullptr;
  fulcrum_error* error = nullptr;
  ASSERT_EQ(fulcrum_compile_text("frameworks/bad.fulcrum", text.data(), text.size(), nullptr,
                                 &program, &error),
            FULCRUM_COMPILE_ERROR);
  EXPECT_EQ(program, nullptr);
  ASSERT_NE(error, nullptr);
  Owned<fulcrum_error> owned(error);
  EXPECT_EQ(fulcrum_error_status(error), FULCRUM_COMPILE_ERROR);
  ASSERT_EQ(fulcrum_error_diagnostic_count(error), 2u) << fulcrum_error_message(error);
  fulcrum_diagnostic d{};
  ASSERT_EQ(fulcrum_error_diagnostic(error, 0, &d), FULCRUM_OK);
  EXPECT_STREQ(d.file, "frameworks/bad.fulcrum");
  EXPECT_EQ(d.line, 7u);
  EXPECT_EQ(d.column, 21u);
  EXPECT_STREQ(d.severity, "error");
  EXPECT_STREQ(d.kind, "UnknownFunction");
  EXPECT_NE(std::string(d.hint).find("count"), std::string::npos) << d.hint;
  ASSERT_EQ(fulcrum_error_diagnostic(error, 1, &d), FULCRUM_OK);
  EXPECT_EQ(d.line, 8u);
  EXPECT_EQ(d.column, 14u);
  EXPECT_STREQ(d.kind, "UnknownName");
  EXPECT_EQ(fulcrum_error_diagnostic(error, 2, &d), FULCRUM_USAGE_ERROR);
  // The message is what `fulcrum check` prints for the same file.
  const std::string message = fulcrum_error_message(error);
  EXPECT_NE(message.find("frameworks/bad.fulcrum:7:21: error: "), std::string::npos) << message;
  EXPECT_NE(message.find("  hint: "), std::string::npos) << message;
}

TEST(CApi, UnreadableFileIsACompileError) {
  fulcrum_program* program = nullptr;
  fulcrum_error* error = nullptr;
  EXPECT_EQ(fulcrum_compile_file("no/such/file.fulcrum", nullptr, &program, &error),
            FULCRUM_COMPILE_ERROR);
  Owned<fulcrum_error> owned(error);
  fulcrum_diagnostic d{};
  ASSERT_EQ(fulcrum_error_diagnostic(error, 0, &d), FULCRUM_OK);
  EXPECT_STREQ(d.kind, "FileNotReadable");
}

TEST(CApi, IntrospectsTheLlrExample) {
  auto program = compile(kLlr);
  size_t count = 0;
  ASSERT_EQ(fulcrum_program_framework_count(program.get(), &count), FULCRUM_OK);
  ASSERT_EQ(count, 1u);
  const char* name = nullptr;
  ASSERT_EQ(fulcrum_program_framework_name(program.get(), 0, &name), FULCRUM_OK);
  EXPECT_STREQ(name, "llr");

  // Outputs: the key, then the columns `fulcrum run` prints (its CSV header says which).
  const std::string header =
      cli(std::string("run ") + kLlr + " --framework llr --period 2017-Q3 --format csv")
          .substr(0,
                  cli(std::string("run ") + kLlr + " --framework llr --period 2017-Q3 --format csv")
                      .find('\n'));
  std::string names;
  ASSERT_EQ(fulcrum_program_output_count(program.get(), nullptr, &count), FULCRUM_OK);
  std::map<std::string, std::pair<std::string, fulcrum_type>> types;
  for (size_t i = 0; i < count; ++i) {
    fulcrum_column_info column{};
    ASSERT_EQ(fulcrum_program_output(program.get(), "llr", i, &column), FULCRUM_OK);
    names += i ? "," : "";
    names += column.name;
    types[column.name] = {column.type_name, column.type};
    EXPECT_EQ(column.is_key, i == 0 ? 1 : 0);
  }
  EXPECT_EQ(names, header);
  EXPECT_EQ(types["name"], std::make_pair(std::string("rep"), FULCRUM_TYPE_REFERENCE));
  EXPECT_EQ(types["won"], std::make_pair(std::string("money"), FULCRUM_TYPE_MONEY));
  EXPECT_EQ(types["decided"], std::make_pair(std::string("count"), FULCRUM_TYPE_COUNT));
  EXPECT_EQ(types["win_rate"], std::make_pair(std::string("percent"), FULCRUM_TYPE_PERCENT));
  EXPECT_EQ(types["outcome"], std::make_pair(std::string("text"), FULCRUM_TYPE_TEXT));
  fulcrum_column_info column{};
  EXPECT_EQ(fulcrum_program_output(program.get(), "llr", count, &column), FULCRUM_USAGE_ERROR);

  ASSERT_EQ(fulcrum_program_param_count(program.get(), "llr", &count), FULCRUM_OK);
  ASSERT_EQ(count, 1u);
  fulcrum_param_info param{};
  ASSERT_EQ(fulcrum_program_param(program.get(), "llr", 0, &param), FULCRUM_OK);
  EXPECT_STREQ(param.name, "quota");
  EXPECT_STREQ(param.type_name, "money");
  EXPECT_EQ(param.type, FULCRUM_TYPE_MONEY);
  ASSERT_NE(param.default_value, nullptr);
  EXPECT_STREQ(param.default_value, "150000");

  ASSERT_EQ(fulcrum_program_table_count(program.get(), "llr", &count), FULCRUM_OK);
  std::map<std::string, fulcrum_table_info> tables;
  for (size_t i = 0; i < count; ++i) {
    fulcrum_table_info table{};
    ASSERT_EQ(fulcrum_program_table(program.get(), "llr", i, &table), FULCRUM_OK);
    tables[table.name] = table;
  }
  ASSERT_EQ(tables.size(), 4u);
  EXPECT_EQ(tables["rep"].is_entity, 1);
  EXPECT_EQ(tables["account"].is_entity, 1);
  EXPECT_EQ(tables["deals"].is_entity, 0);
  EXPECT_EQ(tables["deals"].field_count, 8u);
  EXPECT_NE(std::string(tables["deals"].path).find("sales_pipeline.csv"), std::string::npos);
  fulcrum_column_info field{};
  ASSERT_EQ(fulcrum_program_field(program.get(), "llr", "deals", 0, &field), FULCRUM_OK);
  EXPECT_STREQ(field.name, "id");
  EXPECT_EQ(field.is_key, 1);
  ASSERT_EQ(fulcrum_program_field(program.get(), "llr", "deals", 1, &field), FULCRUM_OK);
  EXPECT_STREQ(field.name, "owner");
  EXPECT_STREQ(field.type_name, "rep");
  EXPECT_EQ(field.type, FULCRUM_TYPE_REFERENCE);
  EXPECT_EQ(field.optional, 0);
  ASSERT_EQ(fulcrum_program_field(program.get(), "llr", "deals", 7, &field), FULCRUM_OK);
  EXPECT_STREQ(field.name, "value");
  EXPECT_EQ(field.type, FULCRUM_TYPE_MONEY);
  EXPECT_EQ(field.optional, 1);
  EXPECT_EQ(fulcrum_program_field(program.get(), "llr", "deals", 8, &field), FULCRUM_USAGE_ERROR);
  EXPECT_EQ(fulcrum_program_field(program.get(), "llr", "nope", 0, &field), FULCRUM_USAGE_ERROR);
}

// The Maven CSVs bound explicitly (as `--data` would), the CLI run over the same files.
TEST(CApi, RunEqualsTheCliByteForByte) {
  for (fulcrum_engine engine : {FULCRUM_ENGINE_JIT, FULCRUM_ENGINE_INTERPRETER}) {
    auto program = compile(kLlr, engine);
    fulcrum_data* data = nullptr;
    fulcrum_error* error = nullptr;
    ASSERT_EQ(fulcrum_data_new(program.get(), "llr", &data, &error), FULCRUM_OK) << take(error);
    Owned<fulcrum_data> owned(data);
    ASSERT_EQ(fulcrum_data_bind_csv(data, "deals",
                                    "../shared/datasets/maven-crm/sales_pipeline.csv", &error),
              FULCRUM_OK)
        << take(error);
    ASSERT_EQ(fulcrum_data_load(data, nullptr, &error), FULCRUM_OK) << take(error);
    size_t notes = 0;
    ASSERT_EQ(fulcrum_data_note_count(data, &notes), FULCRUM_OK);
    EXPECT_GE(notes, 4u);
    const char* note = nullptr;
    ASSERT_EQ(fulcrum_data_note(data, 0, &note), FULCRUM_OK);
    EXPECT_NE(std::string(note).find(" rows, "), std::string::npos) << note;
    for (const char* period : {"2017-Q2", "2017-Q3"}) {
      auto options = periodOptions(period);
      const std::string args = std::string("run ") + kLlr + " --framework llr --period " + period +
                               " --engine " + (engine == FULCRUM_ENGINE_JIT ? "jit" : "interp");
      const std::string csv = runCsv(data, options.get());
      EXPECT_EQ(csv, cli(args + " --format csv"));
      EXPECT_EQ(std::count(csv.begin(), csv.end(), '\n'), 36); // a header and 35 reps
      EXPECT_EQ(runCsv(data, options.get(), FULCRUM_FORMAT_JSON), cli(args + " --format json"));
      EXPECT_EQ(runCsv(data, options.get(), FULCRUM_FORMAT_TABLE), cli(args + " --format table"));
    }
  }
}

// Source text named after a path: its `from` files resolve against that path's folder.
TEST(CApi, CompiledTextResolvesFromPathsAgainstItsName) {
  std::ifstream in(std::string(FULCRUM_SOURCE_DIR) + "/" + kLlr);
  std::stringstream text;
  text << in.rdbuf();
  const std::string source = text.str();
  fulcrum_program* program = nullptr;
  fulcrum_error* error = nullptr;
  ASSERT_EQ(fulcrum_compile_text(kLlr, source.data(), source.size(), nullptr, &program, &error),
            FULCRUM_OK)
      << take(error);
  Owned<fulcrum_program> owned(program);
  auto data = load(program, "llr");
  auto options = periodOptions("2017-Q3");
  EXPECT_EQ(runCsv(data.get(), options.get()),
            cli(std::string("run ") + kLlr + " --framework llr --period 2017-Q3 --format csv"));
}

TEST(CApi, ReadsCells) {
  auto program = compile(kLlr);
  auto data = load(program.get(), nullptr);
  auto options = periodOptions("2017-Q3");
  fulcrum_result* result = nullptr;
  fulcrum_error* error = nullptr;
  ASSERT_EQ(fulcrum_run(data.get(), options.get(), &result, &error), FULCRUM_OK) << take(error);
  Owned<fulcrum_result> owned(result);
  size_t rows = 0, columns = 0;
  ASSERT_EQ(fulcrum_result_row_count(result, &rows), FULCRUM_OK);
  ASSERT_EQ(fulcrum_result_column_count(result, &columns), FULCRUM_OK);
  EXPECT_EQ(rows, 35u);
  // Every cell's text is the CLI's CSV cell (no cell of this result needs quoting).
  std::string rebuilt;
  for (size_t c = 0; c < columns; ++c) {
    fulcrum_column_info info{};
    ASSERT_EQ(fulcrum_result_column(result, c, &info), FULCRUM_OK);
    rebuilt += c ? "," : "";
    rebuilt += info.name;
  }
  rebuilt += "\n";
  size_t won = 0;
  for (size_t c = 0; c < columns; ++c) {
    fulcrum_column_info info{};
    fulcrum_result_column(result, c, &info);
    if (std::string(info.name) == "won")
      won = c;
  }
  ASSERT_GT(won, 0u);
  for (size_t r = 0; r < rows; ++r) {
    for (size_t c = 0; c < columns; ++c) {
      const char* text = nullptr;
      ASSERT_EQ(fulcrum_result_text(result, r, c, &text), FULCRUM_OK);
      rebuilt += c ? "," : "";
      rebuilt += text;
    }
    rebuilt += "\n";
    int missing = 1;
    ASSERT_EQ(fulcrum_result_is_missing(result, r, won, &missing), FULCRUM_OK);
    ASSERT_EQ(missing, 0);
    int64_t units = 0;
    double dollars = 0;
    ASSERT_EQ(fulcrum_result_money_units(result, r, won, &units), FULCRUM_OK);
    ASSERT_EQ(fulcrum_result_number(result, r, won, &dollars), FULCRUM_OK);
    EXPECT_DOUBLE_EQ(dollars, static_cast<double>(units) / 10000.0);
    EXPECT_EQ(units % 10000, 0); // Maven's close values are whole dollars
  }
  EXPECT_EQ(rebuilt, format(result, FULCRUM_FORMAT_CSV));
  double number = 0;
  EXPECT_EQ(fulcrum_result_number(result, 0, 0, &number), FULCRUM_USAGE_ERROR); // the key: text
  EXPECT_EQ(fulcrum_result_number(result, rows, won, &number), FULCRUM_USAGE_ERROR);
  const char* text = nullptr;
  EXPECT_EQ(fulcrum_result_text(result, 0, columns, &text), FULCRUM_USAGE_ERROR);
}

// What-if: one load, several quotas; each run equals a CLI run with that --param.
TEST(CApi, WhatIfRunsReuseOneLoad) {
  auto program = compile(kLlr);
  auto data = load(program.get(), "llr");
  for (const char* quota : {"100000", "150000", "400000", "$90k"}) {
    auto options = periodOptions("2017-Q3", {{"quota", quota}});
    EXPECT_EQ(runCsv(data.get(), options.get()),
              cli(std::string("run ") + kLlr + " --framework llr --period 2017-Q3 --format csv" +
                  " --param 'quota=" + quota + "'"))
        << quota;
  }
  auto cleared = periodOptions("2017-Q3", {{"quota", "1"}});
  ASSERT_EQ(fulcrum_run_options_clear_params(cleared.get()), FULCRUM_OK);
  EXPECT_EQ(runCsv(data.get(), cleared.get()),
            cli(std::string("run ") + kLlr + " --framework llr --period 2017-Q3 --format csv"));
}

// Eight threads run one program over one load with different params at once; each result equals
// the serial run with the same params (the lead runs this under ThreadSanitizer).
TEST(CApi, ConcurrentRunsEqualSerialRuns) {
  auto program = compile(kLlr);
  auto data = load(program.get(), "llr");
  const std::vector<std::string> quotas = {"50000",  "90000",  "120000", "150000",
                                           "180000", "250000", "400000", "1000000"};
  const std::vector<std::string> periods = {"2017-Q1", "2017-Q2", "2017-Q3", "2017-Q4"};
  std::vector<std::string> serial;
  for (size_t t = 0; t < quotas.size(); ++t) {
    auto options = periodOptions(periods[t % 4].c_str(), {{"quota", quotas[t]}});
    serial.push_back(runCsv(data.get(), options.get()));
  }
  std::vector<std::string> concurrent(quotas.size());
  std::atomic<int> ready{0};
  std::vector<std::thread> threads;
  for (size_t t = 0; t < quotas.size(); ++t)
    threads.emplace_back([&, t] {
      auto options = periodOptions(periods[t % 4].c_str(), {{"quota", quotas[t]}});
      ++ready;
      while (ready < static_cast<int>(quotas.size())) {
      }
      for (int repeat = 0; repeat < 5; ++repeat) {
        std::string csv = runCsv(data.get(), options.get());
        if (repeat == 0 || csv != concurrent[t])
          concurrent[t] = repeat == 0 ? csv : "differs between repeats";
      }
    });
  for (std::thread& thread : threads)
    thread.join();
  for (size_t t = 0; t < quotas.size(); ++t) {
    EXPECT_EQ(concurrent[t], serial[t]) << quotas[t];
    EXPECT_NE(serial[t].find("name,"), std::string::npos);
  }
  EXPECT_NE(serial[0], serial[7]); // the quota changes the result
}

// Every thread makes the framework's program itself (first use from 8 threads at once).
TEST(CApi, FirstUseFromManyThreads) {
  auto program = compile(kLlr, FULCRUM_ENGINE_INTERPRETER);
  std::vector<std::thread> threads;
  std::atomic<int> ok{0};
  for (int t = 0; t < 8; ++t)
    threads.emplace_back([&] {
      size_t count = 0;
      if (fulcrum_program_output_count(program.get(), "llr", &count) == FULCRUM_OK && count > 5)
        ++ok;
    });
  for (std::thread& thread : threads)
    thread.join();
  EXPECT_EQ(ok, 8);
}

// A generated deals file big enough that its load takes a while.
std::string bigDeals(size_t rows) {
  static std::string path;
  if (!path.empty())
    return path;
  path = (std::filesystem::temp_directory_path() /
          ("fulcrum_api_big_" + std::to_string(getpid()) + ".csv"))
             .string();
  std::ofstream out(path);
  out << "opportunity_id,sales_agent,product,account,deal_stage,engage_date,close_date,"
         "close_value\n";
  std::string line;
  for (size_t i = 0; i < rows; ++i)
    out << 'X' << i << ",Moses Frase,GTXPro,Cancity,Won,2017-01-02,2017-08-03," << (i % 9000)
        << "\n";
  return path;
}

TEST(CApi, CancelStopsALoadFromAnotherThread) {
  auto program = compile(kLlr, FULCRUM_ENGINE_INTERPRETER);
  const std::string deals = bigDeals(1500000);
  fulcrum_cancel* cancel = nullptr;
  ASSERT_EQ(fulcrum_cancel_new(&cancel), FULCRUM_OK);
  Owned<fulcrum_cancel> ownedCancel(cancel);
  auto options = periodOptions("2017-Q3");
  ASSERT_EQ(fulcrum_run_options_set_cancel(options.get(), cancel), FULCRUM_OK);
  ASSERT_EQ(fulcrum_run_options_set_threads(options.get(), 2), FULCRUM_OK);

  auto loadWith = [&](bool cancelIt, double& seconds) {
    fulcrum_data* data = nullptr;
    fulcrum_error* error = nullptr;
    EXPECT_EQ(fulcrum_data_new(program.get(), "llr", &data, &error), FULCRUM_OK);
    Owned<fulcrum_data> owned(data);
    EXPECT_EQ(fulcrum_data_bind_csv(data, "deals", deals.c_str(), &error), FULCRUM_OK);
    std::thread canceller;
    if (cancelIt)
      canceller = std::thread([&] {
        std::this_thread::sleep_for(std::chrono::milliseconds(30));
        fulcrum_cancel_request(cancel);
      });
    const auto start = std::chrono::steady_clock::now();
    const fulcrum_status status = fulcrum_data_load(data, options.get(), &error);
    seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (canceller.joinable())
      canceller.join();
    std::string message = error ? fulcrum_error_message(error) : "";
    fulcrum_error_free(error);
    return std::make_pair(status, message);
  };
  double whole = 0, cancelled = 0;
  const auto finished = loadWith(false, whole);
  EXPECT_EQ(finished.first, FULCRUM_OK) << finished.second;
  const auto stopped = loadWith(true, cancelled);
  EXPECT_EQ(stopped.first, FULCRUM_CANCELLED) << stopped.second;
  EXPECT_NE(stopped.second.find("cancelled"), std::string::npos) << stopped.second;
  EXPECT_LT(cancelled, whole / 2) << "cancelled after " << cancelled << " s of " << whole << " s";
  // Reset, the token lets a load run again; requested before, it stops the run too.
  ASSERT_EQ(fulcrum_cancel_reset(cancel), FULCRUM_OK);
  auto data = load(program.get(), "llr", options.get());
  ASSERT_EQ(fulcrum_cancel_request(cancel), FULCRUM_OK);
  fulcrum_result* result = nullptr;
  fulcrum_error* error = nullptr;
  EXPECT_EQ(fulcrum_run(data.get(), options.get(), &result, &error), FULCRUM_CANCELLED);
  EXPECT_EQ(result, nullptr);
  fulcrum_error_free(error);
  std::remove(deals.c_str());
}

TEST(CApi, MemoryLimitIsADataError) {
  auto program = compile(kLlr);
  auto options = periodOptions("2017-Q3");
  ASSERT_EQ(fulcrum_run_options_set_memory_limit(options.get(), 64 * 1024), FULCRUM_OK);
  fulcrum_data* data = nullptr;
  fulcrum_error* error = nullptr;
  ASSERT_EQ(fulcrum_data_new(program.get(), "llr", &data, &error), FULCRUM_OK);
  Owned<fulcrum_data> owned(data);
  ASSERT_EQ(fulcrum_data_load(data, options.get(), &error), FULCRUM_DATA_ERROR);
  Owned<fulcrum_error> ownedError(error);
  ASSERT_GE(fulcrum_error_diagnostic_count(error), 1u);
  fulcrum_diagnostic d{};
  ASSERT_EQ(fulcrum_error_diagnostic(error, 0, &d), FULCRUM_OK);
  EXPECT_STREQ(d.table, "deals");
  EXPECT_NE(std::string(d.message).find("memory limit"), std::string::npos) << d.message;
  EXPECT_NE(std::string(d.file).find("sales_pipeline.csv"), std::string::npos) << d.file;
}

TEST(CApi, DataErrorNamesTableRowAndValue) {
  const std::string path = (std::filesystem::temp_directory_path() /
                            ("fulcrum_api_bad_" + std::to_string(getpid()) + ".csv"))
                               .string();
  {
    std::ofstream out(path);
    out << "account,sector,employees\nAcme Corporation,technolgy,2822\nBetasoloin,medical,lots\n";
  }
  auto program = compile(kLlr);
  fulcrum_data* data = nullptr;
  fulcrum_error* error = nullptr;
  ASSERT_EQ(fulcrum_data_new(program.get(), nullptr, &data, &error), FULCRUM_OK);
  Owned<fulcrum_data> owned(data);
  ASSERT_EQ(fulcrum_data_bind_csv(data, "account", path.c_str(), &error), FULCRUM_OK);
  ASSERT_EQ(fulcrum_data_load(data, nullptr, &error), FULCRUM_DATA_ERROR);
  Owned<fulcrum_error> ownedError(error);
  bool found = false;
  for (size_t i = 0; i < fulcrum_error_diagnostic_count(error); ++i) {
    fulcrum_diagnostic d{};
    ASSERT_EQ(fulcrum_error_diagnostic(error, i, &d), FULCRUM_OK);
    if (std::string(d.value) != "lots")
      continue;
    found = true;
    EXPECT_STREQ(d.table, "account");
    EXPECT_EQ(d.line, 3u);
    EXPECT_EQ(d.column, 20u); // the cell's first character
    EXPECT_EQ(std::string(d.file), path);
    EXPECT_STREQ(d.kind, "DataError");
  }
  EXPECT_TRUE(found) << fulcrum_error_message(error);
  EXPECT_NE(std::string(fulcrum_error_message(error)).find(path + ":3:"), std::string::npos)
      << fulcrum_error_message(error);
  std::remove(path.c_str());
}

TEST(CApi, NullHandlesAreUsageErrors) {
  fulcrum_error* error = nullptr;
  fulcrum_program* program = nullptr;
  EXPECT_EQ(fulcrum_compile_file(nullptr, nullptr, &program, &error), FULCRUM_USAGE_ERROR);
  ASSERT_NE(error, nullptr);
  EXPECT_EQ(fulcrum_error_status(error), FULCRUM_USAGE_ERROR);
  EXPECT_NE(std::string(fulcrum_error_message(error)).find("path"), std::string::npos);
  fulcrum_error_free(error);
  EXPECT_EQ(fulcrum_compile_file(kLlr, nullptr, nullptr, nullptr), FULCRUM_USAGE_ERROR);
  EXPECT_EQ(fulcrum_compile_text(nullptr, "", 0, nullptr, &program, nullptr), FULCRUM_USAGE_ERROR);
  size_t count = 0;
  EXPECT_EQ(fulcrum_program_framework_count(nullptr, &count), FULCRUM_USAGE_ERROR);
  EXPECT_EQ(fulcrum_program_output_count(nullptr, nullptr, &count), FULCRUM_USAGE_ERROR);
  fulcrum_data* data = nullptr;
  EXPECT_EQ(fulcrum_data_new(nullptr, "llr", &data, &error), FULCRUM_USAGE_ERROR);
  fulcrum_error_free(error);
  EXPECT_EQ(fulcrum_data_load(nullptr, nullptr, nullptr), FULCRUM_USAGE_ERROR);
  EXPECT_EQ(fulcrum_data_bind_csv(nullptr, "deals", "x.csv", nullptr), FULCRUM_USAGE_ERROR);
  fulcrum_result* result = nullptr;
  EXPECT_EQ(fulcrum_run(nullptr, nullptr, &result, nullptr), FULCRUM_USAGE_ERROR);
  EXPECT_EQ(fulcrum_result_row_count(nullptr, &count), FULCRUM_USAGE_ERROR);
  char* text = nullptr;
  EXPECT_EQ(fulcrum_result_format(nullptr, FULCRUM_FORMAT_CSV, &text, nullptr),
            FULCRUM_USAGE_ERROR);
  EXPECT_EQ(fulcrum_run_options_set_period(nullptr, "2017-Q3"), FULCRUM_USAGE_ERROR);
  EXPECT_EQ(fulcrum_cancel_request(nullptr), FULCRUM_USAGE_ERROR);
  EXPECT_EQ(fulcrum_error_status(nullptr), FULCRUM_USAGE_ERROR);
  const fulcrum_alert_list* alerts = nullptr;
  EXPECT_EQ(fulcrum_result_alerts(nullptr, &alerts), FULCRUM_USAGE_ERROR);
  size_t passed = 0, failed = 0;
  EXPECT_EQ(fulcrum_program_test(nullptr, &passed, &failed, nullptr, nullptr), FULCRUM_USAGE_ERROR);
  // The _free calls take NULL.
  fulcrum_program_free(nullptr);
  fulcrum_data_free(nullptr);
  fulcrum_result_free(nullptr);
  fulcrum_error_free(nullptr);
  fulcrum_run_options_free(nullptr);
  fulcrum_compile_options_free(nullptr);
  fulcrum_cancel_free(nullptr);
  fulcrum_alert_list_free(nullptr);
  fulcrum_string_free(nullptr);
}

// The error's first message, for a call that must fail with a usage error.
// (The error is read through its address: the call must have run before it is read.)
std::string usageMessage(fulcrum_status status, fulcrum_error** error) {
  EXPECT_EQ(status, FULCRUM_USAGE_ERROR);
  EXPECT_NE(*error, nullptr);
  return take(*error);
}

TEST(CApi, BadNamesAndPeriodsAreUsageErrors) {
  auto program = compile(kLlr);
  fulcrum_data* data = nullptr;
  fulcrum_error* error = nullptr;
  std::string message = usageMessage(fulcrum_data_new(program.get(), "lrr", &data, &error), &error);
  EXPECT_NE(message.find("no framework named `lrr`"), std::string::npos) << message;
  EXPECT_NE(message.find("llr"), std::string::npos) << message; // the suggestion

  ASSERT_EQ(fulcrum_data_new(program.get(), "llr", &data, &error), FULCRUM_OK);
  Owned<fulcrum_data> owned(data);
  message = usageMessage(fulcrum_data_bind_csv(data, "dealz", "x.csv", &error), &error);
  EXPECT_NE(message.find("`dealz`"), std::string::npos) << message;
  EXPECT_NE(message.find("deals"), std::string::npos) << message;

  auto options = periodOptions("2017-Q3");
  fulcrum_result* result = nullptr;
  message = usageMessage(fulcrum_run(data, options.get(), &result, &error), &error);
  EXPECT_NE(message.find("fulcrum_data_load"), std::string::npos) << message;
  ASSERT_EQ(fulcrum_data_load(data, nullptr, &error), FULCRUM_OK) << take(error);

  auto badPeriod = periodOptions("2017-Q5");
  message = usageMessage(fulcrum_run(data, badPeriod.get(), &result, &error), &error);
  EXPECT_NE(message.find("2017-Q5"), std::string::npos) << message;
  auto month = periodOptions("2017-03");
  message = usageMessage(fulcrum_run(data, month.get(), &result, &error), &error);
  EXPECT_FALSE(message.empty());

  auto unknownParam = periodOptions("2017-Q3", {{"qouta", "5"}});
  message = usageMessage(fulcrum_run(data, unknownParam.get(), &result, &error), &error);
  EXPECT_NE(message.find("qouta"), std::string::npos) << message;
  auto badParam = periodOptions("2017-Q3", {{"quota", "lots"}});
  message = usageMessage(fulcrum_run(data, badParam.get(), &result, &error), &error);
  EXPECT_NE(message.find("lots"), std::string::npos) << message;

  fulcrum_run_options* none = nullptr;
  ASSERT_EQ(fulcrum_run_options_new(&none), FULCRUM_OK);
  Owned<fulcrum_run_options> ownedNone(none);
  message = usageMessage(fulcrum_run(data, none, &result, &error), &error);
  EXPECT_NE(message.find("period"), std::string::npos) << message;
  EXPECT_EQ(result, nullptr);
}

// The CSV `fulcrum alerts --format csv` prints, rebuilt from an alert list.
std::string alertsCsv(const fulcrum_alert_list* list) {
  auto field = [](const std::string& text) {
    if (text.find_first_of(",\"\n\r") == std::string::npos)
      return text;
    std::string out = "\"";
    for (char c : text)
      out += c == '"' ? std::string("\"\"") : std::string(1, c);
    return out + "\"";
  };
  std::string out = "subject,alert,title,date,message,priority\n";
  size_t count = 0;
  EXPECT_EQ(fulcrum_alert_list_count(list, &count), FULCRUM_OK);
  for (size_t i = 0; i < count; ++i) {
    fulcrum_alert a{};
    EXPECT_EQ(fulcrum_alert_list_get(list, i, &a), FULCRUM_OK);
    EXPECT_NE(std::string(a.identity), "");
    out += field(a.subject) + "," + field(a.alert) + "," + field(a.title) + "," + a.date + "," +
           field(a.message) + "," + field(a.priority ? a.priority : "") + "\n";
  }
  return out;
}

TEST(CApi, AlertsEqualTheCli) {
  auto program = compile(kLens);
  auto data = load(program.get(), "account_lens");
  for (const char* asOf : {"2017-06-30", "2017-05-15"}) {
    fulcrum_run_options* options = nullptr;
    ASSERT_EQ(fulcrum_run_options_new(&options), FULCRUM_OK);
    Owned<fulcrum_run_options> owned(options);
    ASSERT_EQ(fulcrum_run_options_set_as_of(options, asOf), FULCRUM_OK);
    ASSERT_EQ(fulcrum_run_options_set_alerts(options, 1), FULCRUM_OK);
    fulcrum_result* result = nullptr;
    fulcrum_error* error = nullptr;
    ASSERT_EQ(fulcrum_run(data.get(), options, &result, &error), FULCRUM_OK) << take(error);
    Owned<fulcrum_result> ownedResult(result);
    const fulcrum_alert_list* alerts = nullptr;
    ASSERT_EQ(fulcrum_result_alerts(result, &alerts), FULCRUM_OK);
    size_t count = 0;
    ASSERT_EQ(fulcrum_alert_list_count(alerts, &count), FULCRUM_OK);
    EXPECT_GT(count, 0u) << asOf;
    EXPECT_EQ(alertsCsv(alerts), cli(std::string("alerts ") + kLens +
                                     " --framework account_lens --as-of " + asOf + " --format csv"))
        << asOf;
  }
}

// `fulcrum test FILE`'s counts and report, through the same test runner.
void expectTestsLikeTheCli(const char* path, bool allPass) {
  auto program = compile(path);
  size_t passed = 0, failed = 0;
  char* report = nullptr;
  fulcrum_error* error = nullptr;
  ASSERT_EQ(fulcrum_program_test(program.get(), &passed, &failed, &report, &error), FULCRUM_OK)
      << take(error);
  const std::string text = report ? report : "";
  fulcrum_string_free(report);
  EXPECT_GT(passed, 0u);
  EXPECT_EQ(failed == 0, allPass) << failed;
  EXPECT_EQ(text, cli(std::string("test ") + path));
  EXPECT_NE(text.find(std::to_string(passed) + " passed, " + std::to_string(failed) + " failed"),
            std::string::npos)
      << text;
}

TEST(CApi, ProgramTestsRunOnBothEngines) {
  expectTestsLikeTheCli("tests/golden/test/passing.fulcrum", true);
}

// Failed tests are results, not errors: the call is FULCRUM_OK.
TEST(CApi, FailedTestsAreResultsNotErrors) {
  expectTestsLikeTheCli("tests/golden/test/failures.fulcrum", false);
}

} // namespace

// A distributed run through the C API (docs/scaling.md): the Maven deals cut by sales agent into
// two partitions, each scanned alone, then one run over the partials in either order gives what
// fulcrum run gives over the whole file; so do the deals cut by row (every agent's rows in both
// partitions: their states merge); the same partition twice is the duplicate-key data error
// naming it.
TEST(CApi, PartialsGiveTheWholeRun) {
  const std::string folder = ::testing::TempDir() + "fulcrum-partials";
  std::filesystem::create_directories(folder);
  std::ifstream in(std::string(FULCRUM_SOURCE_DIR) +
                   "/../shared/datasets/maven-crm/sales_pipeline.csv");
  std::string header, line;
  std::getline(in, header);
  std::ofstream parts[2] = {std::ofstream(folder + "/deals-0.csv"),
                            std::ofstream(folder + "/deals-1.csv")};
  std::ofstream byRow[2] = {std::ofstream(folder + "/deals-row-0.csv"),
                            std::ofstream(folder + "/deals-row-1.csv")};
  std::ofstream(folder + "/deals-empty.csv") << header << "\n";
  std::map<std::string, int> partOf;
  for (std::ofstream& part : parts)
    part << header << "\n";
  for (std::ofstream& part : byRow)
    part << header << "\n";
  size_t rows = 0;
  while (std::getline(in, line)) {
    const size_t comma = line.find(',');
    const std::string agent = line.substr(comma + 1, line.find(',', comma + 1) - comma - 1);
    const int part = partOf.emplace(agent, static_cast<int>(partOf.size() % 2)).first->second;
    parts[part] << line << "\n";
    byRow[rows % 2] << line << "\n";
    ++rows;
  }
  for (std::ofstream& part : parts)
    part.close();
  for (std::ofstream& part : byRow)
    part.close();
  ASSERT_GT(rows, 8000u);
  auto bound = [&](const fulcrum_program* program, const std::string& deals) {
    fulcrum_data* data = nullptr;
    fulcrum_error* error = nullptr;
    EXPECT_EQ(fulcrum_data_new(program, "llr", &data, &error), FULCRUM_OK) << take(error);
    EXPECT_EQ(fulcrum_data_bind_csv(data, "deals", deals.c_str(), &error), FULCRUM_OK)
        << take(error);
    EXPECT_EQ(fulcrum_data_load(data, nullptr, &error), FULCRUM_OK) << take(error);
    return Owned<fulcrum_data>(data);
  };
  for (fulcrum_engine engine : {FULCRUM_ENGINE_JIT, FULCRUM_ENGINE_INTERPRETER}) {
    auto program = compile(kLlr, engine);
    auto options = periodOptions("2017-Q3");
    std::vector<std::string> partials, rowPartials;
    fulcrum_error* error = nullptr;
    for (const char* stem : {"deals-", "deals-row-"})
      for (int p = 0; p < 2; ++p) {
        const std::string name = stem + std::to_string(p) + ".csv";
        auto data = bound(program.get(), folder + "/" + name);
        char* text = nullptr;
        ASSERT_EQ(
            fulcrum_scan_partial(data.get(), options.get(), "deals", name.c_str(), &text, &error),
            FULCRUM_OK)
            << take(error);
        (std::string(stem) == "deals-" ? partials : rowPartials).emplace_back(text);
        fulcrum_string_free(text);
      }
    auto whole = bound(program.get(), folder + "/deals-empty.csv");
    auto runOver = [&](const std::vector<std::string>& texts, fulcrum_status expected) {
      std::vector<const char*> pointers;
      for (const std::string& text : texts)
        pointers.push_back(text.c_str());
      fulcrum_result* result = nullptr;
      fulcrum_error* failed = nullptr;
      const fulcrum_status status = fulcrum_run_from_partials(
          whole.get(), options.get(), pointers.data(), pointers.size(), &result, &failed);
      EXPECT_EQ(status, expected);
      if (status != FULCRUM_OK)
        return take(failed);
      Owned<fulcrum_result> owned(result);
      return format(result, FULCRUM_FORMAT_CSV);
    };
    const std::string expected =
        cli(std::string("run ") + kLlr + " --framework llr --period 2017-Q3 --format csv" +
            " --engine " + (engine == FULCRUM_ENGINE_JIT ? "jit" : "interp"));
    EXPECT_EQ(runOver(partials, FULCRUM_OK), expected);
    EXPECT_EQ(runOver({partials[1], partials[0]}, FULCRUM_OK), expected);
    EXPECT_EQ(runOver(rowPartials, FULCRUM_OK), expected);
    EXPECT_EQ(runOver({rowPartials[1], rowPartials[0]}, FULCRUM_OK), expected);
    // Without the partials the deals' aggregates are those of no rows: the result differs.
    EXPECT_NE(runOver({}, FULCRUM_OK), expected);
    // One half of the rows alone: the merged states are not the whole run's.
    EXPECT_NE(runOver({rowPartials[0]}, FULCRUM_OK), expected);
    const std::string twice = runOver({partials[0], partials[0]}, FULCRUM_DATA_ERROR);
    EXPECT_NE(twice.find("duplicate key"), std::string::npos) << twice;
    EXPECT_NE(twice.find("another partition"), std::string::npos) << twice;
    EXPECT_NE(runOver({"{\"format\": 99}"}, FULCRUM_USAGE_ERROR).find("not a partial"),
              std::string::npos);
    char* text = nullptr;
    EXPECT_EQ(fulcrum_scan_partial(whole.get(), options.get(), "rep", nullptr, &text, &error),
              FULCRUM_USAGE_ERROR);
    EXPECT_NE(take(error).find("only a table whose rows its aggregates read"), std::string::npos);
    EXPECT_EQ(text, nullptr);
    EXPECT_EQ(fulcrum_scan_partial(whole.get(), options.get(), nullptr, nullptr, &text, &error),
              FULCRUM_USAGE_ERROR);
    take(error);
  }
}

// The digest of a program's sources: the same files, the same digest (whatever the engine); other
// files, another one. fulcrum.dask keys its workers' programs on it (test_dask.py edits an import).
TEST(CApi, SourceDigestFollowsTheText) {
  auto digestOf = [](const fulcrum_program* program) {
    char digest[65] = {};
    EXPECT_EQ(fulcrum_program_source_digest(program, digest), FULCRUM_OK);
    return std::string(digest);
  };
  const std::string llr = digestOf(compile(kLlr).get());
  EXPECT_EQ(llr.size(), 64u);
  EXPECT_EQ(llr.find_first_not_of("0123456789abcdef"), std::string::npos) << llr;
  EXPECT_EQ(digestOf(compile(kLlr, FULCRUM_ENGINE_INTERPRETER).get()), llr);
  EXPECT_NE(digestOf(compile(kLens).get()), llr);
  char digest[65] = {};
  EXPECT_EQ(fulcrum_program_source_digest(nullptr, digest), FULCRUM_USAGE_ERROR);
}

// A distributed run gives results, not alerts (the alerts' rows are in the partitions): asking
// for them is a usage error, not an empty feed.
TEST(CApi, PartialsGiveNoAlerts) {
  auto program = compile(kLens);
  auto data = load(program.get(), "account_lens");
  fulcrum_run_options* raw = nullptr;
  ASSERT_EQ(fulcrum_run_options_new(&raw), FULCRUM_OK);
  Owned<fulcrum_run_options> options(raw);
  ASSERT_EQ(fulcrum_run_options_set_as_of(raw, "2017-06-30"), FULCRUM_OK);
  char* partial = nullptr;
  fulcrum_error* error = nullptr;
  ASSERT_EQ(fulcrum_scan_partial(data.get(), raw, "events", "events.csv", &partial, &error),
            FULCRUM_OK)
      << take(error);
  const char* partials[] = {partial};
  fulcrum_result* result = nullptr;
  ASSERT_EQ(fulcrum_run_options_set_alerts(raw, 1), FULCRUM_OK);
  EXPECT_EQ(fulcrum_run_from_partials(data.get(), raw, partials, 1, &result, &error),
            FULCRUM_USAGE_ERROR);
  EXPECT_NE(take(error).find("not its alerts"), std::string::npos);
  EXPECT_EQ(result, nullptr);
  fulcrum_string_free(partial);
}
