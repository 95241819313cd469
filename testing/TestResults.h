// What `fulcrum test` found, per file and per test block: the values its reports (text, JSON,
// JUnit) are made from.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace fulcrum::testing {

// One expectation that did not hold, or the engines disagreeing.
struct TestFailure {
  std::string location; // file:line:col of the expectation (or of the test block)
  std::string message;  // `Ann attainment: expected 166%, got 150%`
  std::string detail;   // the values behind it (`Ann: won $1,800,000, ...`), or empty
};

struct TestCaseResult {
  std::string title;
  uint32_t line = 0;
  std::vector<TestFailure> failures;
  // The test could not run: its rows do not load, a fixture has a data error. `file:line:col:
  // error: ...` each.
  std::vector<std::string> errors;
  bool dataError = false; // one of the errors is a fixture file's data error (exit status 2)
  std::vector<std::string> engines; // the engines it ran on (`interp`, `jit`), in that order
  bool passed() const { return failures.empty() && errors.empty(); }
};

struct TestFileResult {
  std::string file;
  // The file does not compile: its diagnostics as `fulcrum check` renders them; its tests (as far
  // as they parsed) did not run.
  std::string compileErrors;
  std::vector<TestCaseResult> tests;
};

} // namespace fulcrum::testing
