// fulcrum-run-timed: `fulcrum run` split into its phases and timed, for bench/run.py. Compiles
// a framework (front end, plan, engine), loads its data once, evaluates it K times, writes the
// result as CSV (and with --alerts-out, each evaluation also collects the alert feed, written as
// `fulcrum alerts --format csv` does; --also-no-feed then follows each evaluation with one that
// does not collect it, timed apart, to tell the feed's cost) and prints one JSON line of
// timings. A client of the public runtime API only.
#include "compiler/cache/ProgramCache.h"
#include "compiler/driver/Compilation.h"
#include "compiler/lower/MakeProgram.h"
#include "runtime/Program.h"
#include "runtime/output/ResultFormat.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fmt/format.h>
#include <fstream>
#include <string>
#include <vector>

using namespace fulcrum;
using Clock = std::chrono::steady_clock;

namespace {

double secondsSince(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

int fail(const std::string& message) {
  std::fprintf(stderr, "fulcrum-run-timed: %s\n", message.c_str());
  return 2;
}

} // namespace

int main(int argc, char** argv) {
  std::string file, framework, out, alertsOut, engine = "jit";
  runtime::RunRequest request;
  int repeat = 1, compiles = 1;
  bool alsoNoFeed = false;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    const bool hasValue = i + 1 < argc;
    if (arg == "--framework" && hasValue) {
      framework = argv[++i];
    } else if (arg == "--period" && hasValue) {
      request.period = argv[++i];
    } else if (arg == "--as-of" && hasValue) {
      request.asOf = argv[++i];
    } else if (arg == "--data" && hasValue) {
      const std::string text = argv[++i];
      const size_t eq = text.find('=');
      if (eq == std::string::npos)
        return fail("--data needs TABLE=PATH");
      request.dataPaths[text.substr(0, eq)] = text.substr(eq + 1);
    } else if (arg == "--engine" && hasValue) {
      engine = argv[++i];
    } else if (arg == "--threads" && hasValue) {
      request.threads = static_cast<unsigned>(std::stoul(argv[++i]));
    } else if (arg == "--repeat" && hasValue) {
      repeat = std::max(1, std::stoi(argv[++i]));
    } else if (arg == "--compiles" && hasValue) {
      compiles = std::max(1, std::stoi(argv[++i]));
    } else if (arg == "--cache") {
      request.columnCache = true;
    } else if (arg == "--out" && hasValue) {
      out = argv[++i];
    } else if (arg == "--alerts-out" && hasValue) {
      alertsOut = argv[++i];
      request.alerts = true;
    } else if (arg == "--also-no-feed") {
      alsoNoFeed = true;
    } else if (file.empty() && arg[0] != '-') {
      file = arg;
    } else {
      return fail(fmt::format("unknown or incomplete option `{}`", arg));
    }
  }
  if (file.empty() || framework.empty())
    return fail("usage: fulcrum-run-timed FILE --framework NAME [--period P] [--as-of DATE] "
                "[--data T=PATH]... "
                "[--engine jit|interp] [--threads N] [--repeat K] [--compiles C] [--cache] "
                "[--out PATH] [--alerts-out PATH [--also-no-feed]]");
  const auto kind =
      engine == "interp" ? runtime::EngineKind::Interpreter : runtime::EngineKind::Jit;

  // Compile latency: the front end, then planning and the engine, `compiles` times each; the
  // median is reported (the first compile of a process also pays for starting LLVM).
  std::vector<double> frontEnd, backEnd;
  std::unique_ptr<runtime::Program> program;
  double firstBackEnd = 0;
  for (int c = 0; c < compiles; ++c) {
    auto start = Clock::now();
    std::shared_ptr<Compilation> compilation = compileFile(file);
    frontEnd.push_back(secondsSince(start));
    if (!compilation->ok())
      return fail("the framework does not compile (run `fulcrum check`)");
    start = Clock::now();
    DiagnosticSink sink;
    std::string error;
    program = makeProgram(*compilation, framework, kind, sink, error);
    backEnd.push_back(secondsSince(start));
    if (c == 0)
      firstBackEnd = backEnd.back();
    if (!program)
      return fail(fmt::format("cannot create the program: {}", error));
    if (!program->warnings().empty())
      return fail(program->warnings().front());
  }
  auto median = [](std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
  };
  // A recompile in the same process: the program cache's (compiler/cache/ProgramCache.h), after
  // one compile through it fills the entry; the program of the framework is taken each time.
  std::vector<double> cachedCompiles;
  if (compiles > 1) {
    if (!compileFileCached(file)->program(framework, kind)->program)
      return fail("the program cache made no program");
    for (int c = 0; c < compiles; ++c) {
      const auto start = Clock::now();
      const auto compiled = compileFileCached(file);
      const auto made = compiled->program(framework, kind);
      cachedCompiles.push_back(secondsSince(start));
      if (!made->program)
        return fail("the program cache made no program");
    }
  }

