// Paths for a test's scratch files: in gtest's temporary folder, named after the test and the
// process, so that ctest's side-by-side processes, and two builds' suites run at once, never
// share (and truncate under each other) a file.
#pragma once

#include <gtest/gtest.h>
#include <string>
#include <unistd.h>

namespace fulcrum {

// `TempDir()/fulcrum_<pid>_<what>`.
inline std::string tempPath(const std::string& what) {
  return ::testing::TempDir() + "fulcrum_" + std::to_string(::getpid()) + "_" + what;
}

// The running test's name, for tempPath.
inline std::string currentTestName() {
  return ::testing::UnitTest::GetInstance()->current_test_info()->name();
}

} // namespace fulcrum
