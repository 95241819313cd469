// JUnit XML written by hand: the schema is small and fixed (testsuites, testsuite, testcase,
// failure, error) and every value goes through one escaping function, so an XML library (none is
// a dependency of the project) would add a package and nothing else.
#include "cli/JUnitReport.h"

#include "support/Text.h"

#include <fmt/format.h>

namespace fulcrum::cli {

namespace {

std::string failureText(const TestCaseResult& test) {
  std::string text;
  for (const TestFailure& f : test.failures) {
    text += fmt::format("{}: {}\n", f.location, f.message);
    if (!f.detail.empty())
      text += "  " + f.detail + "\n";
  }
  return text;
}

std::string errorText(const TestCaseResult& test) {
  std::string text;
  for (const std::string& e : test.errors)
    text += e + "\n";
  return text;
}

void testcase(std::string& out, const std::string& file, const TestCaseResult& test,
              const std::string& compileErrors) {
  out += fmt::format("    <testcase classname=\"{0}\" name=\"{1}\" file=\"{0}\" line=\"{2}\"",
                     markupEscaped(file), markupEscaped(test.title), test.line);
  if (test.passed() && compileErrors.empty()) {
    out += "/>\n";
    return;
  }
  out += ">\n";
  if (!compileErrors.empty())
    out += fmt::format("      <error message=\"{}\" type=\"compile\">{}</error>\n",
                       markupEscaped(file + " does not compile"), markupEscaped(compileErrors));
  if (!test.errors.empty())
    out += fmt::format("      <error message=\"{}\" type=\"{}\">{}</error>\n",
                       markupEscaped(test.errors.front()), test.dataError ? "data" : "rows",
                       markupEscaped(errorText(test)));
  if (!test.failures.empty())
    out +=
        fmt::format("      <failure message=\"{}\" type=\"expectation\">{}</failure>\n",
                    markupEscaped(test.failures.front().message), markupEscaped(failureText(test)));
  out += "    </testcase>\n";
}

} // namespace

std::string junitXml(const std::vector<TestFileResult>& files) {
  size_t tests = 0, failures = 0, errors = 0;
  std::string suites;
  for (const TestFileResult& file : files) {
    const bool compiles = file.compileErrors.empty();
    // A file that does not compile and whose tests did not parse still shows, as one case.
    std::vector<TestCaseResult> cases = file.tests;
    if (cases.empty() && !compiles)
      cases.push_back(TestCaseResult{file.file, 1, {}, {}, false, {}});
    size_t fileFailures = 0, fileErrors = 0;
    for (const TestCaseResult& test : cases) {
      if (!compiles || !test.errors.empty())
        ++fileErrors;
      else if (!test.failures.empty())
        ++fileFailures;
    }
    suites += fmt::format(
        "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"{}\" skipped=\"0\">\n",
        markupEscaped(file.file), cases.size(), fileFailures, fileErrors);
    for (const TestCaseResult& test : cases)
      testcase(suites, file.file, test, file.compileErrors);
    suites += "  </testsuite>\n";
    tests += cases.size();
    failures += fileFailures;
    errors += fileErrors;
  }
  return fmt::format("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                     "<testsuites name=\"fulcrum test\" tests=\"{}\" failures=\"{}\" "
                     "errors=\"{}\">\n{}</testsuites>\n",
                     tests, failures, errors, suites);
}

} // namespace fulcrum::cli
