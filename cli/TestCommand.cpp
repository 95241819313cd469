// `fulcrum test FILE... [--junit PATH] [--format text|json] [--engine jit|interp|both]
// [--coverage]`: runs every test block of each file on its own rows (cli/TestData.h), by default
// on both engines, which must agree, and matches the results against its expectations
// (cli/TestExpectations.h); with --coverage, also reports what the tests exercised
// (cli/Coverage.h).
// Exit statuses: 0 all pass, 1 a test failed or a file does not compile, 2 a fixture file's data
// error or a JUnit file that cannot be written, 64 usage.
#include "cli/Commands.h"
#include "cli/Coverage.h"
#include "cli/JUnitReport.h"
#include "cli/TestData.h"
#include "cli/TestExpectations.h"
#include "cli/TestReport.h"
#include "compiler/lower/Lower.h"
#include "compiler/lower/MakeProgram.h"
#include "support/AtomicFile.h"

#include <cstdio>
#include <fmt/format.h>
#include <map>
#include <memory>

namespace fulcrum::cli {

namespace {

const char* const kTestUsage = "usage: fulcrum test FILE... [--junit PATH] [--format text|json] "
                               "[--engine jit|interp|both] [--lib DIR]... [--coverage]\n";

struct TestOptions {
  std::vector<std::string> files;
  std::string junit;
  bool json = false;
  bool jit = true, interpreter = true;
  bool coverage = false;
  CompileOptions compile;
};

int testUsageError(const std::string& message) {
  std::fprintf(stderr, "fulcrum test: %s\n%s", message.c_str(), kTestUsage);
  return kExitUsage;
}

std::optional<int> parseTestOptions(const std::vector<std::string>& args, TestOptions& options) {
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    const bool takesValue =
        arg == "--junit" || arg == "--format" || arg == "--engine" || arg == "--lib";
    if (takesValue && (i + 1 >= args.size() || args[i + 1].rfind("--", 0) == 0))
      return testUsageError(fmt::format("{} needs a value", arg));
    if (arg == "--junit") {
      options.junit = args[++i];
    } else if (arg == "--format") {
      const std::string& format = args[++i];
      if (format != "text" && format != "json")
        return testUsageError("--format is text or json");
      options.json = format == "json";
    } else if (arg == "--engine") {
      const std::string& engine = args[++i];
      if (engine != "jit" && engine != "interp" && engine != "both")
        return testUsageError("--engine is jit, interp or both");
      options.jit = engine != "interp";
      options.interpreter = engine != "jit";
    } else if (arg == "--lib") {
      options.compile.libraryDirs.push_back(args[++i]);
    } else if (arg == "--coverage") {
      options.coverage = true;
    } else if (!arg.empty() && arg[0] == '-') {
      return testUsageError(fmt::format("unknown option `{}`", arg));
    } else {
      options.files.push_back(arg);
    }
  }
  if (options.files.empty())
    return testUsageError("FILE is required");
  return std::nullopt;
}

// A framework's programs, one per engine asked for (the interpreter first: it loads the data,
// and its results are the ones matched, as the interpreter is the oracle for the JIT).
struct Programs {
  std::vector<std::pair<std::string, std::unique_ptr<runtime::Program>>> byEngine;
};

// The file's test blocks, in source order (an imported module's tests are its own file's).
std::vector<const ast::TestDecl*> testsOf(const Compilation& compilation) {
  std::vector<const ast::TestDecl*> tests;
  if (!compilation.modules.empty() && compilation.modules[0])
    for (const ast::DeclPtr& decl : compilation.modules[0]->decls)
      if (decl->is<ast::TestDecl>())
        tests.push_back(&decl->as<ast::TestDecl>());
  return tests;
}

// Makes the programs of every framework the tests name; diagnostics into `errors`.
bool makePrograms(const Compilation& compilation, const std::vector<const ast::TestDecl*>& tests,
                  const TestOptions& options, std::map<std::string, Programs>& programs,
                  std::string& errors) {
  for (const ast::TestDecl* test : tests) {
    const std::string& name = test->framework.name;
    if (programs.count(name))
      continue;
    Programs& made = programs[name];
    std::vector<std::pair<std::string, runtime::EngineKind>> engines;
    if (options.interpreter)
      engines.emplace_back("interp", runtime::EngineKind::Interpreter);
    if (options.jit)
      engines.emplace_back("jit", runtime::EngineKind::Jit);
    for (const auto& [engineName, kind] : engines) {
      DiagnosticSink sink;
      std::string error;
      auto program = makeProgram(compilation, name, kind, sink, error);
      for (const Diagnostic& d : sink.diagnostics())
        errors += renderText(d, compilation.sources);
      if (!program) {
        if (!error.empty())
          errors += fmt::format("fulcrum test: {}\n", error);
        return false;
      }
      for (const std::string& warning : program->warnings())
        std::fprintf(stderr, "fulcrum test: warning: %s\n", warning.c_str());
      made.byEngine.emplace_back(engineName, std::move(program));
    }
  }
  return true;
}

// `path`: the file under test, which with the framework's name identifies its plan in the
// coverage (two files may each declare their own `framework f`).
TestCaseResult runTest(const std::string& path, const ast::TestDecl& test,
                       const Compilation& compilation, const Programs& programs,
                       Coverage* coverage) {
  TestCaseResult result{test.title, test.range.begin.line, {}, {}, false, {}};
  const SourceManager& sources = compilation.sources;
  const runtime::Program& loader = *programs.byEngine.front().second;
  TestDataFolder folder;
  std::string error;
  if (!folder.create(error)) {
    result.errors.push_back("fulcrum test: " + error);
    return result;
  }
  TestInputs inputs = prepareTestInputs(test, loader.plan(), compilation, folder);
  inputs.request.trace.everySubject = coverage != nullptr;
  if (!inputs.errors.empty()) {
    result.errors = inputs.errors;
    return result;
  }
  const runtime::LoadOutcome loaded = loader.load(inputs.request);
  if (loaded.status != runtime::RunStatus::Ok) {
    for (const std::string& message : loaded.errors) {
      bool inRows = false;
      result.errors.push_back(testRowError(message, test.title, inputs, sources, inRows));
      result.dataError = result.dataError || !inRows;
    }
    return result;
  }
  std::vector<std::pair<std::string, runtime::RunResult>> runs;
  for (const auto& [engine, program] : programs.byEngine) {
    runtime::RunResult run = program->run(inputs.request, loaded);
    if (run.status != runtime::RunStatus::Ok) {
      for (const std::string& message : run.errors)
        result.errors.push_back(fmt::format("{}: error: test \"{}\": {}",
                                            locationOf(test.range, sources), test.title, message));
      return result;
    }
    runs.emplace_back(engine, std::move(run));
    result.engines.push_back(engine);
  }
  if (coverage) // the interpreter's run: the one the expectations are matched against
    coverage->addRun(path, loader.plan(), runs.front().second);
  result.failures = checkExpectations(test, runs.front().second, sources);
  if (runs.size() == 2)
    if (auto difference = engineDisagreement(runs[1].second, runs[0].second))
      result.failures.push_back(
          {locationOf(test.range, sources), "engines disagree: " + *difference, ""});
  return result;
}

// Every framework of the file into the coverage, those no test names included (lowered here:
// all their items are missed).
void coverFrameworks(const std::string& path, const Compilation& compilation,
                     const std::map<std::string, Programs>& programs, Coverage& coverage) {
  if (compilation.modules.empty() || !compilation.modules[0])
    return;
  for (const ast::DeclPtr& decl : compilation.modules[0]->decls) {
    if (!decl->is<ast::FrameworkDecl>())
      continue;
    const auto& framework = decl->as<ast::FrameworkDecl>();
    if (auto it = programs.find(framework.name.name); it != programs.end()) {
      coverage.addPlan(path, it->second.byEngine.front().second->plan());
      continue;
    }
    DiagnosticSink sink;
    if (auto plan = lowerFramework(compilation, framework, sink))
      coverage.addPlan(path, *plan);
  }
}

TestFileResult runFile(const std::string& path, const TestOptions& options, Coverage* coverage) {
  TestFileResult result;
  result.file = path;
  const std::shared_ptr<Compilation> compilation = compileFile(path, options.compile);
  for (const Diagnostic& d : compilation->diagnostics.diagnostics()) {
    const std::string text = renderText(d, compilation->sources);
    std::fputs(text.c_str(), stderr);
    if (!compilation->ok())
      result.compileErrors += text;
  }
  const std::vector<const ast::TestDecl*> tests = testsOf(*compilation);
  std::map<std::string, Programs> programs;
  std::string planErrors;
  if (compilation->ok() && !makePrograms(*compilation, tests, options, programs, planErrors)) {
    std::fputs(planErrors.c_str(), stderr);
    result.compileErrors = planErrors.empty() ? "a framework cannot be made\n" : planErrors;
  }
  for (const ast::TestDecl* test : tests) {
    if (!result.compileErrors.empty())
      result.tests.push_back(
          TestCaseResult{test->title, test->range.begin.line, {}, {}, false, {}});
    else
      result.tests.push_back(
          runTest(path, *test, *compilation, programs[test->framework.name], coverage));
  }
  if (coverage && compilation->ok() && result.compileErrors.empty())
    coverFrameworks(path, *compilation, programs, *coverage);
  else if (coverage)
    coverage->addFileWithErrors(path);
  return result;
}

} // namespace

