// `fulcrum check --prove`: every `check` of a framework proved or refuted for all possible inputs
// with the Z3 SMT solver, over the framework's typed plan. Z3 stays inside compiler/prove/: this
// header and its results hold no solver type, and no solver exception leaves it.
#pragma once

#include "runtime/plan/Plan.h"

#include <optional>
#include <string>
#include <vector>

namespace fulcrum::prove {

enum class Verdict { Proved, Refuted, Unknown };

// "proved", "refuted", "unknown".
const char* verdictName(Verdict verdict);

// One value of a counterexample, as people read values (`100%`, `$150,000`, `"pip"`).
struct ShownValue {
  std::string name;
  std::string value;
};

// What an answer is about: a written check, or a question asked of every framework without one.
enum class Question {
  Check,          // `check "LABEL": ...`: proved means it holds for every subject
  ComponentRange, // a score component (`llr.results`): proved means its value before clamping
                  // stays in [0, 1], so that clamping is never silent
  BandTotal,      // a band (`outcome`): proved means every input with its arms' conditions
                  // present takes an arm (or the `else`), so no gap leaves it missing
  DivisionByZero, // a division of a member not declared `T?`: proved means no input makes its
                  // divisor 0 with the member's value then missing
};

// Values between two ends of the number line, either unbounded, each end in or not: a band's gap.
struct GapInterval {
  std::optional<double> low, high;
  bool lowIn = false, highIn = false;
  // Whether `x` lies within, compared as the engines compare doubles.
  bool holds(double x) const {
    return (!low || (lowIn ? x >= *low : x > *low)) && (!high || (highIn ? x <= *high : x < *high));
  }
};

struct CheckProof {
  std::string check; // its label, the component's or the band's name, or the division as written
  // BandTotal, refuted: the values of the band's input that no arm takes and some input reaches
  // (`llr in [2.5, 2.75)`), when the arms test one value; empty when they test several.
  std::string gap;
  // The same gaps as intervals of the tested value, node `gapNode` of formula stage `gapStage`
  // (its trace, runtime/exec/Trace.h): a run that leaves the band missing with every condition
  // present and false has that value within one of them.
  std::vector<GapInterval> gapIntervals;
  int32_t gapStage = -1;
  uint32_t gapNode = 0;
  // DivisionByZero: the member it is written in, and where (its `/`).
  std::string member;
  std::string file;
  uint32_t line = 0, column = 0;
  int32_t division = -1; // DivisionByZero: its index in Plan::divisions
  Question question = Question::Check;
  Verdict verdict = Verdict::Unknown;
  std::string reason; // why it is unknown
  double milliseconds = 0;
  // Refuted: the framework's output columns, in order, for one subject that breaks the check.
  std::vector<ShownValue> counterexample;
  // Refuted, when rows that break the check were found: a `test` block of them that expects the
  // violation (ready to paste after the framework), its title and the subject's key. `reason`
  // says "unconfirmed: ..." until the engines have run it (confirmCounterexamples,
  // testing/ConfirmCounterexample.h); without rows, it says why none were built. A check's
  // refutation that the engines do not confirm is unknown in the end (its values and block are
  // kept, for the reader).
  std::string testBlock;
  std::string testTitle;
  std::string subject;
};

// `text` as the language writes a string literal (a test block's title, a text value).
std::string quotedText(const std::string& text);

// The reason of a refutation whose test block the engines have not run yet.
extern const char* const kNotYetRun;

struct ProveOptions {
  unsigned timeoutMs = 10000; // per check
  // `--prove-params`: params free within their declared ranges (unranged: any value), not fixed
  // at their declared values.
  bool freeParams = false;
};

// Every check of `plan`, in declaration order, then every score component's range
// (Question::ComponentRange), in the order of Plan::clamps, then every band's totality
// (Question::BandTotal, bands that are a `case` or an `if`, in declaration order), then every
// division by something other than a non-zero constant in a member not declared `T?`
// (Question::DivisionByZero, in the order of Plan::divisions).
std::vector<CheckProof> proveChecks(const runtime::Plan& plan, const ProveOptions& options);

} // namespace fulcrum::prove
