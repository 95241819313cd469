// The options of `run`, `alerts` and `diff`: one table of flags, each naming its commands.
#include "cli/RunOptions.h"

#include "cli/Commands.h"
#include "cli/ScopedRun.h"
#include "support/AtomicFile.h"
#include "support/MemorySize.h"

#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <fmt/format.h>
#include <functional>
#include <string_view>

namespace fulcrum::cli {

namespace {

const char* const kRunUsage =
    "usage: fulcrum run FILE --framework NAME (--period P | --as-of DATE) [--data TABLE=PATH]... "
    "[--param NAME=VALUE]... [--as-of DATE] [--engine jit|interp] [--format csv|json|table] "
    "[--out PATH] [--strict] [--werror] [--on-error fail|skip] [--rejects PATH] [--lib DIR]... "
    "[--threads N] [--memory-limit SIZE] [--cache] [--only EXPR] [--provenance PATH] "
    "[--dump-plan] [--dump-llvm] [--explain KEY "
    "[--explain-rows]]\n"
    "--explain KEY prints every value behind subject KEY's outputs (--format text or json)\n"
    "fulcrum run --verify-provenance PATH [--param NAME=VALUE]... [--data TABLE=PATH]... reruns "
    "a provenance record's inputs and names what differs (exit 3)\n";

const char* const kAlertsUsage =
    "usage: fulcrum alerts FILE --framework NAME [--as-of DATE] [--period P] [--since DATE] "
    "[--state PATH] [--data TABLE=PATH]... [--param NAME=VALUE]... [--engine jit|interp] "
    "[--format table|csv|json] [--out PATH] [--werror] [--on-error fail|skip] [--rejects PATH] "
    "[--lib DIR]... [--threads N] [--memory-limit SIZE] [--cache] [--only EXPR] "
    "[--provenance PATH]\n"
    "without --as-of or --period it runs as of today\n";

const char* const kDiffUsage =
    "usage: fulcrum diff OLD NEW --framework NAME (--period P | --as-of DATE) "
    "[--data TABLE=PATH]... [--param NAME=VALUE]... [--engine jit|interp] "
    "[--format table|csv|json|markdown] [--fail-on band|any] [--out PATH] [--werror] "
    "[--lib DIR]... [--threads N] [--memory-limit SIZE] [--cache] [--only EXPR]\n"
    "OLD (or NEW) may be REV:PATH, read from a git revision (`HEAD~1:llr.fulcrum`)\n";

bool splitAssignment(const std::string& text, std::map<std::string, std::string>& into) {
  const size_t eq = text.find('=');
  if (eq == std::string::npos || eq == 0)
    return false;
  into[text.substr(0, eq)] = text.substr(eq + 1);
  return true;
}

bool parseThreads(const std::string& text, unsigned& into) {
  unsigned value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || value < 1 || value > 1024)
    return false;
  into = value;
  return true;
}

const char* const kReportUsage =
    "usage: fulcrum report FILE --framework NAME (--period P [--as-of-every week|month] | "
    "--as-of DATE | --periods P1..P2) --out PATH.html "
    "[--data TABLE=PATH]... [--param NAME=VALUE]... [--engine jit|interp] [--strict] [--werror] "
    "[--on-error fail|skip] [--rejects PATH] [--lib DIR]... [--threads N] [--memory-limit SIZE] "
    "[--cache] [--only EXPR] [--provenance PATH]\n"
    "one self-contained HTML page of the run (docs/report.md)\n";

// Both: run, alerts and report (a report is a run); RunLike: run and report; All: every command.
// `report` takes what `run` takes, save --format and what only explains or dumps (--explain,
// --dump-plan), and adds --periods and --as-of-every.
enum Takers : unsigned {
  Run = 1,
  Alerts = 2,
  Diff = 4,
  Report = 8,
  Both = Run | Alerts | Report,
  RunLike = Run | Report,
  All = 15
};

// One flag: the commands that take it, and what it does with its value (a flag without one
// ignores the text). Returns the usage error, or empty.
struct Flag {
  const char* name;
  unsigned takers;
  bool hasValue;
  const char* value; // what its value is, for `--period needs a period, like 2017-Q2`
  using Apply = std::function<std::string(RunOptions&, const std::string&)>;
  Apply apply;
};

// A flag whose value is kept as written, in `field` of the options or of their run request.
Flag::Apply keep(std::string RunOptions::*field) {
  return [field](RunOptions& o, const std::string& v) {
    o.*field = v;
    return std::string();
  };
}
Flag::Apply keepInRequest(std::string runtime::RunRequest::*field) {
  return [field](RunOptions& o, const std::string& v) {
    o.request.*field = v;
    return std::string();
  };
}

std::string onError(RunOptions& o, const std::string& v) {
  if (v != "fail" && v != "skip")
    return "--on-error is fail or skip";
  o.request.skipBadRows = v == "skip";
  return "";
}

std::string format(RunOptions& o, const std::string& v) {
  if (o.command == "diff" && v == "markdown") {
    o.markdown = true;
    o.format = runtime::OutputFormat::Table;
    return "";
  }
  o.markdown = false;
  if (v == "csv")
    o.format = runtime::OutputFormat::Csv;
  else if (v == "json")
    o.format = runtime::OutputFormat::Json;
  else if (v == "table" || (v == "text" && o.command == "run"))
    o.format = runtime::OutputFormat::Table;
  else
    return o.command == "diff" ? "--format is table, csv, json or markdown"
                               : "--format is csv, json or table (text or json with --explain)";
  o.textFormat = v == "text";
  return "";
}

std::string failOn(RunOptions& o, const std::string& v) {
  if (v != "band" && v != "any")
    return "--fail-on is band or any";
  o.failOn = v == "band" ? RunOptions::FailOn::Band : RunOptions::FailOn::Any;
  return "";
}

std::string engine(RunOptions& o, const std::string& v) {
  if (v != "jit" && v != "interp")
    return "--engine is jit or interp";
  o.engine = v == "jit" ? runtime::EngineKind::Jit : runtime::EngineKind::Interpreter;
  return "";
}

const std::vector<Flag>& flags() {
  static const std::vector<Flag> table = {
      {"--framework", All, true, "a name", keep(&RunOptions::framework)},
      {"--period", All, true, "a period, like 2017-Q2",
       keepInRequest(&runtime::RunRequest::period)},
      {"--as-of", All, true, "a date, like 2017-06-30", keepInRequest(&runtime::RunRequest::asOf)},
      {"--data", All, true, "TABLE=PATH",
       [](RunOptions& o, const std::string& v) {
         return splitAssignment(v, o.request.dataPaths) ? "" : "--data needs TABLE=PATH";
       }},
      {"--param", All, true, "NAME=VALUE",
       [](RunOptions& o, const std::string& v) {
         return splitAssignment(v, o.request.params) ? "" : "--param needs NAME=VALUE";
       }},
      {"--engine", All, true, "jit or interp", engine},
      {"--format", Run | Alerts | Diff, true, "csv, json or table (diff: also markdown)", format},
      {"--out", All, true, "a path", keep(&RunOptions::out)},
      {"--on-error", Both, true, "fail or skip", onError},
      {"--rejects", Both, true, "a path", keepInRequest(&runtime::RunRequest::rejectsPath)},
      {"--lib", All, true, "a folder",
       [](RunOptions& o, const std::string& v) {
         o.compile.libraryDirs.push_back(v);
         return std::string();
       }},
      {"--threads", All, true, "a number of threads from 1 to 1024",
       [](RunOptions& o, const std::string& v) {
         return parseThreads(v, o.request.threads)
                    ? ""
                    : "--threads needs a number of threads from 1 to 1024";
       }},
      {"--memory-limit", All, true, "a size, like 512M or 4G",
       [](RunOptions& o, const std::string& v) {
         const std::optional<size_t> bytes = parseMemorySize(v);
         if (!bytes)
           return fmt::format("--memory-limit needs a size, like 512M or 4G, not `{}`", v);
         o.request.memoryLimit = *bytes;
         return std::string();
       }},
      {"--cache", All, false, "",
       [](RunOptions& o, const std::string&) {
         o.request.columnCache = true;
         // The opt-in stat-only match (runtime/data/Loader.h): no hash of the file on a warm run.
         const char* mode = std::getenv("FULCRUM_CACHE");
         if (mode && *mode && std::string_view(mode) != "trust-stat")
           return fmt::format("FULCRUM_CACHE must be `trust-stat` or unset, not `{}`", mode);
         o.request.cacheTrustsStat = mode && *mode;
         return std::string();
       }},
      {"--werror", All, false, "",
       [](RunOptions& o, const std::string&) {
         o.werror = true;
         return std::string();
       }},
      {"--strict", RunLike, false, "",
       [](RunOptions& o, const std::string&) {
         o.strict = true;
         return std::string();
       }},
      {"--dump-plan", Run, false, "",
       [](RunOptions& o, const std::string&) {
         o.dumpPlan = true;
         return std::string();
       }},
      {"--dump-llvm", Run, false, "",
       [](RunOptions& o, const std::string&) {
         o.dumpLlvm = true;
         return std::string();
       }},
      {"--explain", Run, true, "a subject's key",
       [](RunOptions& o, const std::string& v) {
         o.request.trace.subjectKey = v;
         return v.empty() ? "--explain needs a subject's key" : "";
       }},
      {"--explain-rows", Run, false, "",
       [](RunOptions& o, const std::string&) {
         o.request.trace.rowLines = true;
         return std::string();
       }},
      {"--since", Alerts, true, "a date, like 2017-06-30", keep(&RunOptions::since)},
      {"--state", Alerts, true, "a path", keep(&RunOptions::state)},
      {"--fail-on", Diff, true, "band or any", failOn},
      {"--provenance", Both, true, "a path", keep(&RunOptions::provenance)},
      {"--verify-provenance", Run, true, "a provenance record's path",
       keep(&RunOptions::verifyProvenance)},
      {"--only", Both | Diff, true,
       "a condition over the subject's fields, like 'manager == \"Mo\"'",
       [](RunOptions& o, const std::string& v) {
         o.only = v;
         return v.empty() ? "--only needs a condition over the subject's fields" : "";
       }},
      {"--periods", Report, true, "P1..P2, like 2017-Q1..2017-Q4", keep(&RunOptions::periods)},
      {"--as-of-every", Report, true, "week or month",
       [](RunOptions& o, const std::string& v) {
         o.asOfEvery = v;
         return v == "week" || v == "month" ? "" : "--as-of-every is week or month";
       }},
  };
  return table;
}

} // namespace

