// The solver's view of plan nodes (internal to compiler/prove/): every value is a real `value`
// and a boolean `present` (missing = not present), following the reference interpreter
// (runtime/exec/EvaluateNodes.cpp) operation by operation, over exact rationals.
#pragma once

#include "runtime/plan/Plan.h"

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>
#include <z3++.h>

namespace fulcrum::prove {

// What a value depends on beyond exact arithmetic: a refutation that leans on such a value may
// not be real, so it is reported as unknown (a proof stays sound: these are free values).
enum Approximation : uint8_t {
  kExact = 0,
  kUninterpreted = 1,  // decay, ^: a value in their range, not the function
  kAcrossSubjects = 2, // a peer aggregate, a rank, another framework's output: a free value
  kCalendar = 4,       // a period's days, working days, months added to a date: a free value
  // Not an approximation of the encoding's: the engines' double may differ from this exact value
  // by rounding (arithmetic, an average, a non-integer constant). Only loosened comparisons read
  // it (Encoder::loosenComparisons); a refutation does not.
  kRounded = 8,
  // Not an approximation either: the value depends on an aggregate, whose facts do not tie it to
  // rows the way data would (a counterexample may be values no data set produces).
  kAggregate = 16,
  // An aggregate that a counterexample's rows do not compute (first, last, median): a free value
  // there (CounterexampleRows.cpp).
  kNotFromRows = 32,
};

struct SymValue {
  z3::expr value;
  z3::expr present;
  uint8_t approximations = kExact;
};

// A real numeral equal to the shortest decimal that reads back as `value` (0.4 for 40%).
z3::expr exactReal(z3::context& ctx, double value);

// The encoder of one framework's plan: run parameters fixed at their declared values, and the
// facts (ranges, non-negative counts) collected in `facts` for the solver.
class Encoder {
public:
  Encoder(z3::context& ctx, const runtime::Plan& plan);

  z3::context& ctx() { return ctx_; }
  const runtime::Plan& plan() const { return plan_; }
  std::vector<z3::expr>& facts() { return facts_; }

  // A fresh value with the range a plan field declares (bound column `column`).
  SymValue freshColumn(uint32_t column, const std::string& name);
  // The subject's own field that bound column `column` (of the subject's table) reads: one value
  // per field, whichever bound column or reference reads it.
  SymValue subjectField(uint32_t column);
  // Field index -> value, for the subject's fields read so far.
  const std::map<uint32_t, SymValue>& subjectFields() const { return subjectFields_; }
  SymValue runParam(uint32_t index);
  // One run's values of the period, its bounds and windows, the as-of day and working days
  // (runtime::computeRunParams, indexed as Plan::runParams), in place of free values.
  void fixRunParams(std::vector<double> values) { fixedRunParams_ = std::move(values); }
  // Params free within their declared ranges (`--prove-params`), not fixed at their defaults.
  void freeParams() { freeParams_ = true; }
  // Whether user param `index` is a free value (freed, or declaring no default: a number's or a
  // text's, read as runtime::computeRunParams reads it).
  bool paramIsFree(uint32_t index) const { return freeParams_ || !paramDefaults_[index]; }
  // The program's strings, then the text defaults of params that no string of it is: a text
  // value's code indexes it (as the run's string pool does).
  const std::vector<std::string>& strings() const { return strings_; }
  // A value of no known formula: free, present or not, marked with `approximations`.
  SymValue freeValue(const std::string& name, uint8_t approximations);
  // The range bound column `column` declares ([min, max], either open): what the loader
  // enforces. A type implies none (a count field may be negative).
  std::pair<std::optional<double>, std::optional<double>> columnRange(uint32_t column) const;

  // Nodes [begin, end) of `nodes`, appended to `out` (indexed as the nodes are); `leaf`
  // answers the nodes that read the context (columns, slots, aggregates).
  using LeafFn = std::function<SymValue(const runtime::PNode&)>;
  // From now on, a comparison of values within a relative 1e-9 of each other is a free boolean:
  // what is proved then holds with a margin, whatever the engines' rounding.
  void loosenComparisons();
  bool loose() const { return loose_; }
  void encode(const std::vector<runtime::PNode>& nodes, uint32_t begin, uint32_t end,
              const LeafFn& leaf, std::vector<std::optional<SymValue>>& out);

private:
  SymValue op(const runtime::PNode& n, uint32_t index,
              const std::vector<std::optional<SymValue>>& out);
  void powerFacts(const SymValue& v, const SymValue& base, const std::optional<SymValue>& exponent);
  z3::expr num(int v) { return ctx_.real_val(v); }
  z3::expr compared(const z3::expr& exact, const SymValue& x, const SymValue& y);
  z3::expr isZero(const SymValue& x);
  z3::expr perturbed(const SymValue& x);
  z3::expr magnitude(const z3::expr& x);
  z3::expr within(const SymValue& v, int exponent);
  z3::expr fitsDouble(const z3::expr& aSmall, const z3::expr& bSmall);
  static constexpr int kBig = 150, kTiny = -150;
  z3::expr roundHalfAway(const z3::expr& x);
  z3::expr floorOf(const z3::expr& x);
  std::string freshName(const std::string& base);

  z3::context& ctx_;
  const runtime::Plan& plan_;
  std::vector<z3::expr> facts_;
  std::vector<std::optional<double>> paramDefaults_; // indexed as Plan::runParams
  std::vector<std::string> strings_;
  std::map<uint32_t, SymValue> runParams_;
  std::vector<double> fixedRunParams_;
  std::map<uint32_t, SymValue> subjectFields_;
  unsigned fresh_ = 0;
  bool loose_ = false;
  bool freeParams_ = false;
};

} // namespace fulcrum::prove
