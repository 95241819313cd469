// `fulcrum test`'s report on stdout: text (a line per failure, then `N passed, M failed`) or JSON.
#pragma once

#include "testing/TestResults.h"

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace fulcrum::testing {

struct TestCounts {
  size_t passed = 0, failed = 0, filesWithErrors = 0;
};
TestCounts countTests(const std::vector<TestFileResult>& files);

// Per failure `file:line:col: test "TITLE": MESSAGE` and the values behind it indented below;
// per test that could not run its errors; then the summary line.
std::string testReportText(const std::vector<TestFileResult>& files);
// {"passed", "failed", "files_with_errors", "files": [{"file", "compile_errors", "tests":
// [{"title", "line", "passed", "engines", "failures": [{"location", "message", "detail"}],
// "errors"}]}]}, and "coverage" (testing/Coverage.h) when one is given.
std::string testReportJson(const std::vector<TestFileResult>& files,
                           const nlohmann::ordered_json* coverage = nullptr);

} // namespace fulcrum::testing