int usageError(const RunOptions& options, const std::string& message) {
  const char* usage = options.command == "alerts"   ? kAlertsUsage
                      : options.command == "diff"   ? kDiffUsage
                      : options.command == "report" ? kReportUsage
                                                    : kRunUsage;
  std::fprintf(stderr, "fulcrum %s: %s\n%s", options.command.c_str(), message.c_str(), usage);
  return kExitUsage;
}

std::string applyOption(RunOptions& options, const std::string& name, const std::string& value) {
  for (const Flag& flag : flags())
    if (name == flag.name)
      return flag.apply(options, value);
  return fmt::format("unknown option `{}`", name);
}

std::optional<int> parseRunOptions(const std::vector<std::string>& args, RunOptions& options) {
  const unsigned taker = options.command == "alerts"   ? Alerts
                         : options.command == "diff"   ? Diff
                         : options.command == "report" ? Report
                                                       : Run;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    const Flag* flag = nullptr;
    for (const Flag& candidate : flags())
      if (arg == candidate.name && (candidate.takers & taker) != 0)
        flag = &candidate;
    if (flag) {
      // `--state --engine jit`: the next option is not --state's value.
      if (flag->hasValue && (i + 1 >= args.size() || args[i + 1].rfind("--", 0) == 0))
        return usageError(options, fmt::format("{} needs {}", arg, flag->value));
      const std::string error = flag->apply(options, flag->hasValue ? args[++i] : "");
      if (!error.empty())
        return usageError(options, error);
    } else if (!arg.empty() && arg[0] == '-') {
      return usageError(options, fmt::format("unknown option `{}`", arg));
    } else if (options.file.empty()) {
      options.file = arg;
    } else if (taker == Diff && options.newFile.empty()) {
      options.newFile = arg;
    } else if (taker == Diff) {
      return usageError(options,
                        fmt::format("two framework files, OLD and NEW, not also `{}`", arg));
    } else {
      return usageError(options, fmt::format("one framework file at a time, not also `{}`", arg));
    }
  }
  if (taker == Diff && (options.newFile.empty() || options.framework.empty()))
    return usageError(options, "OLD, NEW and --framework are required");
  if (options.file.empty() || options.framework.empty())
    return usageError(options, "FILE and --framework are required");
  const runtime::TraceRequest& trace = options.request.trace;
  if (trace.rowLines && trace.subjectKey.empty())
    return usageError(options, "--explain-rows needs --explain KEY");
  if (!trace.subjectKey.empty() && options.format == runtime::OutputFormat::Csv)
    return usageError(options, "--explain prints text or json, not csv");
  if (options.textFormat && trace.subjectKey.empty())
    return usageError(options, "--format text is --explain's; a run prints csv, json or table");
  if (!options.only.empty() && !trace.subjectKey.empty())
    return usageError(options, "--explain already names one subject: not with --only");
  if (!options.only.empty())
    options.compile.only = SubjectFilter{options.framework, options.only};
  // A record hashes each data file; the column cache must then check the file's content too, not
  // only its size and mtime (FULCRUM_CACHE=trust-stat), or the run could use other bytes.
  if (!options.provenance.empty() || !options.verifyProvenance.empty())
    options.request.cacheTrustsStat = false;
  if (options.request.skipBadRows && options.request.rejectsPath.empty())
    options.request.rejectsPath = "rejects.csv";
  return std::nullopt;
}

