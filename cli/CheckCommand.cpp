// `fulcrum check FILE...`: every diagnostic of every file, in the report `--format` names
// (cli/CheckReport.h).
#include "cli/CheckReport.h"
#include "cli/Commands.h"
#include "cli/ProveChecks.h"
#include "compiler/ast/Dump.h"
#include "compiler/driver/Compilation.h"
#include "compiler/lower/Lower.h"
#include "runtime/Program.h"
#include "testing/ConfirmCounterexample.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fmt/format.h>
#include <map>
#include <set>
#include <tuple>

namespace fulcrum::cli {

namespace {

// What `run` would reject at compile time beyond the checker: the planner's diagnostics for
// every framework (NotSupportedYet, PlanTooLarge), frameworks in source order. So `check` exit
// 0 means every framework of the file will run.
// Where each answer's question is declared in `framework`, as `answers` are ordered: a check's,
// a score component's or a band's member (the file it came from, a module's when imported, its
// line and column; the framework's when no member matches), a division's `/` (the plan knows it).
// A file under the current directory is named from it (a library module such as the stdlib's
// is read by its absolute path), so that answers read the same in every checkout.
std::string shownPath(const std::string& path) {
  namespace fs = std::filesystem;
  std::error_code error;
  if (!fs::path(path).is_absolute())
    return path;
  const fs::path relative = fs::path(path).lexically_relative(fs::current_path(error));
  if (error || relative.empty() || *relative.begin() == "..")
    return path;
  return relative.string();
}

std::vector<DeclaredAt> answerPositions(const Compilation& compilation,
                                        const ast::FrameworkDecl& framework,
                                        const std::vector<prove::CheckProof>& answers) {
  const auto at = [&](const SourceRange& range) {
    return DeclaredAt{shownPath(compilation.sources.file(range.file).path), range.begin.line,
                      range.begin.column};
  };
  std::vector<DeclaredAt> positions;
  for (const prove::CheckProof& answer : answers) {
    DeclaredAt declared = at(framework.range);
    for (const ast::MemberPtr& member : framework.members)
      switch (answer.question) {
      case prove::Question::Check:
        if (member->is<ast::CheckMember>() && member->as<ast::CheckMember>().label == answer.check)
          declared = at(member->range);
        break;
      case prove::Question::ComponentRange:
        if (member->is<ast::ScoreMember>())
          for (const ast::ScoreComponent& component : member->as<ast::ScoreMember>().components)
            if (member->name.name + "." + component.name.name == answer.check)
              declared = at(component.name.range);
        break;
      case prove::Question::BandTotal:
        if (member->is<ast::BandMember>() && member->name.name == answer.check)
          declared = at(member->range);
        break;
      case prove::Question::DivisionByZero:
        declared = DeclaredAt{shownPath(answer.file), answer.line, answer.column};
        break;
      }
    positions.push_back(declared);
  }
  return positions;
}

std::vector<const ast::FrameworkDecl*> frameworksInOrder(const Compilation& compilation) {
  std::vector<const ast::FrameworkDecl*> frameworks;
  for (const auto& [name, framework] : compilation.symbols.frameworks)
    frameworks.push_back(framework);
  std::sort(frameworks.begin(), frameworks.end(), [](auto* a, auto* b) {
    return std::make_pair(a->range.file, a->range.begin) <
           std::make_pair(b->range.file, b->range.begin);
  });
  return frameworks;
}

std::vector<Diagnostic> planDiagnostics(const Compilation& compilation) {
  std::vector<Diagnostic> diagnostics;
  for (const ast::FrameworkDecl* framework : frameworksInOrder(compilation)) {
    DiagnosticSink sink;
    lowerFramework(compilation, *framework, sink);
    diagnostics.insert(diagnostics.end(), sink.diagnostics().begin(), sink.diagnostics().end());
  }
  return diagnostics;
}

// `--with-data`: each framework's tables loaded (the declared files, or `--data` paths) as `run`
// loads them, but with every declared column converted (a run checks one it never reads for
// presence only), without running: data errors (into `dataErrors`, each once) and what the data
// says of the source, as diagnostics (a text literal no row holds).
std::vector<Diagnostic> dataDiagnostics(const Compilation& compilation,
                                        const std::map<std::string, std::string>& dataPaths,
                                        std::vector<std::string>& dataErrors) {
  std::vector<Diagnostic> diagnostics;
  std::set<std::tuple<std::string, uint32_t, uint32_t>> seen;
  std::set<std::string> reportedErrors;
  for (const ast::FrameworkDecl* framework : frameworksInOrder(compilation)) {
    DiagnosticSink sink;
    auto plan = lowerFramework(compilation, *framework, sink);
    std::string error;
    auto program =
        plan ? runtime::Program::create(std::move(plan), runtime::EngineKind::Interpreter, error)
             : nullptr;
    if (!program)
      continue;
    runtime::RunRequest request;
    // A check validates every declared column, also those a run would check for presence only.
    request.validateAllFields = true;
    for (const auto& [name, path] : dataPaths)
      if (std::any_of(program->plan().declaredData.begin(), program->plan().declaredData.end(),
                      [&](const runtime::DeclaredData& d) { return d.name == name; }))
        request.dataPaths[name] = path;
    const runtime::LoadOutcome outcome = program->load(request);
    // Frameworks that read the same file would report its errors once each.
    for (const std::string& message : outcome.errors)
      if (reportedErrors.insert(message).second)
        dataErrors.push_back(message);
    for (const runtime::DataWarning& warning : outcome.warnings) {
      if (!seen.insert({warning.file, warning.line, warning.column}).second)
        continue;
      for (FileId file = 0; file < compilation.sources.size(); ++file)
        if (compilation.sources.file(file).path == warning.file) {
          const SourceRange range{file,
                                  {warning.line, warning.column},
                                  {warning.line, warning.column + warning.length}};
          diagnostics.push_back(Diagnostic{DiagKind::TextNotInData, Severity::Warning, range,
                                           warning.message, warning.hint, warning.replacement});
          break;
        }
    }
  }
  return diagnostics;
}

} // namespace

int checkCommand(const std::vector<std::string>& args) {
  std::vector<std::string> files;
  CompileOptions options;
  std::unique_ptr<CheckReport> report = makeCheckReport("text");
  bool werror = false, dumpAst = false, withData = false;
  // `--prove`: --format picks the proofs' report (stdout); diagnostics stay text on stderr.
  bool proveChecks = false, failUnknown = false;
  std::string proveOnlyOption; // the last option that only --prove reads, when one was given
  std::string format = "text";
  ProveSettings proveSettings;
  std::map<std::string, std::string> dataPaths;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg == "--format" && i + 1 < args.size()) {
      format = args[++i];
      report = makeCheckReport(format);
      if (!report) {
        std::fprintf(stderr, "fulcrum check: --format is one of %s, not `%s`\n",
                     checkFormatNames().c_str(), format.c_str());
        return kExitUsage;
      }
    } else if (arg == "--lib" && i + 1 < args.size()) {
      options.libraryDirs.push_back(args[++i]);
    } else if (arg == "--with-data") {
      withData = true;
    } else if (arg == "--data" && i + 1 < args.size()) {
      const std::string& assignment = args[++i];
      const size_t eq = assignment.find('=');
      if (eq == std::string::npos || eq == 0) {
        std::fprintf(stderr, "fulcrum check: --data needs TABLE=PATH, not `%s`\n",
                     assignment.c_str());
        return kExitUsage;
      }
      dataPaths[assignment.substr(0, eq)] = assignment.substr(eq + 1);
      withData = true;
    } else if (arg == "--prove") {
      proveChecks = true;
    } else if (arg == "--prove-params") {
      proveSettings.options.freeParams = true;
      proveOnlyOption = arg;
    } else if (arg == "--fail-unknown") {
      failUnknown = true;
      proveOnlyOption = arg;
    } else if (arg == "--no-times") {
      proveSettings.times = false;
      proveOnlyOption = arg;
    } else if (arg == "--timeout-ms" && i + 1 < args.size()) {
      const std::string& text = args[++i];
      char* end = nullptr;
      const unsigned long ms = std::strtoul(text.c_str(), &end, 10);
      if (text.empty() || *end != '\0' || ms == 0 || ms > 3600000) {
        std::fprintf(stderr,
                     "fulcrum check: --timeout-ms needs milliseconds from 1 to 3600000, "
                     "not `%s`\n",
                     text.c_str());
        return kExitUsage;
      }
      proveSettings.options.timeoutMs = static_cast<unsigned>(ms);
      proveOnlyOption = arg;
    } else if (arg == "--werror") {
      werror = true;
    } else if (arg == "--dump-ast") {
      dumpAst = true;
    } else if (!arg.empty() && arg[0] == '-') {
      std::fprintf(stderr, "fulcrum check: unknown option `%s`\n", arg.c_str());
      return kExitUsage;
    } else {
      files.push_back(arg);
    }
  }
  if (files.empty()) {
    std::fprintf(
        stderr,
        "usage: fulcrum check [--format %s] [--werror] [--with-data] "
        "[--data TABLE=PATH]... [--dump-ast] [--lib DIR]... "
        "[--prove [--prove-params] [--timeout-ms N] [--fail-unknown] [--no-times]] FILE...\n",
        checkFormatNames().c_str());
    return kExitUsage;
  }
  if (!proveChecks && !proveOnlyOption.empty()) {
    std::fprintf(stderr, "fulcrum check: %s works only with --prove\n", proveOnlyOption.c_str());
    return kExitUsage;
  }
  if (proveChecks) {
    if (format != "text" && format != "json" && format != "sarif") {
      std::fprintf(stderr, "fulcrum check: --prove reports as text, json or sarif, not `%s`\n",
                   format.c_str());
      return kExitUsage;
    }
    proveSettings.json = format == "json";
    proveSettings.sarif = format == "sarif";
    report = makeCheckReport("text");
  }
  ProofReport proofs(proveSettings);
  size_t errors = 0, warnings = 0, dataErrors = 0;
  for (const std::string& file : files) {
    auto compilation = compileFile(file, options);
    std::vector<std::string> fileDataErrors;
    std::vector<Diagnostic> diagnostics = compilation->diagnostics.diagnostics();
    errors += compilation->diagnostics.errorCount();
    warnings += compilation->diagnostics.warningCount();
    if (compilation->ok()) {
      std::vector<Diagnostic> more = planDiagnostics(*compilation);
      const bool plans = std::none_of(more.begin(), more.end(), [](const Diagnostic& d) {
        return d.severity == Severity::Error;
      });
      if (withData && plans) {
        std::vector<Diagnostic> data = dataDiagnostics(*compilation, dataPaths, fileDataErrors);
        more.insert(more.end(), data.begin(), data.end());
      }
      for (Diagnostic& d : more) {
        (d.severity == Severity::Error ? errors : warnings) += 1;
        diagnostics.push_back(std::move(d));
      }
      if (proveChecks && plans)
        for (const ast::FrameworkDecl* framework : frameworksInOrder(*compilation)) {
          DiagnosticSink sink;
          if (auto plan = lowerFramework(*compilation, *framework, sink); plan) {
            std::vector<prove::CheckProof> answers =
                prove::proveChecks(*plan, proveSettings.options);
            testing::confirmCounterexamples(*compilation, answers, options);
            const std::vector<DeclaredAt> positions =
                answerPositions(*compilation, *framework, answers);
            proofs.add(plan->frameworkName, answers, positions);
          }
        }
    }
    // A file's data errors come before its diagnostics, as the text format always printed them.
    for (const std::string& error : fileDataErrors)
      report->addDataError(error);
    dataErrors += fileDataErrors.size();
    report->addDiagnostics(diagnostics, compilation->sources);
    if (dumpAst && compilation->ok() && !compilation->modules.empty())
      std::fputs(ast::dumpModule(*compilation->modules.front(), compilation->sources).c_str(),
                 stdout);
    // The process ends right after the last file: freeing its tree node by node is wasted
    // work. A static pointer keeps it reachable, so leak checkers see no leak.
    [[maybe_unused]] static Compilation* keptUntilExit = nullptr;
    if (&file == &files.back())
      keptUntilExit = compilation.release();
  }
  report->finish(errors, warnings);
  if (proveChecks)
    proofs.finish();
  if (errors > 0 || (werror && warnings > 0))
    return kExitCompileError;
  // A refuted check is an error (language.md's table); an unknown one only when asked.
  if (proofs.refuted() > 0 || (failUnknown && proofs.unknown() > 0))
    return kExitCompileError;
  return dataErrors > 0 ? kExitDataError : kExitOk;
}

int diagnosticsCommand(const std::vector<std::string>&) {
  for (DiagKind kind : allDiagKinds()) {
    const DiagKindInfo& info = diagKindInfo(kind);
    std::printf("%-28.*s %-8s %.*s\n", static_cast<int>(info.name.size()), info.name.data(),
                info.severity == Severity::Error ? "error" : "warning",
                static_cast<int>(info.summary.size()), info.summary.data());
  }
  return kExitOk;
}

} // namespace fulcrum::cli
