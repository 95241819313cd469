// fulcrum-handwritten: the benchmark frameworks evaluated by hand-written C++, the speed limit
// Fulcrum's JIT is measured against. Loads the CSV tables (timed), evaluates the framework K
// times (timed; best and median), writes the result CSV as `fulcrum run --format csv` does and
// prints one JSON line of timings.
#include "bench/handwritten/CsvFile.h"
#include "bench/handwritten/Dataset.h"
#include "bench/handwritten/Frameworks.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fmt/format.h>
#include <map>
#include <string>
#include <vector>

namespace {

constexpr const char* kUsage =
    "usage: fulcrum-handwritten --data DIR --framework llr|targets --period 2018-Q3 "
    "[--as-of 2018-08-15] --out RESULT.csv [--threads N] [--repeat K]\n";

double secondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// `--name value` pairs into `options`; false on a malformed command line.
bool parseOptions(int argc, char** argv, std::map<std::string, std::string>& options) {
  for (int i = 1; i < argc; i += 2) {
    const std::string name = argv[i];
    if (!name.starts_with("--") || i + 1 >= argc)
      return false;
    options[name.substr(2)] = argv[i + 1];
  }
  return true;
}

bool positiveInt(const std::string& text, int& out) {
  try {
    size_t used = 0;
    out = std::stoi(text, &used);
    return used == text.size() && out > 0;
  } catch (const std::exception&) {
    return false;
  }
}

} // namespace

int main(int argc, char** argv) {
  using namespace handwritten;
  std::map<std::string, std::string> options;
  if (!parseOptions(argc, argv, options) || !options.count("data") || !options.count("framework") ||
      !options.count("period") || !options.count("out")) {
    std::fputs(kUsage, stderr);
    return 1;
  }
  const std::string framework = options["framework"];
  if (framework != "llr" && framework != "targets") {
    std::fprintf(stderr, "unknown framework `%s`: llr or targets\n", framework.c_str());
    return 1;
  }
  const auto period = parseQuarter(options["period"]);
  if (!period) {
    std::fprintf(stderr, "`--period %s` is not a quarter like 2018-Q3\n",
                 options["period"].c_str());
    return 1;
  }
  // The run's today: the period's last day unless `--as-of` says otherwise.
  int32_t asOf = period->last;
  if (options.count("as-of")) {
    const auto day = parseDay(options["as-of"]);
    if (!day) {
      std::fprintf(stderr, "`--as-of %s` is not a date like 2018-08-15\n",
                   options["as-of"].c_str());
      return 1;
    }
    asOf = *day;
  }
  int threads = 1, repeat = 1;
  if ((options.count("threads") && !positiveInt(options["threads"], threads)) ||
      (options.count("repeat") && !positiveInt(options["repeat"], repeat))) {
    std::fputs("--threads and --repeat take a positive whole number\n", stderr);
    return 1;
  }

  const auto loadStart = std::chrono::steady_clock::now();
  Dataset data;
  try {
    data = loadDataset(options["data"], threads);
  } catch (const LoadError& error) {
    std::fprintf(stderr, "%s\n", error.what());
    return 2;
  }
  const double loadSeconds = secondsSince(loadStart);

  const RunSettings run{*period, asOf, threads};
  const auto evaluate = framework == "llr" ? evaluateLlr : evaluateTargets;
  ResultTable result;
  std::vector<double> evalSeconds;
  for (int k = 0; k < repeat; ++k) {
    const auto evalStart = std::chrono::steady_clock::now();
    result = evaluate(data, run);
    evalSeconds.push_back(secondsSince(evalStart));
  }
  std::sort(evalSeconds.begin(), evalSeconds.end());
  const size_t mid = evalSeconds.size() / 2;
  const double median =
      evalSeconds.size() % 2 ? evalSeconds[mid] : (evalSeconds[mid - 1] + evalSeconds[mid]) / 2;

  try {
    writeResultCsv(options["out"], data.reps.ids, result);
  } catch (const std::exception& error) {
    std::fprintf(stderr, "%s\n", error.what());
    return 2;
  }
  fmt::print("{{\"peer\": \"handwritten\", \"framework\": \"{}\", \"threads\": {}, "
             "\"load_s\": {:.6f}, \"eval_s\": {:.6f}, \"eval_median_s\": {:.6f}, "
             "\"activity_rows\": {}}}\n",
             framework, threads, loadSeconds, evalSeconds.front(), median, data.activities.size());
  return 0;
}
