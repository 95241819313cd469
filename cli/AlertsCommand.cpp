// `fulcrum alerts FILE --framework NAME [--as-of D] [--since D] [--state F] ...`: the alert feed.
// Without --as-of or --period it runs as of today, the system date. Exit statuses as `run`.
#include "cli/AlertState.h"
#include "cli/Commands.h"
#include "cli/Provenance.h"
#include "cli/RunOptions.h"
#include "support/Calendar.h"

#include <algorithm>
#include <cstdio>
#include <ctime>

namespace fulcrum::cli {

namespace {

// Today in the system's time zone, as YYYY-MM-DD.
std::string today() {
  const std::time_t now = std::time(nullptr);
  std::tm local{};
  localtime_r(&now, &local);
  return formatDate(dayFromCivil(local.tm_year + 1900, local.tm_mon + 1, local.tm_mday));
}

} // namespace

int alertsCommand(const std::vector<std::string>& args) {
  RunOptions options;
  options.command = "alerts";
  if (auto status = parseRunOptions(args, options))
    return *status;
  std::optional<DayNumber> since;
  if (!options.since.empty() && !(since = parseDate(options.since)))
    return usageError(options, "--since needs a date, like 2017-06-30");
  if (options.request.period.empty() && options.request.asOf.empty())
    options.request.asOf = today();
  options.request.alerts = true;
  AlertState state;
  std::string error;
  if (!options.state.empty() && !readAlertState(options.state, options.framework, state, error)) {
    std::fprintf(stderr, "fulcrum alerts: %s\n", error.c_str());
    return kExitDataError;
  }
  int status = kExitOk;
  std::shared_ptr<const CompiledSources> compiled;
  auto program = loadProgram(options, status, &compiled);
  if (!program)
    return status;
  runtime::RunResult result;
  if (auto failed = runProgram(*program, options, result))
    return *failed;
  std::vector<runtime::AlertRecord> alerts = std::move(result.alerts);
  if (since)
    std::erase_if(alerts,
                  [&](const runtime::AlertRecord& a) { return a.date && *a.date < *since; });
  if (!options.state.empty())
    alerts = newAlerts(alerts, state);
  const std::string& subject = program->plan().tables[0].name;
  const std::string feedCsv = options.provenance.empty()
                                  ? std::string()
                                  : runtime::formatAlerts(alerts, runtime::OutputFormat::Csv,
                                                          program->plan().tables[0].name);
  const nlohmann::json record =
      options.provenance.empty()
          ? nlohmann::json()
          : provenanceRecord(options, compiled->compilation(), *program, result, &feedCsv);
  if (!options.provenance.empty())
    if (auto failed = unwritableRecord(options, record))
      return *failed;
  std::string output = runtime::formatAlerts(alerts, options.format, subject);
  if (!options.provenance.empty() && options.format == runtime::OutputFormat::Json)
    output = jsonWithProvenance(record, "alerts", output);
  if (auto failed = writeOutput(options, output))
    return *failed;
  if (auto failed = writeProvenance(options, record))
    return *failed;
  // Delivered only once printed: a failed write above leaves the state as it was.
  if (!options.state.empty()) {
    if (std::fflush(stdout) != 0) {
      std::fprintf(stderr,
                   "fulcrum alerts: cannot write the output; the state file is unchanged\n");
      return kExitDataError;
    }
    if (!writeAlertState(options.state, state, error)) {
      std::fprintf(stderr, "fulcrum alerts: %s\n", error.c_str());
      return kExitDataError;
    }
  }
  return kExitOk;
}

} // namespace fulcrum::cli
