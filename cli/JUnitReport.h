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

// `text` with &, <, >, " and ' as entities, and the characters XML 1.0 cannot hold at all
// (control characters other than tab and line breaks) as U+FFFD.
std::string xmlEscaped(const std::string& text);

} // namespace fulcrum::cli
