// What `run`, `alerts` and `diff` share: their options (one parser, one spelling of each flag) and
// the steps from a framework file to a run's result, each printing what it must and giving the exit
// status when the command cannot go on.
#pragma once

#include "compiler/cache/ProgramCache.h"
#include "compiler/driver/Compilation.h"
#include "runtime/Program.h"
#include "runtime/output/ResultFormat.h"

#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace fulcrum::cli {

struct RunOptions {
  std::string command; // `run`, `alerts`, `diff` or `report`, for messages and the options it takes
  std::string file, framework, out; // diff: `file` is OLD
  runtime::OutputFormat format = runtime::OutputFormat::Table;
  runtime::EngineKind engine = runtime::EngineKind::Jit;
  runtime::RunRequest request;
  CompileOptions compile;
  bool werror = false;                                     // data warnings fail the command
  bool strict = false, dumpPlan = false, dumpLlvm = false; // run
  bool textFormat = false;  // `--format text` (the explanation's; the table format for a run)
  std::string since, state; // alerts
  std::string newFile;      // diff: NEW
  std::string periods;      // report --periods P1..P2: one run per period, for the trends
  std::string asOfEvery;    // report --as-of-every week|month: one run per week's end in --period
  bool markdown = false;    // diff --format markdown
  std::string only;         // --only EXPR: the subjects shown (compile.only checks it)
  // runProgram cuts the result to the --only subjects; `diff` turns it off and cuts both versions
  // to one set itself (cli/ScopedRun.h).
  bool scopeEachRun = true;
  std::string provenance; // --provenance PATH: what the run was computed from (cli/Provenance.h)
  std::string verifyProvenance; // run --verify-provenance PATH: rerun a record's inputs, compare
  enum class FailOn { Never, Band, Any } failOn = FailOn::Never; // diff --fail-on
};

// Parses `args` for `command`; on a usage error prints it with the command's usage and returns
// the exit status.
std::optional<int> parseRunOptions(const std::vector<std::string>& args, RunOptions& options);
// The command's usage error: the message, then its usage line; returns kExitUsage.
int usageError(const RunOptions& options, const std::string& message);
// One option as the command line's table reads it (`--engine`, `interp`): the same checks and
// names; the error's text, or empty. For inputs that come from elsewhere (a provenance record).
std::string applyOption(RunOptions& options, const std::string& name, const std::string& value);

// Compiles the file and makes the framework's program, printing diagnostics and warnings; null
// with `status` set when it cannot. `kept`, when given, receives the compilation (the report
// reads the framework's declarations to choose its pictures). Both come from the process's
// program cache (compiler/cache/ProgramCache.h): the same file compiled again in this process
// (`diff A A`) is the same program.
std::shared_ptr<const runtime::Program>
loadProgram(const RunOptions& options, int& status,
            std::shared_ptr<const CompiledSources>* kept = nullptr);
// The program of options.framework from a compilation already made (and its diagnostics
// printed): the plan's errors are printed, its warnings too when `warnings` (a second framework
// of the same file, the report's cascade level, prints none); null with `status` set when none.
std::shared_ptr<const runtime::Program>
programOf(const CompiledSources& compiled, const RunOptions& options, int& status, bool warnings);
// Runs it, printing errors and notes (those not yet in `printed`, when given, which then holds
// them); the exit status when the run failed. With `loaded` (Program::load of the same request's
// data), evaluates over that load instead of reading the files again (the report's several runs).
std::optional<int> runProgram(const runtime::Program& program, const RunOptions& options,
                              runtime::RunResult& result, std::set<std::string>* printed = nullptr,
                              const runtime::LoadOutcome* loaded = nullptr);
// After the output is written: each check violation on stderr (`check "NAME" violated for KEY:
// values`), and the exit status (kExitCheckViolated for one under --strict, else kExitOk).
int reportViolations(const RunOptions& options, const runtime::RunResult& result);
// Writes `text` to --out (all or nothing) or to stdout; the exit status when it could not.
std::optional<int> writeOutput(const RunOptions& options, const std::string& text);

} // namespace fulcrum::cli
