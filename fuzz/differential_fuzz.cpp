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
// bytes. A failure found on a cached program reproduces from its input alone.
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

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace fulcrum::fuzz;
  const RandomCase randomCase = drawCase(data, size);
  static EngineCache ownPrograms(256), pooledPrograms(kPoolPrograms);
  EngineCache& cache = ownProgram(data, size) ? ownPrograms : pooledPrograms;
  const DifferentialOutcome outcome = cache.compare(randomCase, workDirectory());
  if (outcome.verdict == Verdict::Failed) {
    std::fprintf(stderr, "differential_fuzz: %s\n", outcome.report.c_str());
    std::abort();
  }
  return 0;
}
