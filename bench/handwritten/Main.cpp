// fulcrum-handwritten: the benchmark frameworks evaluated by hand-written C++, the speed limit
// Fulcrum's JIT is measured against. Loads the CSV tables (timed), evaluates the framework K
// times (timed; best and median), writes the result CSV as `fulcrum run --format csv` does (and
// for account_lens with --alerts-out, the alert feed as `fulcrum alerts --format csv` does) and
// prints one JSON line of timings.
#include "bench/handwritten/CsvFile.h"
#include "bench/handwritten/Dataset.h"
#include "bench/handwritten/Frameworks.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fmt/format.h>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace {

constexpr const char* kUsage =
    "usage: fulcrum-handwritten --data DIR --framework llr|targets|deals --period 2018-Q3 "
    "[--as-of 2018-08-15] --out RESULT.csv [--threads N] [--repeat K]\n"
    "       fulcrum-handwritten --data DIR --framework account_lens --as-of 2018-12-31 "
    "--out RESULT.csv [--alerts-out FEED.csv] [--threads N] [--repeat K]\n";

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

// The best and the median of the evaluation times.
std::pair<double, double> bestAndMedian(std::vector<double> seconds) {
  std::sort(seconds.begin(), seconds.end());
  const size_t mid = seconds.size() / 2;
  return {seconds.front(),
          seconds.size() % 2 ? seconds[mid] : (seconds[mid - 1] + seconds[mid]) / 2};
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

// llr and targets over reps, deals, activities, ratings and quotas.
int runRepFramework(std::map<std::string, std::string>& options, const std::string& framework,
                    handwritten::RunSettings run, int repeat) {
  using namespace handwritten;
  const auto loadStart = std::chrono::steady_clock::now();
  Dataset data;
  try {
    data = loadDataset(options["data"], run.threads);
  } catch (const LoadError& error) {
    std::fprintf(stderr, "%s\n", error.what());
    return 2;
  }
  const double loadSeconds = secondsSince(loadStart);

  const auto evaluate = framework == "llr" ? evaluateLlr : evaluateTargets;
  ResultTable result;
  std::vector<double> evalSeconds;
  for (int k = 0; k < repeat; ++k) {
    const auto evalStart = std::chrono::steady_clock::now();
    result = evaluate(data, run);
    evalSeconds.push_back(secondsSince(evalStart));
  }
  const auto [best, median] = bestAndMedian(evalSeconds);

  try {
    writeResultCsv(options["out"], data.reps.ids, result);
  } catch (const std::exception& error) {
    std::fprintf(stderr, "%s\n", error.what());
    return 2;
  }
  fmt::print("{{\"peer\": \"handwritten\", \"framework\": \"{}\", \"threads\": {}, "
             "\"load_s\": {:.6f}, \"eval_s\": {:.6f}, \"eval_median_s\": {:.6f}, "
             "\"activity_rows\": {}}}\n",
             framework, run.threads, loadSeconds, best, median, data.activities.size());
  return 0;
}

// deals over the deals shape (sales_teams, accounts, sales_pipeline).
int runDeals(std::map<std::string, std::string>& options, handwritten::RunSettings run,
             int repeat) {
  using namespace handwritten;
  const auto loadStart = std::chrono::steady_clock::now();
  PipelineData data;
  try {
    data = loadPipelineData(options["data"], run.threads);
  } catch (const LoadError& error) {
    std::fprintf(stderr, "%s\n", error.what());
    return 2;
  }
  const double loadSeconds = secondsSince(loadStart);
  ResultTable result;
  std::vector<double> evalSeconds;
  for (int k = 0; k < repeat; ++k) {
    const auto evalStart = std::chrono::steady_clock::now();
    result = evaluateDeals(data, run);
    evalSeconds.push_back(secondsSince(evalStart));
  }
  const auto [best, median] = bestAndMedian(evalSeconds);
  try {
    writeResultCsv(options["out"], data.agents, result);
  } catch (const std::exception& error) {
    std::fprintf(stderr, "%s\n", error.what());
    return 2;
  }
  fmt::print("{{\"peer\": \"handwritten\", \"framework\": \"deals\", \"threads\": {}, "
             "\"load_s\": {:.6f}, \"eval_s\": {:.6f}, \"eval_median_s\": {:.6f}, "
             "\"deal_rows\": {}}}\n",
             run.threads, loadSeconds, best, median, data.deals.size());
  return 0;
}

// account_lens over accounts and events; its alert feed too with `--alerts-out`.
int runAccountLens(std::map<std::string, std::string>& options, int32_t asOf, int threads,
                   int repeat) {
  using namespace handwritten;
  const auto loadStart = std::chrono::steady_clock::now();
  AccountData data;
  try {
    data = loadAccountData(options["data"], threads);
  } catch (const LoadError& error) {
    std::fprintf(stderr, "%s\n", error.what());
    return 2;
  }
  const double loadSeconds = secondsSince(loadStart);

  const bool alerts = options.count("alerts-out") > 0;
  LensResult result;
  std::vector<double> evalSeconds, alertSeconds;
  for (int k = 0; k < repeat; ++k) {
    const auto evalStart = std::chrono::steady_clock::now();
    result = evaluateAccountLens(data, asOf, threads, alerts);
    evalSeconds.push_back(secondsSince(evalStart));
    alertSeconds.push_back(result.alertSeconds);
  }
  const auto [best, median] = bestAndMedian(evalSeconds);
  try {
    writeResultCsv(options["out"], data.accounts.ids, result.table);
    if (alerts)
      writeAlertsCsv(options["alerts-out"], data.accounts.ids, result.alerts);
  } catch (const std::exception& error) {
    std::fprintf(stderr, "%s\n", error.what());
    return 2;
  }
  fmt::print("{{\"peer\": \"handwritten\", \"framework\": \"account_lens\", \"threads\": {}, "
             "\"load_s\": {:.6f}, \"eval_s\": {:.6f}, \"eval_median_s\": {:.6f}, "
             "\"alerts_s\": {:.6f}, \"alerts\": {}, \"event_rows\": {}, \"accounts\": {}}}\n",
             threads, loadSeconds, best, median, bestAndMedian(alertSeconds).first,
             result.alerts.size(), data.events.size(), data.accounts.size());
  return 0;
}

} // namespace