std::shared_ptr<const runtime::Program> loadProgram(const RunOptions& options, int& status,
                                                    std::shared_ptr<const CompiledSources>* kept) {
  std::shared_ptr<const CompiledSources> compiled =
      compileFileCached(options.file, options.compile);
  if (kept)
    *kept = compiled;
  const Compilation& compilation = compiled->compilation();
  for (const Diagnostic& d : compilation.diagnostics.diagnostics())
    std::fputs(renderText(d, compilation.sources).c_str(), stderr);
  status = kExitCompileError;
  if (!compilation.ok())
    return nullptr;
  return programOf(*compiled, options, status, true);
}

std::shared_ptr<const runtime::Program>
programOf(const CompiledSources& compiled, const RunOptions& options, int& status, bool warnings) {
  status = kExitCompileError;
  const std::shared_ptr<const MadeProgram> made =
      compiled.program(options.framework, options.engine);
  const std::shared_ptr<const runtime::Program>& program = made->program;
  for (const Diagnostic& d : made->diagnostics)
    if (warnings || d.severity == Severity::Error)
      std::fputs(renderText(d, compiled.compilation().sources).c_str(), stderr);
  if (!program) {
    if (!made->error.empty())
      std::fprintf(stderr, "fulcrum %s: %s\n", options.command.c_str(), made->error.c_str());
    return nullptr;
  }
  if (warnings)
    for (const std::string& warning : program->warnings())
      std::fprintf(stderr, "fulcrum %s: warning: %s\n", options.command.c_str(), warning.c_str());
  status = kExitOk;
  return program;
}