  std::string result, alerts;
  size_t alertCount = 0;
  double loadSeconds = 0;
  std::vector<double> evaluations, noFeed;
  runtime::LoadedSize loadedSize;
  if (!request.period.empty() || !request.asOf.empty()) { // `--as-of` alone: its period
    auto start = Clock::now();
    runtime::LoadOutcome loaded = program->load(request);
    loadSeconds = secondsSince(start);
    if (loaded.status != runtime::RunStatus::Ok)
      return fail(loaded.errors.empty() ? "cannot load the data" : loaded.errors.front());
    for (int r = 0; r < repeat; ++r) {
      start = Clock::now();
      runtime::RunResult run = program->evaluate(request, *loaded.data);
      evaluations.push_back(secondsSince(start));
      if (run.status != runtime::RunStatus::Ok)
        return fail(run.errors.empty() ? "the run failed" : run.errors.front());
      if (r == 0) {
        result = runtime::formatResult(run.table, runtime::OutputFormat::Csv);
        alertCount = run.alerts.size();
        if (request.alerts)
          alerts = runtime::formatAlerts(run.alerts, runtime::OutputFormat::Csv,
                                         program->plan().tables[0].name);
      }
      if (alsoNoFeed && request.alerts) {
        runtime::RunRequest without = request;
        without.alerts = false;
        start = Clock::now();
        const runtime::RunResult plain = program->evaluate(without, *loaded.data);
        noFeed.push_back(secondsSince(start));
        if (plain.status != runtime::RunStatus::Ok)
          return fail(plain.errors.empty() ? "the run failed" : plain.errors.front());
      }
    }
    loadedSize = runtime::loadedSize(*loaded.data);
  }
  for (const auto& [path, text] : {std::pair{out, &result}, std::pair{alertsOut, &alerts}}) {
    if (path.empty())
      continue;
    std::ofstream stream(path, std::ios::binary);
    stream << *text;
    if (!stream)
      return fail(fmt::format("cannot write `{}`", path));
  }
  // With the feed: how many alerts fired, and the evaluations without collecting it when asked.
  std::string feedFields;
  if (request.alerts && !evaluations.empty())
    feedFields = fmt::format("\"alerts\": {}, ", alertCount);
  if (!noFeed.empty())
    feedFields += fmt::format("\"eval_no_feed_s\": {:.6f}, \"eval_no_feed_median_s\": {:.6f}, ",
                              *std::min_element(noFeed.begin(), noFeed.end()), median(noFeed));
  if (!cachedCompiles.empty())
    feedFields += fmt::format("\"cached_compile_ms\": {:.4f}, ", median(cachedCompiles) * 1e3);
  std::printf("{\"engine\": \"%s\", %s\"front_end_ms\": %.3f, \"back_end_ms\": %.3f, "
              "\"first_back_end_ms\": %.3f, \"load_s\": %.6f, \"eval_s\": %.6f, "
              "\"eval_median_s\": %.6f, \"rows\": %zu, \"column_bytes\": %zu}\n",
              engine.c_str(), feedFields.c_str(), median(frontEnd) * 1e3, median(backEnd) * 1e3,
              firstBackEnd * 1e3, loadSeconds,
              evaluations.empty() ? 0.0 : *std::min_element(evaluations.begin(), evaluations.end()),
              evaluations.empty() ? 0.0 : median(evaluations), loadedSize.rows,
              loadedSize.columnBytes);
  return 0;
}
