// `fulcrum report FILE --framework NAME (--period P [--as-of-every week] | --as-of D | --periods
// P1..P2) --out F.html`:
// the run `fulcrum run` makes (the same options, the same result, the same errors and exit
// statuses), written as one self-contained HTML page (cli/report/Page.h). The pictures are chosen
// from the framework's declarations (cli/report/ReportShape.h). With --periods, one run per
// period over the same options: the page is the last period's, with the bands and scores of every
// period as trends. With --as-of-every week, one run per week's end within the period (period to
// date): the OKRs' weekly check-in. Exit statuses: 0, 1 compile error, 2 data error (the page not
// written included), 3 check violated under --strict (the page is written), 64 usage error.
#include "cli/Commands.h"
#include "cli/Provenance.h"
#include "cli/RunOptions.h"
#include "cli/report/Page.h"
#include "support/Calendar.h"

#include <algorithm>
#include <cstdio>
#include <deque>
#include <fmt/format.h>
#include <map>

namespace fulcrum::cli {

namespace {

// No page draws more periods than this (five years of quarters, or of months).
constexpr size_t kMostPeriods = 60;

// `2017-Q1..2017-Q4`: every period from the first to the last, named as the framework's calendar
// names them; empty with `error` set when the text is not such a range.
std::vector<std::string> periodRange(const std::string& text, int fiscalStart, std::string& error) {
  const size_t dots = text.find("..");
  const std::optional<Period> first =
      dots == std::string::npos ? std::nullopt : parsePeriod(text.substr(0, dots), fiscalStart);
  const std::optional<Period> last =
      dots == std::string::npos ? std::nullopt : parsePeriod(text.substr(dots + 2), fiscalStart);
  if (!first || !last || first->unit != last->unit || first->start() > last->start()) {
    error = fmt::format("--periods needs P1..P2, two periods of one kind, the first not after the "
                        "last (like 2017-Q1..2017-Q4), not `{}`",
                        text);
    return {};
  }
  std::vector<std::string> periods;
  for (Period p = *first; p.start() <= last->start(); p = p.shifted(1)) {
    if (periods.size() == kMostPeriods) {
      error = fmt::format("--periods `{}` spans more than {} periods", text, kMostPeriods);
      return {};
    }
    periods.push_back(formatPeriod(p));
  }
  return periods;
}

// Every framework's result a run holds, by name: its own and, recursively, those it read.
void collectRuns(const std::string& framework, const runtime::RunResult& result,
                 std::map<std::string, const runtime::RunResult*>& runs) {
  runs.emplace(framework, &result);
  for (const runtime::FeedResult& feed : result.feeds)
    collectRuns(feed.framework, feed.result, runs);
}

// The cascade's levels from the report's run: the framework's own result and those of the
// frameworks it read (the same evaluation, so the same figures). A level the run did not read
// (reporting `company_okrs`, nothing below it is computed) is run here, lowest level first,
// with the same options (its own load of the same files); a level found there is not run again.
// Such a run's errors fail the report as the reported run's would.
std::optional<int> cascadeLevels(const report::CascadeShape& cascade,
                                 const CompiledSources& compiled, const RunOptions& options,
                                 const runtime::RunResult& result, std::set<std::string>& printed,
                                 std::deque<runtime::RunResult>& levelRuns,
                                 report::CascadeRuns& runs) {
  std::map<std::string, const runtime::RunResult*> found;
  collectRuns(options.framework, result, found);
  for (auto level = cascade.levels.rbegin(); level != cascade.levels.rend(); ++level) {
    if (found.count(level->framework))
      continue;
    RunOptions other = options;
    other.framework = level->framework;
    other.request.alerts = false;
    int status = kExitOk;
    // The file is compiled once: the level's program comes from the report's compilation, whose
    // diagnostics are printed already.
    auto program = programOf(compiled, other, status, false);
    if (!program)
      return status;
    // Its errors are printed (once); its notes and warnings are another framework's, not the
    // reported run's, and `fulcrum run` of that framework prints them.
    runtime::RunResult& ran = levelRuns.emplace_back(program->run(other.request));
    if (ran.status != runtime::RunStatus::Ok) {
      for (const std::string& message : ran.errors)
        if (printed.insert(message + "\n").second)
          std::fprintf(stderr, "%s\n", message.c_str());
      return ran.status == runtime::RunStatus::UsageError ? kExitUsage : kExitDataError;
    }
    collectRuns(level->framework, levelRuns.back(), found);
  }
  for (const report::CascadeLevelShape& level : cascade.levels)
    runs.levels.push_back(found.at(level.framework));
  if (runs.levels.size() > 1)
    runs.members = runs.levels[1]->members;
  return std::nullopt;
}

} // namespace

int reportCommand(const std::vector<std::string>& args) {
  RunOptions options;
  options.command = "report";
  if (auto status = parseRunOptions(args, options))
    return *status;
  if (!options.asOfEvery.empty() &&
      (options.request.period.empty() || !options.periods.empty() || !options.request.asOf.empty()))
    return usageError(options, "--as-of-every runs as of each week's (or month's) end within one "
                               "--period P: it needs --period, and takes no --as-of or --periods");
  const bool oneRun = !options.request.period.empty() || !options.request.asOf.empty();
  if (!options.periods.empty() && oneRun)
    return usageError(options, "--periods runs each period to its end: not with --period or "
                               "--as-of");
  if (options.periods.empty() && !oneRun)
    return usageError(options, "--period (or --as-of, or --periods) is required");
  if (options.out.empty())
    return usageError(options, "--out PATH is required: the page is a file, not a stream");
  std::shared_ptr<const CompiledSources> compiled;
  int status = kExitOk;
  auto program = loadProgram(options, status, &compiled);
  if (!program)
    return status;

  std::vector<std::string> periods, asOfDates;
  std::string checkInStart, checkInEnd;
  const int fiscalStart = program->plan().fiscalStart;
  if (!options.periods.empty()) {
    std::string error;
    periods = periodRange(options.periods, fiscalStart, error);
    if (periods.empty())
      return usageError(options, error);
  }
  if (!options.asOfEvery.empty()) {
    const std::optional<Period> period = parsePeriod(options.request.period, fiscalStart);
    if (period) { // else the run says what is wrong with it
      const PeriodUnit unit = options.asOfEvery == "week" ? PeriodUnit::Week : PeriodUnit::Month;
      for (const Period& step :
           periodsOverlapping(period->start(), period->end(), unit, fiscalStart))
        asOfDates.push_back(formatDate(std::min(step.end(), period->end())));
      checkInStart = formatDate(period->start());
      checkInEnd = formatDate(period->end());
    }
  }
  // One run gives the table, the violations and the alert feed, as `run` and `alerts` see them;
  // with --periods, one such run per period (a line every run prints is printed once), each an
  // evaluation of one load of the data (Program::run over a LoadOutcome gives what run gives).
  options.request.alerts = true;
  const report::ReportShape shape = report::reportShape(compiled->compilation(), options.framework);
  // An OKR cascade is drawn from the frameworks this run reads, kept from the same evaluation.
  options.request.keepFeeds = shape.cascade.has_value();
  std::vector<report::PeriodRun> trend;
  runtime::RunResult single;
  std::set<std::string> printed;
  std::optional<runtime::LoadOutcome> loaded;
  if (!periods.empty() || !asOfDates.empty())
    loaded = program->load(options.request);
  const runtime::LoadOutcome* once = loaded ? &*loaded : nullptr;
  for (const std::string& period : periods) {
    options.request.period = period;
    report::PeriodRun run{period, {}};
    if (auto failed = runProgram(*program, options, run.result, &printed, once))
      return *failed;
    trend.push_back(std::move(run));
  }
  // --as-of-every: the same period as of each step's end, period to date; the last run is as of
  // the period's end, the run `fulcrum run --period P` makes.
  for (const std::string& day : asOfDates) {
    options.request.asOf = day;
    report::PeriodRun run{day, {}};
    if (auto failed = runProgram(*program, options, run.result, &printed, once))
      return *failed;
    trend.push_back(std::move(run));
  }
  if (!asOfDates.empty())
    options.request.asOf.clear();
  if (trend.empty())
    if (auto failed = runProgram(*program, options, single, &printed))
      return *failed;
  const runtime::RunResult& result = trend.empty() ? single : trend.back().result;
  std::deque<runtime::RunResult> levelRuns;
  report::CascadeRuns cascadeRuns;
  if (shape.cascade)
    if (auto failed = cascadeLevels(*shape.cascade, *compiled, options, result, printed, levelRuns,
                                    cascadeRuns))
      return *failed;

  std::string when = options.request.period.empty() ? "" : "period " + options.request.period;
  if (!options.request.asOf.empty())
    when += (when.empty() ? "as of " : ", as of ") + options.request.asOf;
  if (!periods.empty())
    when += fmt::format(" (trends from {})", trend.front().period);
  else if (!asOfDates.empty())
    when += fmt::format(" (as of every {}'s end from {})", options.asOfEvery, trend.front().period);
  const nlohmann::json record =
      provenanceRecord(options, compiled->compilation(), *program, result);
  if (!options.provenance.empty())
    if (auto failed = unwritableRecord(options, record))
      return *failed;
  const report::ReportInput input{shape,
                                  result,
                                  when,
                                  trend,
                                  checkInStart,
                                  checkInEnd,
                                  shape.cascade ? &cascadeRuns : nullptr,
                                  provenanceSummary(record)};
  if (auto failed = writeOutput(options, report::reportPage(input)))
    return *failed;
  if (auto failed = writeProvenance(options, record))
    return *failed;
  return reportViolations(options, result);
}

} // namespace fulcrum::cli
