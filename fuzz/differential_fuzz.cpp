// Fuzz target 3: bytes -> a random well-typed framework and its data (fuzz/RandomFramework.h),
// run on the JIT and on the interpreter (fuzz/Differential.h). Any disagreement, a JIT that
// falls back to the interpreter, or a generated program the checker rejects aborts, so that
// libFuzzer keeps the input; the report on stderr holds the program, the data and the diff.
//
// A JIT compilation costs tens of milliseconds and a run over new data well under one, so the
// input's first byte picks one of two shapes:
//   below kProgramShare: the rest of the input draws the program, then its data and runs;
//   otherwise:           the next two bytes pick one of kPoolPrograms seeded programs (the
//                        programs of `fulcrum-differential --seeds 1..kPoolPrograms`) and the
//                        rest draws their data and runs.
// Compiled programs are kept by text (EngineCache), so the second shape compiles each program
// once per process and the first compiles again only when a mutation reaches the program's own
// bytes, which the custom mutator below lets about one execution in ten do. A failure found on a
// cached program reproduces from its input alone.
#include "fuzz/ByteSource.h"
#include "fuzz/Differential.h"
#include "fuzz/RandomFramework.h"

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <unistd.h>

namespace {

constexpr uint8_t kProgramShare = 64; // of 256: a quarter of new inputs bring their own program
constexpr uint32_t kPoolPrograms = 512;
// Programs of inputs that bring their own, kept compiled. libFuzzer picks corpus inputs all over
// a corpus that grows into the thousands: with 256 kept, an 8,367-input corpus compiled again on
// 30% of its own-program executions (207/s; 330/s with 4,096). Keeping 4,096, a process
// levelled off at 650 MB over a 6,600 s run, inside run.py's -rss_limit_mb.
constexpr size_t kOwnPrograms = 4096;

// One folder per fuzzing process for the case's CSV files (in memory when /dev/shm exists).
const std::string& workDirectory() {
  static const std::string directory = [] {
    const char* base = std::getenv("TMPDIR");
    std::string root = base && *base ? base : "/tmp";
    if (!base && std::filesystem::is_directory("/dev/shm"))
      root = "/dev/shm";
    return root + "/fulcrum-differential-fuzz-" + std::to_string(getpid());
  }();
  return directory;
}

// The first shape: the input brings its own program.
bool ownProgram(const uint8_t* data, size_t size) {
  return size == 0 || data[0] < kProgramShare;
}

fulcrum::fuzz::RandomCase drawCase(const uint8_t* data, size_t size) {
  using namespace fulcrum::fuzz;
  if (ownProgram(data, size)) {
    ByteSource random(data + (size ? 1 : 0), size ? size - 1 : 0);
    return generateCase(random);
  }
  const uint32_t pick = size >= 3 ? data[1] | uint32_t(data[2]) << 8 : 0;
  ByteSource program(1 + pick % kPoolPrograms);
  ByteSource rest(data + std::min<size_t>(size, 3), size - std::min<size_t>(size, 3));
  return generateCase(program, rest);
}

struct Caches {
  fulcrum::fuzz::EngineCache own{kOwnPrograms}, pooled{kPoolPrograms};
};
Caches& caches();

// At exit, how the executions split between compiling and only running (run.py prints it).
void reportCaches() {
  const Caches& c = caches();
  std::fprintf(stderr,
               "differential_fuzz: own programs: %zu compiled, %zu run from the cache; pooled "
               "programs: %zu compiled, %zu run from the cache\n",
               c.own.misses(), c.own.hits(), c.pooled.misses(), c.pooled.hits());
}

// The caches, made on first use; the report is registered after them, so it runs before they go.
Caches& caches() {
  static Caches instance;
  static const bool reporting = std::atexit(reportCaches) == 0;
  (void)reporting;
  return instance;
}

} // namespace

extern "C" size_t LLVMFuzzerMutate(uint8_t* data, size_t size, size_t maxSize);

// libFuzzer's own mutations, steered: 31 in 32 mutations of an input that brings its own
// program change only the bytes after the program's (its data, runs and options), so that one
// compilation serves many executions; the rest mutate anywhere, the program included. libFuzzer
// chains a few mutations per execution, so about one execution in ten gets a new program:
// compiling and running then take about equal time.
extern "C" size_t LLVMFuzzerCustomMutator(uint8_t* data, size_t size, size_t maxSize,
                                          unsigned int seed) {
  if (size > 0 && ownProgram(data, size) && seed % 32 != 0) {
    fulcrum::fuzz::ByteSource random(data + 1, size - 1);
    const size_t keep = 1 + fulcrum::fuzz::programBytes(random);
    if (keep < maxSize) {
      if (keep > size) { // the program read zeros past the end: make them real
        std::fill(data + size, data + keep, 0);
        size = keep;
      }
      return keep + LLVMFuzzerMutate(data + keep, size - keep, maxSize - keep);
    }
  }
  return LLVMFuzzerMutate(data, size, maxSize);
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace fulcrum::fuzz;
  const RandomCase randomCase = drawCase(data, size);
  EngineCache& cache = ownProgram(data, size) ? caches().own : caches().pooled;
  const DifferentialOutcome outcome = cache.compare(randomCase, workDirectory());
  if (outcome.verdict == Verdict::Failed) {
    std::fprintf(stderr, "differential_fuzz: %s\n", outcome.report.c_str());
    std::abort();
  }
  return 0;
}
