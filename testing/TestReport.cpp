// The text and JSON reports of `fulcrum test`.
#include "testing/TestReport.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace fulcrum::testing {

TestCounts countTests(const std::vector<TestFileResult>& files) {
  TestCounts counts;
  for (const TestFileResult& file : files) {
    if (!file.compileErrors.empty()) {
      ++counts.filesWithErrors;
      continue;
    }
    for (const TestCaseResult& test : file.tests)
      ++(test.passed() ? counts.passed : counts.failed);
  }
  return counts;
}

std::string testReportText(const std::vector<TestFileResult>& files) {
  std::string out;
  for (const TestFileResult& file : files)
    for (const TestCaseResult& test : file.tests) {
      for (const std::string& error : test.errors)
        out += error + "\n";
      for (const TestFailure& failure : test.failures) {
        out += fmt::format("{}: test \"{}\": {}\n", failure.location, test.title, failure.message);
        if (!failure.detail.empty())
          out += "  " + failure.detail + "\n";
      }
    }
  const TestCounts counts = countTests(files);
  out += fmt::format("{} passed, {} failed", counts.passed, counts.failed);
  if (counts.filesWithErrors)
    out += fmt::format(", {} file{} with errors", counts.filesWithErrors,
                       counts.filesWithErrors == 1 ? "" : "s");
  return out + "\n";
}

std::string testReportJson(const std::vector<TestFileResult>& files,
                           const nlohmann::ordered_json* coverage) {
  using Json = nlohmann::ordered_json;
  const TestCounts counts = countTests(files);
  Json report = {{"passed", counts.passed},
                 {"failed", counts.failed},
                 {"files_with_errors", counts.filesWithErrors},
                 {"files", Json::array()}};
  for (const TestFileResult& file : files) {
    Json tests = Json::array();
    for (const TestCaseResult& test : file.tests) {
      Json failures = Json::array();
      for (const TestFailure& f : test.failures)
        failures.push_back(
            {{"location", f.location}, {"message", f.message}, {"detail", f.detail}});
      tests.push_back({{"title", test.title},
                       {"line", test.line},
                       {"passed", test.passed() && file.compileErrors.empty()},
                       {"engines", test.engines},
                       {"failures", failures},
                       {"errors", test.errors}});
    }
    report["files"].push_back(
        {{"file", file.file}, {"compile_errors", file.compileErrors}, {"tests", tests}});
  }
  if (coverage)
    report["coverage"] = *coverage;
  // Invalid UTF-8 in a message (a text value from a fixture) is replaced, never a throw.
  return report.dump(2, ' ', false, Json::error_handler_t::replace) + "\n";
}

} // namespace fulcrum::testing