int testCommand(const std::vector<std::string>& args) {
  TestOptions options;
  if (auto status = parseTestOptions(args, options))
    return *status;
  std::vector<TestFileResult> files;
  Coverage coverage;
  for (const std::string& path : options.files)
    files.push_back(runFile(path, options, options.coverage ? &coverage : nullptr));
  std::string report;
  if (options.json) {
    const nlohmann::ordered_json covered = coverage.json();
    report = testReportJson(files, options.coverage ? &covered : nullptr);
  } else {
    report = testReportText(files) + (options.coverage ? coverage.text() : "");
  }
  std::fwrite(report.data(), 1, report.size(), stdout);

  bool dataError = false;
  for (const TestFileResult& file : files)
    for (const TestCaseResult& test : file.tests)
      dataError = dataError || test.dataError;
  if (!options.junit.empty()) {
    std::string error;
    if (!writeFileAtomically(options.junit, junitXml(files), AtomicFile::Access::Output, error)) {
      std::fprintf(stderr, "fulcrum test: cannot write `%s`: %s\n", options.junit.c_str(),
                   error.c_str());
      return kExitDataError;
    }
  }
  if (dataError)
    return kExitDataError;
  const TestCounts counts = countTests(files);
  return counts.failed || counts.filesWithErrors ? kExitCompileError : kExitOk;
}

} // namespace fulcrum::cli
