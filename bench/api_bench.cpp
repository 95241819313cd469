// The C API's overhead (issue 23: under 50 microseconds for a 35-rep run after compile): the llr
// example over the Maven CRM data for 2017-Q3 (35 reps), compiled and loaded once, then run again
// and again. BM_CApiRun goes through libfulcrum.so (include/fulcrum/fulcrum.h): fulcrum_run,
// every cell read (in its type, or as text), fulcrum_result_free.
// BM_ProgramEvaluate is the C++ layer under it, runtime::Program::evaluate on the same files,
// linked statically. The API's overhead is the difference of the two rows; bench/run.py reports
// it. The shared library keeps its own copy of the runtime (only fulcrum_* symbols are exported),
// so the two never share state.
#include "compiler/diag/Diagnostic.h"
#include "compiler/driver/Compilation.h"
#include "compiler/lower/MakeProgram.h"
#include "runtime/Program.h"

#include <benchmark/benchmark.h>
#include <cstdlib>
#include <fulcrum/fulcrum.h>
#include <memory>
#include <string>
#include <vector>

namespace {

using namespace fulcrum;

const std::string kLlr = std::string(FULCRUM_SOURCE_DIR) + "/examples/llr/llr.fulcrum";
// The Maven CRM files: $FULCRUM_MAVEN_DIR, else ../shared/datasets/maven-crm beside the source.
const std::string kMaven =
    (std::getenv("FULCRUM_MAVEN_DIR")
         ? std::string(std::getenv("FULCRUM_MAVEN_DIR"))
         : std::string(FULCRUM_SOURCE_DIR) + "/../shared/datasets/maven-crm") +
    "/";
const char* const kPeriod = "2017-Q3";
// The tables host.c binds (`ratings` comes from llr.fulcrum's own `from` file).
const char* const kFiles[][2] = {
    {"rep", "sales_teams.csv"}, {"deals", "sales_pipeline.csv"}, {"account", "accounts.csv"}};

// Everything the C API run needs, made once and freed at the end.
struct CApiSetup {
  fulcrum_program* program = nullptr;
  fulcrum_data* data = nullptr;
  fulcrum_run_options* options = nullptr;
  fulcrum_error* error = nullptr;
  ~CApiSetup() {
    fulcrum_error_free(error);
    fulcrum_run_options_free(options);
    fulcrum_data_free(data);
    fulcrum_program_free(program);
  }
  // Empty on success, else what failed.
  std::string make(unsigned threads) {
    if (fulcrum_compile_file(kLlr.c_str(), nullptr, &program, &error) != FULCRUM_OK ||
        fulcrum_data_new(program, "llr", &data, &error) != FULCRUM_OK)
      return failure("compile");
    for (const auto& file : kFiles)
      if (fulcrum_data_bind_csv(data, file[0], (kMaven + file[1]).c_str(), &error) != FULCRUM_OK)
        return failure("bind");
    if (fulcrum_run_options_new(&options) != FULCRUM_OK ||
        fulcrum_run_options_set_period(options, kPeriod) != FULCRUM_OK ||
        fulcrum_run_options_set_threads(options, threads) != FULCRUM_OK)
      return "options";
    if (fulcrum_data_load(data, options, &error) != FULCRUM_OK)
      return failure("load");
    return "";
  }
  std::string failure(const char* what) const {
    return std::string(what) + ": " + (error ? fulcrum_error_message(error) : "no error object");
  }
};

// How BM_CApiRun reads the result: not at all, every cell as text (fulcrum_result_text formats
// numbers, as examples/embed/host.c prints them), or every cell in its type (numbers and money
// as numbers, text as text: what a host storing values rather than printing them does).
enum CellRead { kNoCells = 0, kTextCells = 1, kTypedCells = 2 };

// Reads one cell as `how` says; the bytes or digits it saw, so nothing is optimised away.
size_t readCell(const fulcrum_result* result, size_t row, size_t column, fulcrum_type type,
                CellRead how) {
  const bool asText = how == kTextCells || column == 0 || type == FULCRUM_TYPE_TEXT ||
                      type == FULCRUM_TYPE_PERIOD || type == FULCRUM_TYPE_REFERENCE;
  if (asText) {
    const char* text = nullptr;
    fulcrum_result_text(result, row, column, &text);
    return text ? std::char_traits<char>::length(text) : 0;
  }
  int missing = 0;
  fulcrum_result_is_missing(result, row, column, &missing);
  if (missing)
    return 0;
  if (type == FULCRUM_TYPE_MONEY) {
    int64_t units = 0;
    fulcrum_result_money_units(result, row, column, &units);
    return static_cast<size_t>(units & 1);
  }
  double value = 0;
  fulcrum_result_number(result, row, column, &value);
  return value > 0;
}

// range(0): threads (1, or 0 for every core); range(1): a CellRead.
void BM_CApiRun(benchmark::State& state) {
  CApiSetup setup;
  const std::string problem = setup.make(static_cast<unsigned>(state.range(0)));
  if (!problem.empty()) {
    state.SkipWithError(problem.c_str());
    return;
  }
  const auto how = static_cast<CellRead>(state.range(1));
  size_t rows = 0, cells = 0, seen = 0;
  std::vector<fulcrum_type> types;
  for (auto _ : state) {
    fulcrum_result* result = nullptr;
    if (fulcrum_run(setup.data, setup.options, &result, &setup.error) != FULCRUM_OK) {
      state.SkipWithError(setup.failure("run").c_str());
      return;
    }
    size_t columns = 0;
    fulcrum_result_row_count(result, &rows);
    fulcrum_result_column_count(result, &columns);
    if (how != kNoCells) {
      types.resize(columns);
      for (size_t column = 0; column < columns; ++column) {
        fulcrum_column_info info;
        fulcrum_result_column(result, column, &info);
        types[column] = info.type;
      }
      for (size_t row = 0; row < rows; ++row)
        for (size_t column = 0; column < columns; ++column, ++cells)
          seen += readCell(result, row, column, types[column], how);
    }
    fulcrum_result_free(result);
  }
  benchmark::DoNotOptimize(seen);
  state.counters["rows"] = static_cast<double>(rows);
  state.counters["cells/run"] =
      state.iterations() ? static_cast<double>(cells) / static_cast<double>(state.iterations()) : 0;
}

void BM_ProgramEvaluate(benchmark::State& state) {
  auto compilation = compileFile(kLlr);
  DiagnosticSink sink;
  std::string error;
  auto program = makeProgram(*compilation, "llr", runtime::EngineKind::Jit, sink, error);
  if (!program) {
    state.SkipWithError(error.c_str());
    return;
  }
  runtime::RunRequest request;
  request.period = kPeriod;
  request.threads = static_cast<unsigned>(state.range(0));
  for (const auto& file : kFiles)
    request.dataPaths[file[0]] = kMaven + file[1];
  const runtime::LoadOutcome loaded = program->load(request);
  if (!loaded.data) {
    state.SkipWithError(loaded.errors.empty() ? "load" : loaded.errors.front().c_str());
    return;
  }
  size_t rows = 0;
  for (auto _ : state) {
    runtime::RunResult result = program->evaluate(request, *loaded.data);
    if (result.status != runtime::RunStatus::Ok) {
      state.SkipWithError(result.errors.empty() ? "evaluate" : result.errors.front().c_str());
      return;
    }
    rows = result.table.subjects();
    benchmark::DoNotOptimize(result);
  }
  state.counters["rows"] = static_cast<double>(rows);
}

BENCHMARK(BM_ProgramEvaluate)->ArgNames({"threads"})->Arg(1)->Arg(0)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_CApiRun)
    ->ArgNames({"threads", "cells"})
    ->Args({1, kTypedCells})
    ->Args({1, kTextCells})
    ->Args({1, kNoCells})
    ->Args({0, kTypedCells})
    ->Unit(benchmark::kMicrosecond);

} // namespace
