// Running a file's `test` blocks: what `fulcrum test` and the C API's fulcrum_program_test share.
// Each test runs on its own rows (TestData.h), on the engines asked for, which must agree, and
// its results are matched against its expectations (TestExpectations.h).
#pragma once

#include "compiler/driver/Compilation.h"
#include "testing/Coverage.h"
#include "testing/TestResults.h"

#include <string>

namespace fulcrum::testing {

struct TestRunOptions {
  bool jit = true, interpreter = true; // the engines each test runs on
  std::string onlyTitle;               // not empty: only the test of this title runs
};

// Runs the test blocks of `compilation`'s root file (`path` as reports name it). What the CLI
// prints on stderr (the compilation's diagnostics, engine warnings, frameworks that cannot be
// made) is appended to `log`; with `coverage`, what the tests exercised is added to it.
TestFileResult runTestFile(const std::string& path, const Compilation& compilation,
                           const TestRunOptions& options, Coverage* coverage, std::string& log);

} // namespace fulcrum::testing
