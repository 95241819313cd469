// `fulcrum run FILE --framework NAME --period P ...`: compile, load, evaluate, print one row per
// subject (or, with --explain KEY, every value behind that subject's: cli/Explain.h). Exit
// statuses: 0, 1 compile error, 2 data error, 3 check violated under --strict, 64 usage error.
#include "cli/Commands.h"
#include "cli/Explain.h"
#include "cli/RunOptions.h"

#include <cstdio>

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
  const std::string& explained = options.request.trace.subjectKey;
  if (!explained.empty() && result.traces.empty()) { // a usage error only the data reveals
    std::fprintf(stderr, "fulcrum run: %s\n",
                 unknownSubjectMessage(program->plan(), result.table, explained).c_str());
    return kExitUsage;
  }
  const ExplainContext context{options.request.period, options.request.asOf,
                               options.request.trace.rowLines};
  const std::string output = explained.empty() ? runtime::formatResult(result.table, options.format)
                             : options.format == runtime::OutputFormat::Json
                                 ? explainJson(program->plan(), result, context)
                                 : explainText(program->plan(), result, context);
  if (auto failed = writeOutput(options, output))
    return *failed;
  return reportViolations(options, result);
}

} // namespace fulcrum::cli
