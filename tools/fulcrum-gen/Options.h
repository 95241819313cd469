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
  uint32_t accounts = 0;   // 0: 12 to 28 per rep, drawn per rep; else exactly this many
  std::optional<uint64_t> events;
  uint64_t pipeline = 0; // rows of the deals shape's sales_pipeline.csv; 0: the activity shape //
                         // rows of events.csv; none: 15 per account (World::events)
  DayNumber start = 0;
  DayNumber end = 0;
  unsigned threads = 0; // worker threads generating blocks
};

// Parses argv; on bad input prints a message to stderr and returns nullopt with `exitCode` set
// (0 for --help, 2 for an error).
std::optional<Options> parseOptions(int argc, char** argv, int& exitCode);

} // namespace fulcrum::gen
