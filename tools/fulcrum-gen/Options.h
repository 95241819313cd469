// The command line of fulcrum-gen: what to generate and where.
#pragma once

#include "support/Calendar.h"

#include <cstdint>
#include <optional>
#include <string>

namespace fulcrum::gen {

struct Options {
  std::string outDir;
  uint64_t seed = 1;
  uint32_t reps = 50;
  uint64_t activities = 0; // 0 until parsed: the default is 2000 per rep
  DayNumber start = 0;
  DayNumber end = 0;
  unsigned threads = 0; // worker threads generating blocks
};

// Parses argv; on bad input prints a message to stderr and returns nullopt with `exitCode` set
// (0 for --help, 2 for an error).
std::optional<Options> parseOptions(int argc, char** argv, int& exitCode);

} // namespace fulcrum::gen
