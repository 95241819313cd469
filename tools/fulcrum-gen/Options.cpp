// Parsing and validating fulcrum-gen's flags; every bad flag is a message and exit code 2.
#include "tools/fulcrum-gen/Options.h"

#include <charconv>
#include <cstdio>
#include <string_view>
#include <thread>

namespace fulcrum::gen {
namespace {

constexpr uint32_t kMaxReps = 100000;               // ids R000001..: 6 digits, ~30 accounts each
constexpr uint64_t kMaxActivities = 10000000000ULL; // keeps deal ids within their 9 digits
constexpr uint32_t kMaxAccounts = 9999999;          // ids A0000001..: 7 digits
constexpr uint64_t kMaxEvents = 10000000000ULL;
constexpr unsigned kMaxThreads = 256;
constexpr int kMaxRangeDays = 30 * 366; // the weekday weights are summed over every rep-day

const char* const kUsage =
    "usage: fulcrum-gen --out DIR [--seed N] [--reps N] [--activities N] [--accounts N]\n"
    "                   [--events N] [--start YYYY-MM-DD] [--end YYYY-MM-DD] [--threads N]\n"
    "       fulcrum-gen --out DIR --pipeline N [--seed N] [--reps N] [--start ...] [--end ...]\n"
    "Writes reps, accounts, deals, activities, events, ratings and quotas CSV files into DIR;\n"
    "with --pipeline, the deals shape instead: Maven's sales_pipeline.csv (N rows),\n"
    "sales_teams.csv, products.csv and accounts.csv.\n"
    "Defaults: --seed 1 --reps 50 --activities 2000*reps --accounts 12 to 28 per rep\n"
    "          --events 15*accounts --start 2016-01-01 --end 2018-12-31 --threads all cores.\n"
    "The same options give byte-identical files.\n";

bool parseUnsigned(std::string_view text, uint64_t& value) {
  if (text.empty() || text.front() == '+' || text.front() == '-')
    return false;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  return error == std::errc() && end == text.data() + text.size();
}

} // namespace

std::optional<Options> parseOptions(int argc, char** argv, int& exitCode) {
  exitCode = 2;
  Options options;
  std::optional<uint64_t> activities;
  std::optional<uint64_t> threads;
  options.start = dayFromCivil(2016, 1, 1);
  options.end = dayFromCivil(2018, 12, 31);
  auto fail = [](const std::string& message) -> std::optional<Options> {
    std::fprintf(stderr, "fulcrum-gen: %s\n%s", message.c_str(), kUsage);
    return std::nullopt;
  };

  for (int i = 1; i < argc; ++i) {
    std::string_view flag = argv[i];
    if (flag == "--help" || flag == "-h") {
      std::fputs(kUsage, stdout);
      exitCode = 0;
      return std::nullopt;
    }
    std::string_view value;
    if (const size_t equals = flag.find('='); flag.starts_with("--") && equals != flag.npos) {
      value = flag.substr(equals + 1);
      flag = flag.substr(0, equals);
    } else if (flag.starts_with("--")) {
      if (i + 1 >= argc)
        return fail("missing value after " + std::string(flag));
      value = argv[++i];
    } else {
      return fail("unexpected argument `" + std::string(flag) + "`");
    }
    const std::string name(flag);
    const std::string text(value);
    uint64_t number = 0;
    // Parses the value into `number`; false (after the message) when it is not in [low, high].
    auto needNumber = [&](uint64_t low, uint64_t high) {
      if (!parseUnsigned(value, number)) {
        fail(name + " expects a whole number, got `" + text + "`");
        return false;
      }
      if (number < low || number > high) {
        fail(name + " must be between " + std::to_string(low) + " and " + std::to_string(high) +
             ", got " + text);
        return false;
      }
      return true;
    };
    if (name == "--out") {
      if (value.empty())
        return fail("--out expects a directory");
      options.outDir = text;
    } else if (name == "--seed") {
      if (!needNumber(0, UINT64_MAX))
        return std::nullopt;
      options.seed = number;
    } else if (name == "--reps") {
      if (!needNumber(1, kMaxReps))
        return std::nullopt;
      options.reps = static_cast<uint32_t>(number);
    } else if (name == "--activities") {
      if (!needNumber(0, kMaxActivities))
        return std::nullopt;
      activities = number;
    } else if (name == "--accounts") {
      if (!needNumber(1, kMaxAccounts))
        return std::nullopt;
      options.accounts = static_cast<uint32_t>(number);
    } else if (name == "--events") {
      if (!needNumber(0, kMaxEvents))
        return std::nullopt;
      options.events = number;
    } else if (name == "--pipeline") {
      if (!needNumber(1, kMaxActivities))
        return std::nullopt;
      options.pipeline = number;
    } else if (name == "--threads") {
      if (!needNumber(1, kMaxThreads))
        return std::nullopt;
      threads = number;
    } else if (name == "--start" || name == "--end") {
      const std::optional<DayNumber> day = parseDate(value);
      if (!day)
        return fail(name + " expects a date YYYY-MM-DD, got `" + text + "`");
      (name == "--start" ? options.start : options.end) = *day;
    } else {
      return fail("unknown flag " + name);
    }
  }

  if (options.outDir.empty())
    return fail("--out DIR is required");
  // Every rep owns at least one account (its activities go mostly to its own accounts).
  if (options.accounts != 0 && options.accounts < options.reps)
    return fail("--accounts " + std::to_string(options.accounts) + " is fewer than --reps " +
                std::to_string(options.reps) + ": every rep owns at least one account");
  if (options.pipeline && (activities || options.accounts || options.events))
    return fail("--pipeline writes the deals shape alone: it takes no --activities, --accounts "
                "or --events");
  if (options.end < options.start)
    return fail("--end " + formatDate(options.end) + " is before --start " +
                formatDate(options.start));
  if (options.end - options.start > kMaxRangeDays)
    return fail("the range from --start to --end must be at most 30 years");
  int year = 0, month = 0, day = 0;
  civilFromDay(options.start, year, month, day);
  const int startYear = year;
  civilFromDay(options.end, year, month, day);
  if (startYear < 1900 || year > 9000)
    return fail("the date range must lie within the years 1900 to 9000");
  options.activities = activities ? *activities : uint64_t{2000} * options.reps;
  const unsigned cores = std::thread::hardware_concurrency();
  options.threads = threads ? static_cast<unsigned>(*threads) : (cores ? cores : 1);
  exitCode = 0;
  return options;
}

} // namespace fulcrum::gen
