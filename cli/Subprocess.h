// Runs a program with an argument vector (no shell, so no argument is ever interpreted) and
// collects everything it writes.
#pragma once

#include <string>
#include <vector>

namespace fulcrum::cli {

struct ProcessOutput {
  bool started = false; // false: it could not be run (`error` says why)
  // Its exit status; -1 when a signal ended it, or when its output could not be read to the end
  // or its status could not be had (`error` says why).
  int exitStatus = -1;
  std::string out, err; // everything it wrote to stdout and stderr
  std::string error;
};

// Runs argv[0] (looked up in PATH) with argv, stdin from /dev/null, and waits for it.
ProcessOutput runProcess(const std::vector<std::string>& argv);

} // namespace fulcrum::cli
