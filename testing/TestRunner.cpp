// Running a file's test blocks (see TestRunner.h): the programs each test's framework needs, one
// per engine, each test's rows loaded once and run on every engine, the expectations matched.
#include "testing/TestRunner.h"

#include "compiler/lower/Lower.h"
#include "compiler/lower/MakeProgram.h"
#include "testing/TestData.h"
#include "testing/TestExpectations.h"

#include <fmt/format.h>
#include <map>
#include <memory>

namespace fulcrum::testing {

namespace {

// A framework's programs, one per engine asked for (the interpreter first: it loads the data,
// and its results are the ones matched, as the interpreter is the oracle for the JIT).
struct Programs {
  std::vector<std::pair<std::string, std::unique_ptr<runtime::Program>>> byEngine;
};

// The file's test blocks, in source order (an imported module's tests are its own file's).
std::vector<const ast::TestDecl*> testsOf(const Compilation& compilation,
                                          const std::string& onlyTitle) {
  std::vector<const ast::TestDecl*> tests;
  if (!compilation.modules.empty() && compilation.modules[0])
    for (const ast::DeclPtr& decl : compilation.modules[0]->decls)
      if (decl->is<ast::TestDecl>() &&
          (onlyTitle.empty() || decl->as<ast::TestDecl>().title == onlyTitle))
        tests.push_back(&decl->as<ast::TestDecl>());
  return tests;
}

// Makes the programs of every framework the tests name; diagnostics into `errors`.
bool makePrograms(const Compilation& compilation, const std::vector<const ast::TestDecl*>& tests,
                  const TestRunOptions& options, std::map<std::string, Programs>& programs,
                  std::string& errors, std::string& log) {
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
        log += fmt::format("fulcrum test: warning: {}\n", warning);
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

} // namespace

TestFileResult runTestFile(const std::string& path, const Compilation& compilation,
                           const TestRunOptions& options, Coverage* coverage, std::string& log) {
  TestFileResult result;
  result.file = path;
  for (const Diagnostic& d : compilation.diagnostics.diagnostics()) {
    const std::string text = renderText(d, compilation.sources);
    log += text;
    if (!compilation.ok())
      result.compileErrors += text;
  }
  const std::vector<const ast::TestDecl*> tests = testsOf(compilation, options.onlyTitle);
  std::map<std::string, Programs> programs;
  std::string planErrors;
  if (compilation.ok() && !makePrograms(compilation, tests, options, programs, planErrors, log)) {
    log += planErrors;
    result.compileErrors = planErrors.empty() ? "a framework cannot be made\n" : planErrors;
  }
  for (const ast::TestDecl* test : tests) {
    if (!result.compileErrors.empty())
      result.tests.push_back(
          TestCaseResult{test->title, test->range.begin.line, {}, {}, false, {}});
    else
      result.tests.push_back(
          runTest(path, *test, compilation, programs[test->framework.name], coverage));
  }
  if (coverage && compilation.ok() && result.compileErrors.empty())
    coverFrameworks(path, compilation, programs, *coverage);
  else if (coverage)
    coverage->addFileWithErrors(path);
  return result;
}

} // namespace fulcrum::testing
