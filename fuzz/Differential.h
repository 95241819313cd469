// The differential comparison behind both fuzz drivers (libFuzzer's differential_fuzz and the
// standalone fulcrum-differential): compile a random case once, run it with the JIT and with
// the interpreter over the same CSV files, and require byte-identical outputs.
#pragma once

#include "fuzz/RandomFramework.h"

#include <string>

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

// Runs `randomCase` on both engines; its CSV files are written into `workDirectory` (created
// if missing; the files are removed afterwards).
DifferentialOutcome compareEngines(const RandomCase& randomCase, const std::string& workDirectory);

// The case as text: the program, then each data file and each run, for a failure report.
std::string describeCase(const RandomCase& randomCase);

} // namespace fulcrum::fuzz
