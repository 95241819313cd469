// The differential comparison behind both fuzz drivers (libFuzzer's differential_fuzz and the
// standalone fulcrum-differential): compile a random case once, run it with the JIT and with
// the interpreter over one load of its CSV files, and require byte-identical outputs.
#pragma once

#include "fuzz/RandomFramework.h"

#include <cstddef>
#include <list>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

namespace fulcrum::fuzz {

enum class Verdict {
  Agree,   // every run gave the same output on both engines
  Skipped, // the back end does not run the program yet (NotSupportedYet)
  Failed,  // the engines disagree, the JIT fell back, or the generator's program is wrong
};

struct DifferentialOutcome {
  Verdict verdict = Verdict::Agree;
  std::string skipReason;   // Skipped: the NotSupportedYet message
  std::string report;       // Failed: what went wrong, the program, its data and the difference
  size_t runs = 0;          // evaluations compared
  size_t evaluatedRuns = 0; // of those, the ones that loaded and evaluated (status ok)
};

// One program compiled for both engines, ready to run over any data.
struct CompiledEngines;

// Compiles `randomCase`'s program for the interpreter and the JIT. Null when it cannot be
// compared; `outcome` then says why (Skipped or Failed). Compiling is most of a case's cost.
std::shared_ptr<const CompiledEngines> compileEngines(const RandomCase& randomCase,
                                                      DifferentialOutcome& outcome);

// Runs every run of `randomCase` on both engines of `engines`, which must have been compiled
// from the same program; its CSV files are written into `workDirectory` (created if missing;
// the files are removed afterwards).
DifferentialOutcome runEngines(const CompiledEngines& engines, const RandomCase& randomCase,
                               const std::string& workDirectory);

// compileEngines, then runEngines.
DifferentialOutcome compareEngines(const RandomCase& randomCase, const std::string& workDirectory);

// The last few programs compiled, by program text, so that inputs that differ only in their data
// (most of libFuzzer's mutations: the generator draws the program first) skip compiling.
class EngineCache {
public:
  explicit EngineCache(size_t capacity) : capacity_(capacity) {}
  DifferentialOutcome compare(const RandomCase& randomCase, const std::string& workDirectory);
  size_t hits() const { return hits_; }
  size_t misses() const { return misses_; }

private:
  struct Entry {
    std::string key;
    std::shared_ptr<const CompiledEngines> engines;
  };
  size_t capacity_;
  std::list<Entry> recent_; // most recently used first
  // recent_'s entries by key (views of the keys in the list's nodes, which never move).
  std::unordered_map<std::string_view, std::list<Entry>::iterator> byKey_;
  size_t hits_ = 0, misses_ = 0;
};

// The case as text: the program, then each data file and each run, for a failure report.
std::string describeCase(const RandomCase& randomCase);

} // namespace fulcrum::fuzz
