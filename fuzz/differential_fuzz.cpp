// Fuzz target 3: bytes -> a random well-typed framework and its data (fuzz/RandomFramework.h),
// run on the JIT and on the interpreter (fuzz/Differential.h). Any disagreement, a JIT that
// falls back to the interpreter, or a generated program the checker rejects aborts, so that
// libFuzzer keeps the input; the report on stderr holds the program, the data and the diff.
// Compiled programs are kept by program text (EngineCache): most mutations change only the data,
// and a run over new data costs far less than a JIT compilation. A failure found on a cached
// program reproduces from its input alone, which compiles afresh.
#include "fuzz/ByteSource.h"
#include "fuzz/Differential.h"
#include "fuzz/RandomFramework.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <unistd.h>

namespace {

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

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace fulcrum::fuzz;
  ByteSource random(data, size);
  const RandomCase randomCase = generateCase(random);
  static EngineCache cache(256);
  const DifferentialOutcome outcome = cache.compare(randomCase, workDirectory());
  if (outcome.verdict == Verdict::Failed) {
    std::fprintf(stderr, "differential_fuzz: %s\n", outcome.report.c_str());
    std::abort();
  }
  return 0;
}