std::optional<int> runProgram(const runtime::Program& program, const RunOptions& options,
                              runtime::RunResult& result, std::set<std::string>* printed,
                              const runtime::LoadOutcome* loaded) {
  result = loaded ? program.run(options.request, *loaded) : program.run(options.request);
  if (options.scopeEachRun)
    keepOnlySubjects(result); // --only: the run saw every subject; its output shows some
  // Each line once across the runs that share `printed` (diff's two versions over one data set).
  auto print = [&](const std::string& text) {
    if (!printed || printed->insert(text).second)
      std::fputs(text.c_str(), stderr);
  };
  for (const std::string& message : result.errors)
    print(message + "\n");
  if (result.status == runtime::RunStatus::UsageError)
    return kExitUsage;
  for (const runtime::DataWarning& warning : result.warnings)
    print(warning.text());
  for (const std::string& note : result.notes)
    print(note + "\n");
  if (result.status == runtime::RunStatus::DataError)
    return kExitDataError;
  if (options.werror && !result.warnings.empty()) {
    std::fprintf(stderr, "fulcrum %s: --werror: %zu warning%s about the data; nothing written\n",
                 options.command.c_str(), result.warnings.size(),
                 result.warnings.size() == 1 ? "" : "s");
    return kExitCompileError;
  }
  return std::nullopt;
}

int reportViolations(const RunOptions& options, const runtime::RunResult& result) {
  for (const runtime::CheckViolation& v : result.violations)
    std::fprintf(stderr, "check \"%s\" violated for %s: %s\n", v.check.c_str(), v.subject.c_str(),
                 v.valuesText().c_str());
  return options.strict && !result.violations.empty() ? kExitCheckViolated : kExitOk;
}

std::optional<int> writeOutput(const RunOptions& options, const std::string& text) {
  // The text is whole by now; one past the budget is refused so a run's output stays within what
  // its loader was allowed (an allocation that fails while building it is caught in main()).
  const size_t limit =
      options.request.memoryLimit != 0 ? options.request.memoryLimit : defaultMemoryLimit();
  if (text.size() > limit) {
    std::fprintf(stderr,
                 "fulcrum %s: the output (%s) needs more than the memory limit allows "
                 "(--memory-limit %s); nothing written\n",
                 options.command.c_str(), formatMemorySize(text.size()).c_str(),
                 formatMemorySize(limit).c_str());
    return kExitDataError;
  }
  // Every byte (a NUL in a text value included); a failed write to stdout is caught in main().
  if (options.out.empty()) {
    std::fwrite(text.data(), 1, text.size(), stdout);
  } else if (std::string writeError;
             !writeFileAtomically(options.out, text, AtomicFile::Access::Output, writeError)) {
    std::fprintf(stderr, "fulcrum %s: cannot write `%s`: %s\n", options.command.c_str(),
                 options.out.c_str(), writeError.c_str());
    return kExitDataError;
  }
  return std::nullopt;
}

} // namespace fulcrum::cli
