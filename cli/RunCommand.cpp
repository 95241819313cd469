// `fulcrum run FILE --framework NAME --period P ...`: compile, load, evaluate, print one row per
// subject. Exit statuses: 0, 1 compile error, 2 data error, 3 check violated under --strict,
// 64 usage error.
#include "cli/Commands.h"
#include "cli/RunOptions.h"

#include <cstdio>
#include <fmt/format.h>

namespace fulcrum::cli {

int runCommand(const std::vector<std::string>& args) {
  RunOptions options;
  options.command = "run";
  if (auto status = parseRunOptions(args, options))
    return *status;
  const bool dumpOnly = options.dumpPlan || options.dumpLlvm;
  if (options.request.period.empty() && options.request.asOf.empty() && !dumpOnly)
    return usageError(options, "--period (or --as-of) is required");
  int status = kExitOk;
  auto program = loadProgram(options, status);
  if (!program)
    return status;
  if (options.dumpPlan)
    std::fputs(runtime::dumpPlan(program->plan()).c_str(), stdout);
  if (options.dumpLlvm)
    std::fputs(runtime::dumpLlvmIr(program->plan()).c_str(), stdout);
  if (options.request.period.empty() && options.request.asOf.empty())
    return kExitOk;

  runtime::RunResult result;
  if (auto failed = runProgram(*program, options, result))
    return *failed;
  if (auto failed = writeOutput(options, runtime::formatResult(result.table, options.format)))
    return *failed;
  for (const runtime::CheckViolation& v : result.violations) {
    std::string values;
    for (const auto& [name, shown] : v.values)
      values += fmt::format("{}{} = {}", values.empty() ? "" : ", ", name, shown);
    std::fprintf(stderr, "check \"%s\" violated for %s: %s\n", v.check.c_str(), v.subject.c_str(),
                 values.c_str());
  }
  return options.strict && !result.violations.empty() ? kExitCheckViolated : kExitOk;
}

} // namespace fulcrum::cli
