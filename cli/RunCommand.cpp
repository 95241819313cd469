// `fulcrum run FILE --framework NAME --period P ...`: compile, load, evaluate, print one row per
// subject (or, with --explain KEY, every value behind that subject's: cli/Explain.h). Exit
// statuses: 0, 1 compile error, 2 data error, 3 check violated under --strict, 64 usage error.
#include "cli/Commands.h"
#include "cli/Explain.h"
#include "cli/Provenance.h"
#include "cli/RunOptions.h"

#include <algorithm>
#include <cstdio>
#include <fmt/format.h>
#include <string_view>

namespace fulcrum::cli {

namespace {

// What --verify-provenance would ignore: it writes no output, no record and no explanation, and
// its exit status is the comparison's.
constexpr const char* kNotWithVerify[] = {"--provenance", "--out",          "--format",
                                          "--explain",    "--explain-rows", "--strict",
                                          "--dump-plan",  "--dump-llvm"};

} // namespace

int runCommand(const std::vector<std::string>& args) {
  RunOptions options;
  options.command = "run";
  // --verify-provenance: the record's inputs first, the command line's flags over them.
  nlohmann::json recorded;
  for (size_t i = 0; i + 1 < args.size(); ++i)
    if (args[i] == "--verify-provenance")
      if (auto failed = readProvenanceInputs(args[i + 1], options, recorded))
        return *failed;
  if (auto status = parseRunOptions(args, options))
    return *status;
  if (!options.verifyProvenance.empty())
    for (const std::string& arg : args)
      if (std::find(std::begin(kNotWithVerify), std::end(kNotWithVerify), arg) !=
          std::end(kNotWithVerify))
        return usageError(options, fmt::format("--verify-provenance prints only the comparison: "
                                               "not with {}",
                                               arg));
  const bool dumpOnly = options.dumpPlan || options.dumpLlvm;
  if (options.request.period.empty() && options.request.asOf.empty() && !dumpOnly)
    return usageError(options, "--period (or --as-of) is required");
  int status = kExitOk;
  std::shared_ptr<const CompiledSources> compiled;
  auto program = loadProgram(options, status, &compiled);
  if (!program) {
    if (!options.verifyProvenance.empty())
      compareProvenance(recorded, rehashedFiles(recorded), Compared::FilesOnly);
    return status;
  }
  if (options.dumpPlan)
    std::fputs(runtime::dumpPlan(program->plan()).c_str(), stdout);
  if (options.dumpLlvm)
    std::fputs(runtime::dumpLlvmIr(program->plan()).c_str(), stdout);
  if (options.request.period.empty() && options.request.asOf.empty())
    return kExitOk;

  runtime::RunResult result;
  if (auto failed = runProgram(*program, options, result)) {
    if (!options.verifyProvenance.empty()) // the files that changed, when the rerun cannot run
      compareProvenance(recorded, rehashedFiles(recorded), Compared::FilesOnly);
    return *failed;
  }
  const std::string& explained = options.request.trace.subjectKey;
  if (!explained.empty() && result.traces.empty()) { // a usage error only the data reveals
    std::fprintf(stderr, "fulcrum run: %s\n",
                 unknownSubjectMessage(program->plan(), result.table, explained).c_str());
    return kExitUsage;
  }
  const bool keepsRecord = !options.provenance.empty() || !options.verifyProvenance.empty();
  const nlohmann::json record =
      keepsRecord ? provenanceRecord(options, compiled->compilation(), *program, result)
                  : nlohmann::json();
  if (!options.verifyProvenance.empty())
    return compareProvenance(recorded, record);
  if (!options.provenance.empty())
    if (auto failed = unwritableRecord(options, record))
      return *failed;
  const ExplainContext context{options.request.period, options.request.asOf,
                               options.request.trace.rowLines};
  std::string output = explained.empty() ? runtime::formatResult(result.table, options.format)
                       : options.format == runtime::OutputFormat::Json
                           ? explainJson(program->plan(), result, context)
                           : explainText(program->plan(), result, context);
  if (!options.provenance.empty() && options.format == runtime::OutputFormat::Json)
    output = jsonWithProvenance(record, explained.empty() ? "results" : "explanation", output);
  if (auto failed = writeOutput(options, output))
    return *failed;
  if (auto failed = writeProvenance(options, record))
    return *failed;
  return reportViolations(options, result);
}

} // namespace fulcrum::cli
