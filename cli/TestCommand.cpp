// `fulcrum test FILE... [--junit PATH] [--format text|json] [--engine jit|interp|both]
// [--coverage]`: runs every test block of each file on its own rows (testing/TestData.h), by
// default on both engines, which must agree, and matches the results against its expectations
// (testing/TestExpectations.h); with --coverage, also reports what the tests exercised
// (testing/Coverage.h).
// Exit statuses: 0 all pass, 1 a test failed or a file does not compile, 2 a fixture file's data
// error or a JUnit file that cannot be written, 64 usage.
#include "cli/Commands.h"
#include "cli/JUnitReport.h"
#include "support/AtomicFile.h"
#include "testing/Coverage.h"
#include "testing/TestReport.h"
#include "testing/TestRunner.h"

#include <cstdio>
#include <fmt/format.h>
#include <map>
#include <memory>

namespace fulcrum::cli {

using namespace fulcrum::testing;

namespace {

const char* const kTestUsage = "usage: fulcrum test FILE... [--junit PATH] [--format text|json] "
                               "[--engine jit|interp|both] [--lib DIR]... [--coverage]\n";

struct TestOptions {
  std::vector<std::string> files;
  std::string junit;
  bool json = false;
  TestRunOptions engines;
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
      options.engines.jit = engine != "interp";
      options.engines.interpreter = engine != "jit";
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

TestFileResult runFile(const std::string& path, const TestOptions& options, Coverage* coverage) {
  const std::shared_ptr<Compilation> compilation = compileFile(path, options.compile);
  std::string log; // diagnostics and warnings, on stderr
  TestFileResult result = runTestFile(path, *compilation, options.engines, coverage, log);
  std::fputs(log.c_str(), stderr);
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