int main(int argc, char** argv) {
  using namespace handwritten;
  std::map<std::string, std::string> options;
  if (!parseOptions(argc, argv, options) || !options.count("data") || !options.count("framework") ||
      !options.count("out")) {
    std::fputs(kUsage, stderr);
    return 1;
  }
  const std::string framework = options["framework"];
  if (framework != "llr" && framework != "targets" && framework != "deals" &&
      framework != "account_lens") {
    std::fprintf(stderr, "unknown framework `%s`: llr, targets, deals or account_lens\n",
                 framework.c_str());
    return 1;
  }
  int threads = 1, repeat = 1;
  if ((options.count("threads") && !positiveInt(options["threads"], threads)) ||
      (options.count("repeat") && !positiveInt(options["repeat"], repeat))) {
    std::fputs("--threads and --repeat take a positive whole number\n", stderr);
    return 1;
  }
  std::optional<int32_t> asOf;
  if (options.count("as-of") && !(asOf = parseDay(options["as-of"]))) {
    std::fprintf(stderr, "`--as-of %s` is not a date like 2018-08-15\n", options["as-of"].c_str());
    return 1;
  }
  // account_lens's windows all end at the as-of day: no period is needed.
  if (framework == "account_lens") {
    if (!asOf) {
      std::fputs("account_lens needs --as-of\n", stderr);
      return 1;
    }
    return runAccountLens(options, *asOf, threads, repeat);
  }
  const auto period = options.count("period") ? parseQuarter(options["period"]) : std::nullopt;
  if (!period) {
    std::fprintf(stderr, "`--period %s` is not a quarter like 2018-Q3\n",
                 options["period"].c_str());
    return 1;
  }
  // The run's today: the period's last day unless `--as-of` says otherwise.
  const RunSettings run{*period, asOf.value_or(period->last), threads};
  if (framework == "deals")
    return runDeals(options, run, repeat);
  return runRepFramework(options, framework, run, repeat);
}
