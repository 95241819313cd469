// `fulcrum diff OLD NEW --framework NAME --period P ...`: runs two versions of a framework over
// the same data and reports every value that changed, then a summary. OLD (or NEW) may be
// `REV:PATH`, read from a git revision. Exit statuses: as `run` (1 a compile error in either
// version, 2 a data error, 64 usage), and 3 when --fail-on finds such a change.
#include "cli/Commands.h"
#include "cli/DiffReport.h"
#include "cli/GitSources.h"
#include "cli/ResultDiff.h"
#include "cli/RunOptions.h"
#include "cli/ScopedRun.h"

#include <fmt/format.h>

namespace fulcrum::cli {

namespace {

DiffFormat diffFormat(const RunOptions& options) {
  if (options.markdown)
    return DiffFormat::Markdown;
  switch (options.format) {
  case runtime::OutputFormat::Csv:
    return DiffFormat::Csv;
  case runtime::OutputFormat::Json:
    return DiffFormat::Json;
  case runtime::OutputFormat::Table:
    return DiffFormat::Table;
  }
  return DiffFormat::Table;
}

std::string when(const runtime::RunRequest& request) {
  if (request.asOf.empty())
    return request.period;
  return request.period.empty() ? "as of " + request.asOf
                                : request.period + " as of " + request.asOf;
}

bool failsOn(RunOptions::FailOn failOn, const ResultDiff& diff) {
  switch (failOn) {
  case RunOptions::FailOn::Never:
    return false;
  case RunOptions::FailOn::Any:
    return !diff.changes.empty();
  case RunOptions::FailOn::Band:
    for (const ValueChange& change : diff.changes)
      if (diff.outputs[change.output].band)
        return true;
    return false;
  }
  return false;
}

} // namespace

int diffCommand(const std::vector<std::string>& args) {
  RunOptions options;
  options.command = "diff";
  if (auto status = parseRunOptions(args, options))
    return *status;
  if (options.request.period.empty() && options.request.asOf.empty())
    return usageError(options, "--period (or --as-of) is required");

  RunOptions oldOptions = options, newOptions = options;
  newOptions.file = options.newFile;
  // Options are parsed: from here `command` only labels messages (`fulcrum diff OLD: there is
  // no framework ...`), which would otherwise not say which version they are about.
  oldOptions.command = "diff OLD";
  newOptions.command = "diff NEW";
  oldOptions.scopeEachRun = newOptions.scopeEachRun = false; // one set for both, below
  // Either version may be REV:PATH (OLD usually is: `HEAD~1:llr.fulcrum`).
  for (RunOptions* version : {&oldOptions, &newOptions})
    if (auto at = revisionPathOf(version->file)) {
      std::string location, error;
      auto sources = GitRevisionSources::open(*at, location, error);
      if (!sources)
        return usageError(options, fmt::format("cannot read `{}`: {}", version->file, error));
      version->file = location;
      version->compile.sources = std::move(sources);
    }
  // Both compile before either runs, so one command shows the errors of both.
  int oldStatus = kExitOk, newStatus = kExitOk;
  auto oldProgram = loadProgram(oldOptions, oldStatus);
  auto newProgram = loadProgram(newOptions, newStatus);
  if (!oldProgram || !newProgram)
    return oldProgram ? newStatus : oldStatus;

  // Each version loads the tables it declares (their declarations may differ); a message both
  // loads give (a load summary, a bad row) prints once.
  std::set<std::string> printed;
  runtime::RunResult before, after;
  if (auto failed = runProgram(*oldProgram, oldOptions, before, &printed))
    return *failed;
  if (auto failed = runProgram(*newProgram, newOptions, after, &printed))
    return *failed;
  // --only: the subjects whose condition holds in OLD or in NEW, in both versions; a subject
  // whose condition flips (it reads an output that changed) shows as changed, not as added or
  // removed.
  auto oldScope = subjectsInScope(before), newScope = subjectsInScope(after);
  if (oldScope || newScope) {
    std::set<std::string> scope;
    for (const auto* keys : {&oldScope, &newScope})
      if (*keys)
        scope.insert((*keys)->begin(), (*keys)->end());
    keepSubjects(before, scope);
    keepSubjects(after, scope);
  }

  const ResultDiff diff = diffResults(before.table, after.table);
  const DiffTitle title{options.framework, options.file, options.newFile, when(options.request)};
  if (auto failed =
          writeOutput(options, formatDiff(diff, summarize(diff), diffFormat(options), title)))
    return *failed;
  return failsOn(options.failOn, diff) ? kExitCheckViolated : kExitOk;
}

} // namespace fulcrum::cli
