// `fulcrum test --junit PATH`: JUnit XML as CI systems read it. One <testsuite> per file, one
// <testcase classname="FILE" name="TITLE" file="FILE" line="N"> per test block, a <failure> per
// test whose expectations failed or whose engines disagreed, an <error> per test that could not
// run and for each test of a file that does not compile.
#pragma once

#include "testing/TestResults.h"

#include <string>
#include <vector>

namespace fulcrum::cli {

using testing::TestCaseResult;
using testing::TestFailure;
using testing::TestFileResult;

std::string junitXml(const std::vector<TestFileResult>& files);

} // namespace fulcrum::cli
