// fulcrum-differential: the standalone differential fuzzer. Each seed gives one random framework
// and its data (fuzz/RandomFramework.h), run on the JIT and the interpreter (fuzz/Differential.h);
// the first disagreement stops the run with the seed, the program, the data and the diff.
//
//   fulcrum-differential --seeds 1..100000 [--threads N] [--progress]
//   fulcrum-differential --print SEED               the case of one seed, without running it
//   fulcrum-differential --write-seeds DIR 1..40    differential_fuzz seed files (two per seed)
#include "fuzz/ByteSource.h"
#include "fuzz/Differential.h"
#include "fuzz/RandomFramework.h"

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fmt/format.h>
#include <fstream>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <unistd.h>
#include <vector>

namespace {

using namespace fulcrum::fuzz;

constexpr size_t kSeedFileBytes = 4096; // the libFuzzer target's MAX_LEN

struct SeedRange {
  uint64_t first = 1, last = 1000;
};

bool parseRange(const std::string& text, SeedRange& range) {
  const size_t dots = text.find("..");
  try {
    if (dots == std::string::npos) {
      range.first = range.last = std::stoull(text);
    } else {
      range.first = std::stoull(text.substr(0, dots));
      range.last = std::stoull(text.substr(dots + 2));
    }
  } catch (...) {
    return false;
  }
  return range.first <= range.last;
}

int usage(const char* message) {
  std::fprintf(stderr,
               "fulcrum-differential: %s\n"
               "usage: fulcrum-differential --seeds FIRST..LAST [--threads N] [--progress]\n"
               "       fulcrum-differential --print SEED\n"
               "       fulcrum-differential --write-seeds DIR FIRST..LAST\n",
               message);
  return 64;
}

// The seed each worker is on, so that a crash says which seed to replay with --print.
constexpr int kMaxWorkers = 64;
std::atomic<uint64_t> inFlight[kMaxWorkers];
int workerCount = 0;

extern "C" void reportCrash(int signal) {
  char line[96];
  for (int w = 0; w < workerCount; ++w) {
    const int length = std::snprintf(line, sizeof line,
                                     "fulcrum-differential: signal %d while "
                                     "running seed %llu\n",
                                     signal, static_cast<unsigned long long>(inFlight[w].load()));
    if (length > 0)
      (void)!write(2, line, static_cast<size_t>(length));
  }
  std::signal(signal, SIG_DFL);
  std::raise(signal);
}

std::string workDirectoryFor(int worker) {
  const char* base = std::getenv("TMPDIR");
  std::string root = base && *base ? base : "/tmp";
  if (!base && std::filesystem::is_directory("/dev/shm"))
    root = "/dev/shm";
  return fmt::format("{}/fulcrum-differential-{}-{}", root, getpid(), worker);
}

int runSeeds(SeedRange range, int threads, bool progress) {
  const auto started = std::chrono::steady_clock::now();
  std::atomic<uint64_t> next{range.first};
  std::atomic<bool> stop{false};
  std::atomic<uint64_t> agreed{0}, runs{0}, evaluated{0};
  std::mutex lock;
  std::map<std::string, uint64_t> skipped;
  std::string failure;
  uint64_t failedSeed = 0;

  workerCount = threads;
  std::signal(SIGSEGV, reportCrash);
  std::signal(SIGABRT, reportCrash);
  std::signal(SIGBUS, reportCrash);
  std::signal(SIGFPE, reportCrash);

  auto work = [&](int worker) {
    const std::string directory = workDirectoryFor(worker);
    while (!stop) {
      const uint64_t seed = next++;
      if (seed > range.last)
        break;
      inFlight[worker] = seed;
      ByteSource random(seed);
      const RandomCase randomCase = generateCase(random);
      const DifferentialOutcome outcome = compareEngines(randomCase, directory);
      runs += outcome.runs;
      evaluated += outcome.evaluatedRuns;
      if (outcome.verdict == Verdict::Agree) {
        const uint64_t done = ++agreed;
        if (progress && done % 1000 == 0)
          std::fprintf(stderr, "... %llu programs agree\n", static_cast<unsigned long long>(done));
      } else {
        std::lock_guard<std::mutex> guard(lock);
        if (outcome.verdict == Verdict::Skipped) {
          ++skipped[outcome.skipReason];
        } else if (failure.empty() || seed < failedSeed) {
          failure = outcome.report;
          failedSeed = seed;
          stop = true;
        }
      }
    }
    std::error_code ignored;
    std::filesystem::remove_all(directory, ignored);
  };
  std::vector<std::thread> workers;
  for (int w = 0; w < threads; ++w)
    workers.emplace_back(work, w);
  for (std::thread& worker : workers)
    worker.join();

  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  uint64_t skips = 0;
  for (const auto& [reason, count] : skipped)
    skips += count;
  std::printf("%llu programs agree on both engines (%llu runs compared, %llu of them loaded and "
              "evaluated), %llu skipped, in %.1f s\n",
              static_cast<unsigned long long>(agreed.load()),
              static_cast<unsigned long long>(runs.load()),
              static_cast<unsigned long long>(evaluated.load()),
              static_cast<unsigned long long>(skips), seconds);
  for (const auto& [reason, count] : skipped)
    std::printf("  skipped %llu: NotSupportedYet: %s\n", static_cast<unsigned long long>(count),
                reason.c_str());
  if (!failure.empty()) {
    std::printf("FAILED at seed %llu (replay: fulcrum-differential --seeds %llu):\n%s\n",
                static_cast<unsigned long long>(failedSeed),
                static_cast<unsigned long long>(failedSeed), failure.c_str());
    return 1;
  }
  return 0;
}

// Two files per seed, one of each of differential_fuzz's input shapes (fuzz/differential_fuzz.cpp):
// own-N, whose bytes draw seed N's case (a leading 0, then the seeded stream), and pool-N, seed
// N's pooled program (a leading 255 and its index) over data drawn from the same stream.
int writeSeeds(const std::string& directory, SeedRange range) {
  std::filesystem::create_directories(directory);
  auto write = [&](const std::string& name, std::vector<uint8_t> prefix, uint64_t seed) {
    const std::vector<uint8_t> bytes = ByteSource::seedBytes(seed, kSeedFileBytes - prefix.size());
    prefix.insert(prefix.end(), bytes.begin(), bytes.end());
    std::ofstream out(fmt::format("{}/{}", directory, name), std::ios::binary);
    out.write(reinterpret_cast<const char*>(prefix.data()),
              static_cast<std::streamsize>(prefix.size()));
    return static_cast<bool>(out);
  };
  for (uint64_t seed = range.first; seed <= range.last; ++seed) {
    const uint64_t index = seed - 1;
    if (!write(fmt::format("own-{}", seed), {0}, seed) ||
        !write(fmt::format("pool-{}", seed),
               {255, static_cast<uint8_t>(index & 0xff), static_cast<uint8_t>(index >> 8 & 0xff)},
               seed))
      return usage("cannot write the seed files");
  }
  return 0;
}

} // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  SeedRange range;
  int threads = 1;
  bool progress = false;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    const bool hasValue = i + 1 < args.size();
    if (arg == "--seeds" && hasValue) {
      if (!parseRange(args[++i], range))
        return usage("--seeds takes FIRST..LAST, like 1..1000");
    } else if (arg == "--threads" && hasValue) {
      threads = std::atoi(args[++i].c_str());
      if (threads < 1 || threads > kMaxWorkers)
        return usage("--threads takes 1 to 64");
    } else if (arg == "--progress") {
      progress = true;
    } else if (arg == "--print" && hasValue) {
      SeedRange one;
      if (!parseRange(args[++i], one))
        return usage("--print takes a seed");
      ByteSource random(one.first);
      std::fputs(describeCase(generateCase(random)).c_str(), stdout);
      return 0;
    } else if (arg == "--write-seeds" && i + 2 < args.size()) {
      SeedRange seeds;
      if (!parseRange(args[i + 2], seeds))
        return usage("--write-seeds takes DIR FIRST..LAST");
      return writeSeeds(args[i + 1], seeds);
    } else {
      return usage(("unknown or incomplete option `" + arg + "`").c_str());
    }
  }
  return runSeeds(range, threads, progress);
}
