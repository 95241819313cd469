// `fulcrum run FILE --framework NAME --period P ...`: compile, load, evaluate, print one row per
// subject. Exit statuses: 0, 1 compile error, 2 data error, 3 check violated under --strict,
// 64 usage error.
#include "cli/Commands.h"
#include "compiler/driver/Compilation.h"
#include "compiler/lower/MakeProgram.h"
#include "runtime/Program.h"
#include "runtime/output/ResultFormat.h"
#include "support/AtomicFile.h"

#include <charconv>
#include <cstdio>
#include <fmt/format.h>

namespace fulcrum::cli {

namespace {

const char* const kRunUsage =
    "usage: fulcrum run FILE --framework NAME (--period P | --as-of DATE) [--data TABLE=PATH]... "
    "[--param NAME=VALUE]... [--as-of DATE] [--engine jit|interp] [--format csv|json|table] "
    "[--out PATH] [--strict] [--on-error fail|skip] [--rejects PATH] [--lib DIR]... "
    "[--threads N] [--cache] [--dump-plan] [--dump-llvm]\n";

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

int usage(const std::string& message) {
  std::fprintf(stderr, "fulcrum run: %s\n%s", message.c_str(), kRunUsage);
  return kExitUsage;
}

} // namespace

int runCommand(const std::vector<std::string>& args) {
  std::string file, framework, out, format = "table", engine = "jit", onError = "fail", rejects;
  runtime::RunRequest request;
  CompileOptions options;
  bool strict = false, dumpPlan = false, dumpLlvm = false;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    auto value = [&](std::string& into) {
      if (i + 1 >= args.size())
        return false;
      into = args[++i];
      return true;
    };
    std::string text;
    if (arg == "--framework") {
      if (!value(framework))
        return usage("--framework needs a name");
    } else if (arg == "--period") {
      if (!value(request.period))
        return usage("--period needs a period, like 2017-Q2");
    } else if (arg == "--as-of") {
      if (!value(request.asOf))
        return usage("--as-of needs a date, like 2017-06-30");
    } else if (arg == "--data") {
      if (!value(text) || !splitAssignment(text, request.dataPaths))
        return usage("--data needs TABLE=PATH");
    } else if (arg == "--param") {
      if (!value(text) || !splitAssignment(text, request.params))
        return usage("--param needs NAME=VALUE");
    } else if (arg == "--engine") {
      if (!value(engine) || (engine != "jit" && engine != "interp"))
        return usage("--engine is jit or interp");
    } else if (arg == "--format") {
      if (!value(format) || (format != "csv" && format != "json" && format != "table"))
        return usage("--format is csv, json or table");
    } else if (arg == "--out") {
      if (!value(out))
        return usage("--out needs a path");
    } else if (arg == "--on-error") {
      if (!value(onError) || (onError != "fail" && onError != "skip"))
        return usage("--on-error is fail or skip");
    } else if (arg == "--rejects") {
      if (!value(rejects))
        return usage("--rejects needs a path");
    } else if (arg == "--lib") {
      if (!value(text))
        return usage("--lib needs a folder");
      options.libraryDirs.push_back(text);
    } else if (arg == "--threads") {
      if (!value(text) || !parseThreads(text, request.threads))
        return usage("--threads needs a number of threads from 1 to 1024");
    } else if (arg == "--cache") {
      request.columnCache = true;
    } else if (arg == "--strict") {
      strict = true;
    } else if (arg == "--dump-plan") {
      dumpPlan = true;
    } else if (arg == "--dump-llvm") {
      dumpLlvm = true;
    } else if (!arg.empty() && arg[0] == '-') {
      return usage(fmt::format("unknown option `{}`", arg));
    } else if (file.empty()) {
      file = arg;
    } else {
      return usage(fmt::format("one framework file at a time, not also `{}`", arg));
    }
  }
  const bool runs = !request.period.empty() || !request.asOf.empty();
  if (file.empty() || framework.empty() || (!runs && !dumpPlan && !dumpLlvm))
    return usage("FILE, --framework and --period (or --as-of, for the period holding it) are "
                 "required");

  std::shared_ptr<Compilation> compilation = compileFile(file, options);
  for (const Diagnostic& d : compilation->diagnostics.diagnostics())
    std::fputs(renderText(d, compilation->sources).c_str(), stderr);
  if (!compilation->ok())
    return kExitCompileError;

  DiagnosticSink planDiagnostics;
  std::string error;
  const auto engineKind =
      engine == "jit" ? runtime::EngineKind::Jit : runtime::EngineKind::Interpreter;
  auto program = makeProgram(*compilation, framework, engineKind, planDiagnostics, error);
  for (const Diagnostic& d : planDiagnostics.diagnostics())
    std::fputs(renderText(d, compilation->sources).c_str(), stderr);
  if (!program) {
    if (!error.empty())
      std::fprintf(stderr, "fulcrum run: %s\n", error.c_str());
    return kExitCompileError;
  }
  for (const std::string& warning : program->warnings())
    std::fprintf(stderr, "fulcrum run: warning: %s\n", warning.c_str());
  if (dumpPlan)
    std::fputs(runtime::dumpPlan(program->plan()).c_str(), stdout);
  if (dumpLlvm)
    std::fputs(runtime::dumpLlvmIr(program->plan()).c_str(), stdout);
  if (!runs)
    return kExitOk;

  request.skipBadRows = onError == "skip";
  request.rejectsPath = rejects.empty() && request.skipBadRows ? "rejects.csv" : rejects;
  const runtime::RunResult result = program->run(request);
  for (const std::string& message : result.errors)
    std::fprintf(stderr, "%s\n", message.c_str());
  if (result.status == runtime::RunStatus::UsageError)
    return kExitUsage;
  for (const std::string& note : result.notes)
    std::fprintf(stderr, "%s\n", note.c_str());
  if (result.status == runtime::RunStatus::DataError)
    return kExitDataError;

  const auto outputFormat = format == "csv"    ? runtime::OutputFormat::Csv
                            : format == "json" ? runtime::OutputFormat::Json
                                               : runtime::OutputFormat::Table;
  const std::string rendered = runtime::formatResult(result.table, outputFormat);
  // Every byte (a NUL in a text value included); a failed write to stdout is caught in main().
  if (out.empty()) {
    std::fwrite(rendered.data(), 1, rendered.size(), stdout);
  } else if (std::string writeError;
             !writeFileAtomically(out, rendered, AtomicFile::Access::Output, writeError)) {
    std::fprintf(stderr, "fulcrum run: cannot write `%s`: %s\n", out.c_str(), writeError.c_str());
    return kExitDataError;
  }
  for (const runtime::CheckViolation& v : result.violations) {
    std::string values;
    for (const auto& [name, shown] : v.values)
      values += fmt::format("{}{} = {}", values.empty() ? "" : ", ", name, shown);
    std::fprintf(stderr, "check \"%s\" violated for %s: %s\n", v.check.c_str(), v.subject.c_str(),
                 values.c_str());
  }
  return strict && !result.violations.empty() ? kExitCheckViolated : kExitOk;
}

} // namespace fulcrum::cli
