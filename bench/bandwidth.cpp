// fulcrum-bandwidth: one core's memory read bandwidth, measured with a plain sum over arrays laid
// out like the activity scan's columns (int32 rep, int32 day, int32 kind code, and one uint8
// validity array for each). bench/run.py compares the JIT's single-thread scan with it. Prints
// one JSON line: {"rows", "bytes", "passes", "seconds" (best pass), "gb_per_s", "checksum"}.
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

struct ActivityColumns {
  std::vector<int32_t> rep, day, kind;
  std::vector<uint8_t> repValid, dayValid, kindValid;

  explicit ActivityColumns(size_t rows)
      : rep(rows), day(rows), kind(rows), repValid(rows), dayValid(rows), kindValid(rows) {
    // Values like the generator's (a few thousand reps, a few years of days, five kinds), written
    // so that every page is touched before timing starts.
    uint32_t state = 12345;
    for (size_t i = 0; i < rows; ++i) {
      state = state * 1664525u + 1013904223u;
      rep[i] = static_cast<int32_t>(state % 6000);
      day[i] = static_cast<int32_t>(16800 + (i * 1100) / rows);
      kind[i] = static_cast<int32_t>((state >> 16) % 5);
      repValid[i] = dayValid[i] = kindValid[i] = 1;
    }
  }

  size_t bytes() const { return rep.size() * (3 * sizeof(int32_t) + 3 * sizeof(uint8_t)); }
};

// Reads every byte of every column once: a sum the compiler can vectorise, no stores.
uint64_t sumColumns(const ActivityColumns& columns) {
  const size_t rows = columns.rep.size();
  const int32_t* rep = columns.rep.data();
  const int32_t* day = columns.day.data();
  const int32_t* kind = columns.kind.data();
  const uint8_t* repValid = columns.repValid.data();
  const uint8_t* dayValid = columns.dayValid.data();
  const uint8_t* kindValid = columns.kindValid.data();
  uint64_t wordSum = 0;
  uint32_t validSum = 0;
  for (size_t i = 0; i < rows; ++i) {
    wordSum += static_cast<uint32_t>(rep[i]) + static_cast<uint32_t>(day[i]) +
               static_cast<uint32_t>(kind[i]);
    validSum += static_cast<uint32_t>(repValid[i]) + dayValid[i] + kindValid[i];
  }
  return wordSum + validSum;
}

int usage() {
  std::fprintf(stderr, "usage: fulcrum-bandwidth [--rows N] [--passes P]\n");
  return 2;
}

} // namespace

int main(int argc, char** argv) {
  size_t rows = 10'000'000;
  int passes = 7;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--rows" && i + 1 < argc) {
      rows = std::strtoull(argv[++i], nullptr, 10);
    } else if (arg == "--passes" && i + 1 < argc) {
      passes = std::atoi(argv[++i]);
    } else {
      return usage();
    }
  }
  if (rows == 0 || passes < 1)
    return usage();

  const ActivityColumns columns(rows);
  double best = 1e300;
  uint64_t checksum = 0;
  for (int pass = 0; pass < passes; ++pass) {
    const auto start = Clock::now();
    checksum ^= sumColumns(columns);
    best = std::min(best, std::chrono::duration<double>(Clock::now() - start).count());
  }
  const double bytes = static_cast<double>(columns.bytes());
  std::printf("{\"rows\": %zu, \"bytes\": %.0f, \"passes\": %d, \"seconds\": %.6f, "
              "\"gb_per_s\": %.3f, \"checksum\": %llu}\n",
              rows, bytes, passes, best, bytes / best / 1e9,
              static_cast<unsigned long long>(checksum));
  return 0;
}
