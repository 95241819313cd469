// Loading speed: MB/s of loadTables over a generated activities-like CSV (or FULCRUM_BENCH_CSV),
// with one and two threads, and from the column cache.
#include "runtime/data/Loader.h"

#include <benchmark/benchmark.h>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fmt/format.h>
#include <random>
#include <string>
#include <sys/resource.h>

namespace {

using namespace fulcrum::runtime;

constexpr int kReps = 2000;

const std::string kDir = "/tmp/fulcrum-load-bench/";

// reps.csv: `rep_id,name`; activities.csv: `rep,account,day,kind` (account is not declared).
void generateFiles(const std::string& activities, size_t rows) {
  std::filesystem::create_directories(kDir);
  std::FILE* reps = std::fopen((kDir + "reps.csv").c_str(), "wb");
  std::fputs("rep_id,name\n", reps);
  for (int i = 0; i < kReps; ++i)
    std::fprintf(reps, "R%06d,Rep %d\n", i, i);
  std::fclose(reps);
  if (std::filesystem::exists(activities))
    return;
  std::FILE* out = std::fopen(activities.c_str(), "wb");
  std::fputs("rep,account,day,kind\n", out);
  std::mt19937 random(42);
  auto next = [&] { return static_cast<unsigned>(random()); };
  const char* kinds[] = {"dial", "email", "meeting", "demo", "call"};
  for (size_t i = 0; i < rows; ++i)
    std::fprintf(out, "R%06u,A%07u,20%02u-%02u-%02u,%s\n", next() % kReps, next() % 3000000,
                 16 + next() % 8, 1 + next() % 12, 1 + next() % 28, kinds[next() % 5]);
  std::fclose(out);
}

FieldSchema field(std::string name, ValueKind kind, std::string typeName,
                  std::string referenced = "") {
  std::string column = name;
  return FieldSchema{std::move(name), std::move(column),   kind,
                     false,           std::move(typeName), std::move(referenced)};
}

std::vector<TableSchema> schemas(const std::string& activities) {
  return {
      TableSchema{
          "reps",
          kDir + "reps.csv",
          true,
          0,
          {field("rep_id", ValueKind::Text, "text"), field("name", ValueKind::Text, "text")}},
      TableSchema{"activities",
                  activities,
                  false,
                  -1,
                  {field("rep", ValueKind::Reference, "reps", "reps"),
                   field("day", ValueKind::Date, "date"), field("kind", ValueKind::Text, "text")}}};
}

std::string activitiesPath() {
  if (const char* path = std::getenv("FULCRUM_BENCH_CSV"))
    return path;
  const std::string path = kDir + "activities.csv";
  generateFiles(path, 2'000'000);
  return path;
}

void load(benchmark::State& state, unsigned threads, bool cache) {
  const std::string path = activitiesPath();
  const auto tables = schemas(path);
  const auto bytes = static_cast<int64_t>(std::filesystem::file_size(path));
  LoadOptions options;
  options.threads = threads;
  options.columnCache = cache;
  if (cache) // a first load writes the cache
    benchmark::DoNotOptimize(loadTables(tables, options));
  size_t columnBytes = 0;
  for (auto _ : state) {
    LoadResult result = loadTables(tables, options);
    if (!result.ok)
      state.SkipWithError("the load failed");
    columnBytes = 0;
    for (const Column& column : result.tables[1].columns)
      columnBytes += column.valid.size() * (1 + 4);
    benchmark::DoNotOptimize(result);
  }
  state.SetBytesProcessed(state.iterations() * bytes);
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  state.counters["peakRSS_MB"] = static_cast<double>(usage.ru_maxrss) / 1024;
  state.counters["columns_MB"] = static_cast<double>(columnBytes) / (1 << 20);
}

void BM_LoadOneThread(benchmark::State& state) {
  load(state, 1, false);
}
void BM_LoadTwoThreads(benchmark::State& state) {
  load(state, 2, false);
}
void BM_LoadFromCache(benchmark::State& state) {
  load(state, 1, true);
}

BENCHMARK(BM_LoadOneThread)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_LoadTwoThreads)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_LoadFromCache)->Unit(benchmark::kMillisecond)->UseRealTime();

} // namespace
