// `fulcrum report FILE --framework NAME (--period P | --as-of D) --out F.html`: the run `fulcrum
// run` makes (the same options, the same result, the same errors and exit statuses), written as
// one self-contained HTML page (cli/report/Page.h). The pictures are chosen from the framework's
// declarations (cli/report/ReportShape.h). Exit statuses: 0, 1 compile error, 2 data error (the
// page not written included), 3 check violated under --strict (the page is written), 64 usage.
#include "cli/Commands.h"
#include "cli/RunOptions.h"
#include "cli/report/Page.h"

#include <cstdio>

namespace fulcrum::cli {

int reportCommand(const std::vector<std::string>& args) {
  RunOptions options;
  options.command = "report";
  if (auto status = parseRunOptions(args, options))
    return *status;
  if (options.request.period.empty() && options.request.asOf.empty())
    return usageError(options, "--period (or --as-of) is required");
  if (options.out.empty())
    return usageError(options, "--out PATH is required: the page is a file, not a stream");
  std::shared_ptr<Compilation> compilation;
  int status = kExitOk;
  auto program = loadProgram(options, status, &compilation);
  if (!program)
    return status;

  // One run gives the table, the violations and the alert feed, as `run` and `alerts` see them.
  options.request.alerts = true;
  runtime::RunResult result;
  if (auto failed = runProgram(*program, options, result))
    return *failed;
  const report::ReportShape shape = report::reportShape(*compilation, options.framework);
  std::string when = options.request.period.empty() ? "" : "period " + options.request.period;
  if (!options.request.asOf.empty())
    when += (when.empty() ? "as of " : ", as of ") + options.request.asOf;
  const report::ReportInput input{shape, result, when};
  if (auto failed = writeOutput(options, report::reportPage(input)))
    return *failed;
  for (const runtime::CheckViolation& v : result.violations)
    std::fprintf(stderr, "check \"%s\" violated for %s: %s\n", v.check.c_str(), v.subject.c_str(),
                 v.valuesText().c_str());
  return options.strict && !result.violations.empty() ? kExitCheckViolated : kExitOk;
}

} // namespace fulcrum::cli
