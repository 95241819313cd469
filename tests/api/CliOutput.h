// What `fulcrum ARGS` prints on stdout (stderr dropped), run from the repository root: the C
// API tests' oracle is the CLI run on the same files.
#pragma once

#include <cstdio>
#include <string>

namespace fulcrum::testing {

inline std::string cliOutput(const std::string& args) {
  std::string out;
  const std::string command =
      "cd " FULCRUM_SOURCE_DIR " && " FULCRUM_BINARY " " + args + " 2>/dev/null";
  FILE* pipe = popen(command.c_str(), "r");
  if (!pipe)
    return out;
  char buffer[65536];
  size_t n;
  while ((n = fread(buffer, 1, sizeof buffer, pipe)) > 0)
    out.append(buffer, n);
  pclose(pipe);
  return out;
}

} // namespace fulcrum::testing
