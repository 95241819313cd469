// Is every band total? For each band that is a `case` (or an `if`), is there an input whose
// arms' conditions are all present and false, so that no arm takes it (a gap: the band is then
// missing, language.md)? A band with an `else` is total: the `else` takes what the arms do not.
// A missing condition is no gap: language.md makes the band missing then, and the checker warns
// about a band that can see a missing input without an `is missing` arm.
//
// When every arm tests one value against constants (`llr >= 4.5`, `x > 1 and x <= 2`,
// `llr is missing`), the values no arm takes are computed from the constants, piece by piece of
// the number line, exactly as the engines compare doubles; the solver is asked which of those
// intervals some input reaches. Otherwise the solver is asked for any input where every condition
// is false, and the counterexample is its values.
#include "compiler/prove/ModelSolver.h"
#include "support/Money.h"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cmath>
#include <fmt/format.h>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace fulcrum::prove {

using runtime::PNode;
using runtime::POp;
using runtime::Probe;
using runtime::ProbeKind;

namespace {

// A band's arms as the plan holds them (Probes.h): the conditions' nodes, in order.
struct BandArms {
  std::string band;
  uint32_t stage = 0;
  std::vector<uint32_t> conditions;
  bool hasElse = false;
  runtime::ValueType shown = runtime::ValueType::Bool; // how the tested value is shown
  std::string firstCondition;                          // as written
  std::string notAsked; // why the question is not asked (the answer is then unknown)
};

// The bands whose value holds a `case` or an `if`, in declaration order. A band whose every
// choice has an `else` is total. Otherwise the question is asked only of a band whose formula is
// one choice (its outermost, the band's last one probed, as the lowerer numbers a choice after
// its arms); a choice without `else` nested in another, or under `??`, is not yet asked, and the
// answer says so.
std::vector<BandArms> bandArms(const runtime::Plan& plan) {
  std::vector<BandArms> bands;
  for (const Probe& band : plan.probes) {
    if (band.kind != ProbeKind::Band || band.slot < 0)
      continue;
    std::set<uint32_t> choices, withElse;
    std::optional<uint32_t> choice;
    for (const Probe& arm : plan.probes)
      if (arm.kind == ProbeKind::Arm && arm.member == band.member) {
        choices.insert(arm.choice);
        if (arm.condition < 0)
          withElse.insert(arm.choice);
        if (arm.within < 0)
          choice = std::max(choice.value_or(0), arm.choice);
      }
    if (!choice)
      continue;
    BandArms arms;
    arms.band = band.member;
    for (const Probe& arm : plan.probes) {
      if (arm.kind != ProbeKind::Arm || arm.member != band.member || arm.choice != *choice)
        continue;
      arms.stage = arm.stage;
      if (arm.condition < 0) {
        arms.hasElse = true;
        continue;
      }
      // The first comparison's operands say how the tested value is shown (`x is missing`
      // compares nothing).
      if (arms.firstCondition.empty() && arm.shown != runtime::ValueType::Bool) {
        arms.shown = arm.shown;
        arms.firstCondition = arm.at.text;
      }
      arms.conditions.push_back(static_cast<uint32_t>(arm.condition));
    }
    if (withElse.size() == choices.size()) {
      arms.hasElse = true; // every choice, nested or not, has an `else`
      bands.push_back(std::move(arms));
      continue;
    }
    if (choices.size() > 1) {
      arms.notAsked = "not asked: a `case` or `if` without `else` inside another";
      bands.push_back(std::move(arms));
      continue;
    }
    // The band's formula must be that choice itself (not `case {...} ?? "none"`).
    const runtime::FormulaKernel& kernel = runtime::formulaKernel(plan, arms.stage);
    bool isChoice = false;
    for (const runtime::SlotAssign& assign : kernel.assigns)
      if (assign.slot == static_cast<uint32_t>(band.slot) && assign.nodes.end > 0) {
        const PNode& root = kernel.nodes[assign.nodes.end - 1];
        isChoice =
            root.op == POp::Select && !arms.conditions.empty() && root.a == arms.conditions.front();
      }
    if (!isChoice)
      arms.notAsked = "not asked: its `case` or `if` is not the band's whole formula";
    bands.push_back(std::move(arms));
  }
  return bands;
}

bool isComparison(POp op) {
  return op == POp::Lt || op == POp::Le || op == POp::Gt || op == POp::Ge || op == POp::Eq ||
         op == POp::Ne;
}

// The one value every condition tests against constants (a node), or none.
class OneValue {
public:
  explicit OneValue(const std::vector<PNode>& nodes) : nodes_(nodes) {}

  // Whether condition `index` tests only the value (against constants), collecting them.
  bool collect(uint32_t index) {
    const PNode& n = nodes_[index];
    switch (n.op) {
    case POp::Const:
      return true;
    case POp::Not:
      return collect(n.a);
    case POp::And:
    case POp::Or:
      return collect(n.a) && collect(n.b);
    case POp::IsMissing:
      return same(n.a);
    default:
      break;
    }
    if (!isComparison(n.op))
      return false;
    const std::optional<double> right = constantOf(n.b), left = constantOf(n.a);
    if (right.has_value() == left.has_value())
      return false;
    constants_.push_back(right ? *right : *left);
    return same(right ? n.a : n.b);
  }

  // Node `index` as a constant: a literal, or a negated one (`level < -1`).
  std::optional<double> constantOf(uint32_t index) const {
    const PNode& n = nodes_[index];
    if (n.op == POp::Const)
      return n.value;
    if (n.op == POp::Neg && nodes_[n.a].op == POp::Const)
      return -nodes_[n.a].value;
    return std::nullopt;
  }

  std::optional<uint32_t> value() const { return value_; }
  std::vector<double> constants() const { return constants_; }

  // Condition `index` at value `x` (present), as the engines compare doubles.
  bool holdsAt(uint32_t index, double x) const {
    const PNode& n = nodes_[index];
    const auto operand = [&](uint32_t i) { return constantOf(i).value_or(x); };
    switch (n.op) {
    case POp::Const:
      return n.value != 0;
    case POp::Not:
      return !holdsAt(n.a, x);
    case POp::And:
      return holdsAt(n.a, x) && holdsAt(n.b, x);
    case POp::Or:
      return holdsAt(n.a, x) || holdsAt(n.b, x);
    case POp::IsMissing:
      return false;
    case POp::Lt:
      return operand(n.a) < operand(n.b);
    case POp::Le:
      return operand(n.a) <= operand(n.b);
    case POp::Gt:
      return operand(n.a) > operand(n.b);
    case POp::Ge:
      return operand(n.a) >= operand(n.b);
    case POp::Eq:
      return operand(n.a) == operand(n.b);
    default:
      return operand(n.a) != operand(n.b);
    }
  }

private:
  bool same(uint32_t index) {
    if (!value_)
      value_ = index;
    return *value_ == index;
  }
  const std::vector<PNode>& nodes_;
  std::optional<uint32_t> value_;
  std::vector<double> constants_;
};

using Interval = GapInterval;

// The intervals of values no condition takes: the number line cut at the constants, each piece
// (a constant, or the values between two) tested at one of its values, adjacent gaps joined.
std::vector<Interval> gapsOf(const OneValue& value, const std::vector<uint32_t>& conditions) {
  std::vector<double> cuts = value.constants();
  std::sort(cuts.begin(), cuts.end());
  cuts.erase(std::unique(cuts.begin(), cuts.end()), cuts.end());
  const auto untaken = [&](double x) {
    return std::none_of(conditions.begin(), conditions.end(),
                        [&](uint32_t c) { return value.holdsAt(c, x); });
  };
  struct Piece {
    Interval span;
    double sample;
  };
  std::vector<Piece> pieces;
  if (cuts.empty()) {
    pieces.push_back({Interval{}, 0});
  } else {
    pieces.push_back({Interval{std::nullopt, cuts[0], false, false},
                      cuts[0] - std::max(1.0, std::fabs(cuts[0]))});
    for (size_t i = 0; i < cuts.size(); ++i) {
      pieces.push_back({Interval{cuts[i], cuts[i], true, true}, cuts[i]});
      if (i + 1 < cuts.size())
        pieces.push_back(
            {Interval{cuts[i], cuts[i + 1], false, false}, cuts[i] / 2 + cuts[i + 1] / 2});
    }
    pieces.push_back({Interval{cuts.back(), std::nullopt, false, false},
                      cuts.back() + std::max(1.0, std::fabs(cuts.back()))});
  }
  std::vector<Interval> gaps;
  bool joining = false;
  for (const Piece& piece : pieces) {
    if (!untaken(piece.sample)) {
      joining = false;
      continue;
    }
    if (joining) {
      gaps.back().high = piece.span.high;
      gaps.back().highIn = piece.span.highIn;
    } else {
      gaps.push_back(piece.span);
    }
    joining = true;
  }
  return gaps;
}

// `value`'s shortest round-trip digits with the decimal point moved `shift` places right, in
// fixed notation: exactly the double, never rounded for show.
std::string shiftedDecimal(double value, int shift) {
  char buffer[64];
  const auto end =
      std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::scientific);
  std::string text(buffer, end.ptr);
  const bool negative = !text.empty() && text[0] == '-';
  if (negative)
    text.erase(0, 1);
  const size_t e = text.find('e');
  const int exponent = std::stoi(text.substr(e + 1));
  std::string digits;
  for (char c : text.substr(0, e))
    if (c != '.')
      digits += c;
  while (digits.size() > 1 && digits.back() == '0')
    digits.pop_back();
  const long point = 1L + exponent + shift; // digits before the decimal point
  std::string shown;
  if (digits == "0")
    shown = "0";
  else if (point <= 0)
    shown = "0." + std::string(static_cast<size_t>(-point), '0') + digits;
  else if (static_cast<size_t>(point) >= digits.size())
    shown = digits + std::string(static_cast<size_t>(point) - digits.size(), '0');
  else
    shown = digits.substr(0, static_cast<size_t>(point)) + "." +
            digits.substr(static_cast<size_t>(point));
  return (negative && shown != "0" ? "-" : "") + shown;
}

// A bound as a literal of the value's kind writes it: `2.75`, `40%`, `$1000.25` (a plan's money
// constant is in units, support/Money.h). Exact: pasted back, it is the same double.
std::string shownBound(double value, runtime::ValueType kind) {
  if (kind == runtime::ValueType::Percent)
    return shiftedDecimal(value, 2) + "%";
  if (kind == runtime::ValueType::Money) {
    static_assert(kMoneyUnitsPerDollar == 10000, "a money bound moves the point 4 places");
    const std::string dollars = shiftedDecimal(value, -4);
    return dollars[0] == '-' ? "-$" + dollars.substr(1) : "$" + dollars;
  }
  return shiftedDecimal(value, 0);
}

std::string shownInterval(const std::string& name, const Interval& gap, runtime::ValueType kind) {
  if (gap.low && gap.high && *gap.low == *gap.high)
    return fmt::format("{} = {}", name, shownBound(*gap.low, kind));
  if (!gap.low && !gap.high)
    return fmt::format("any {}", name);
  if (!gap.low)
    return fmt::format("{} {} {}", name, gap.highIn ? "<=" : "<", shownBound(*gap.high, kind));
  if (!gap.high)
    return fmt::format("{} {} {}", name, gap.lowIn ? ">=" : ">", shownBound(*gap.low, kind));
  return fmt::format("{} in {}{}, {}{}", name, gap.lowIn ? "[" : "(", shownBound(*gap.low, kind),
                     shownBound(*gap.high, kind), gap.highIn ? "]" : ")");
}

// The tested value's name: the output column it is, else its text in the first condition
// (`attainment * 2` of `attainment * 2 >= 150%`).
std::string valueName(const runtime::Plan& plan, const PNode& value, const std::string& condition) {
  if (value.op == POp::Slot)
    for (const runtime::OutputColumn& column : plan.outputs)
      if (column.slot == value.a)
        return column.name;
  for (const char* op : {" >= ", " <= ", " == ", " != ", " > ", " < "})
    if (const size_t at = condition.find(op); at != std::string::npos) {
      const std::string left = condition.substr(0, at);
      const std::string right = condition.substr(at + std::string(op).size());
      // The constant's side is the one that starts with a digit, `$`, `-` or `.`.
      const bool rightConstant =
          !right.empty() && std::string("0123456789$-.").find(right[0]) != std::string::npos;
      return rightConstant ? left : right;
    }
  return "the value";
}

// How `within` draws a gap's ends: as they are, moved out by a relative 1e-9 (a value the
// engines round may come that close), or moved in by as much (the engines' value surely inside).
enum class Ends { Exact, Widened, Inside };

// `value` within `gap`, its ends drawn as `ends` says.
z3::expr within(z3::context& ctx, const z3::expr& value, const Interval& gap, Ends ends) {
  z3::expr in = ctx.bool_val(true);
  const auto moved = [&](double bound, int direction) {
    return exactReal(ctx, bound) +
           ctx.real_val(direction) * exactReal(ctx, std::fabs(bound)) * ctx.real_val(1, 1000000000);
  };
  if (gap.low) {
    if (ends == Ends::Widened)
      in = in && value >= moved(*gap.low, -1);
    else if (ends == Ends::Inside)
      in = in && value > moved(*gap.low, 1);
    else
      in = in && (gap.lowIn ? value >= exactReal(ctx, *gap.low) : value > exactReal(ctx, *gap.low));
  }
  if (gap.high) {
    if (ends == Ends::Widened)
      in = in && value <= moved(*gap.high, 1);
    else if (ends == Ends::Inside)
      in = in && value < moved(*gap.high, -1);
    else
      in = in &&
           (gap.highIn ? value <= exactReal(ctx, *gap.high) : value < exactReal(ctx, *gap.high));
  }
  return in;
}

// Every condition present and false: no arm takes the input.
std::optional<z3::expr> noArmTakes(ModelSolver& model, const BandArms& arms,
                                   uint8_t& approximations) {
  z3::context& ctx = model.framework.encoder().ctx();
  z3::expr none = ctx.bool_val(true);
  for (uint32_t condition : arms.conditions) {
    const std::optional<SymValue> value = model.framework.node(arms.stage, condition);
    if (!value)
      return std::nullopt;
    approximations |= value->approximations;
    none = none && value->present && value->value == ctx.real_val(0);
  }
  return none;
}

CheckProof proveBandTotal(ModelSolver& exact, const LoosenedModel& loosened, const BandArms& arms,
                          const ProveOptions& options) {
  CheckProof proof;
  proof.check = arms.band;
  proof.question = Question::BandTotal;
  if (!arms.notAsked.empty()) {
    proof.reason = arms.notAsked;
    return proof;
  }
  if (arms.hasElse) {
    proof.verdict = Verdict::Proved; // the `else` takes every input the arms do not
    return proof;
  }
  const runtime::Plan& plan = exact.framework.encoder().plan();
  const std::vector<PNode>& nodes = runtime::formulaKernel(plan, arms.stage).nodes;
  OneValue one(nodes);
  const bool numeric =
      arms.shown == runtime::ValueType::Number || arms.shown == runtime::ValueType::Percent ||
      arms.shown == runtime::ValueType::Money || arms.shown == runtime::ValueType::Count;
  const bool oneValue = numeric &&
                        std::all_of(arms.conditions.begin(), arms.conditions.end(),
                                    [&](uint32_t c) { return one.collect(c); }) &&
                        one.value().has_value();
  uint8_t approximations = kExact;
  const std::optional<z3::expr> none = noArmTakes(exact, arms, approximations);
  if (!none) {
    proof.reason = "its arms are not encoded";
    return proof;
  }
  z3::solver& solver = exact.solver;
  if (oneValue) {
    const std::vector<Interval> gaps = gapsOf(one, arms.conditions);
    if (gaps.empty()) {
      proof.verdict = Verdict::Proved; // the arms cover every value, in doubles too
      return proof;
    }
    const std::optional<SymValue> value = exact.framework.node(arms.stage, *one.value());
    if (!value) {
      proof.reason = "its arms are not encoded";
      return proof;
    }
    const std::string name = valueName(plan, nodes[*one.value()], arms.firstCondition);
    std::vector<std::string> reached;
    std::vector<Interval> reachedIntervals;
    std::optional<z3::model> witness;
    bool undecided = false;
    // Whether some input none of the arms takes has the value within `gap`, its ends as `ends`.
    const auto reaches = [&](const Interval& gap, Ends ends) {
      SolverScope scope(solver);
      solver.add(*none && value->present &&
                 within(exact.framework.encoder().ctx(), value->value, gap, ends));
      const z3::check_result result = solver.check();
      if (result == z3::sat && !witness)
        witness = solver.get_model();
      return result;
    };
    for (const Interval& gap : gaps) {
      // A value the engines round reaches the gap only if the solver's value lies inside it by
      // more than the rounding: `n * 0.1 = 0.3` exactly is 0.30000000000000004 in doubles.
      const Ends ends = (value->approximations & kRounded) ? Ends::Inside : Ends::Exact;
      const z3::check_result result = reaches(gap, ends);
      if (result == z3::unsat && ends == Ends::Inside) {
        std::optional<z3::model> kept = witness;
        if (reaches(gap, Ends::Exact) != z3::unsat) {
          undecided = true;
          proof.reason = "the solver reaches " + shownInterval(name, gap, arms.shown) +
                         " only at its edge, where the engines' rounding may not";
        }
        witness = kept; // an edge input is no counterexample
        continue;
      }
      if (result == z3::sat) {
        reached.push_back(shownInterval(name, gap, arms.shown));
        reachedIntervals.push_back(gap);
      } else if (result == z3::unknown) {
        undecided = true;
        proof.reason = unknownReason(solver.reason_unknown(), options.timeoutMs);
      }
    }
    if (!reached.empty()) {
      if ((value->approximations & ~(kRounded | kAggregate)) != kExact) {
        proof.reason = approximationReason(value->approximations);
        return proof;
      }
      proof.verdict = Verdict::Refuted;
      for (size_t i = 0; i < reached.size(); ++i)
        proof.gap += (i == 0 ? "" : ", ") + reached[i];
      proof.gapIntervals = reachedIntervals;
      proof.gapStage = static_cast<int32_t>(arms.stage);
      proof.gapNode = *one.value();
      proof.counterexample = outputValues(exact, *witness);
      // The tested value, when it is no output column (an entity's field, a formula).
      if (std::none_of(proof.counterexample.begin(), proof.counterexample.end(),
                       [&](const ShownValue& shown) { return shown.name == name; }))
        proof.counterexample.push_back(
            {name,
             shownModelValue(plan, runtime::OutputColumn{name, 0, arms.shown}, *witness, *value)});
      if (value->approximations & kAggregate)
        proof.reason = kSolverValuesOnly;
      return proof;
    }
    if (undecided)
      return proof;
    // No input reaches a gap exactly; one the engines round may, a hair past a constant.
    if (value->approximations & kRounded) {
      ModelSolver& loose = loosened();
      const std::optional<SymValue> near = loose.framework.node(arms.stage, *one.value());
      if (!near) {
        proof.reason = "its arms are not encoded";
        return proof;
      }
      for (const Interval& gap : gaps) {
        SolverScope scope(loose.solver);
        loose.solver.add(near->present &&
                         within(loose.framework.encoder().ctx(), near->value, gap, Ends::Widened));
        const z3::check_result result = loose.solver.check();
        if (result != z3::unsat) {
          proof.reason = result == z3::sat
                             ? "total exactly, but the engines' rounding may reach " +
                                   shownInterval(name, gap, arms.shown)
                             : unknownReason(loose.solver.reason_unknown(), options.timeoutMs);
          return proof;
        }
      }
    }
    proof.verdict = Verdict::Proved;
    return proof;
  }
  // Arms over several values: any input that none takes.
  SolverScope scope(solver);
  solver.add(*none);
  const z3::check_result result = solver.check();
  if (result == z3::sat) {
    if ((approximations & ~(kRounded | kAggregate)) != kExact) {
      proof.reason = approximationReason(approximations);
    } else {
      proof.verdict = Verdict::Refuted;
      proof.counterexample = outputValues(exact, solver.get_model());
      if (approximations & kAggregate)
        proof.reason = kSolverValuesOnly;
    }
  } else if (result == z3::unknown) {
    proof.reason = unknownReason(solver.reason_unknown(), options.timeoutMs);
  } else {
    ModelSolver& loose = loosened();
    uint8_t looseApproximations = kExact;
    const std::optional<z3::expr> looseNone = noArmTakes(loose, arms, looseApproximations);
    SolverScope looseScope(loose.solver);
    if (looseNone)
      loose.solver.add(*looseNone);
    const z3::check_result margin =
        looseNone ? loose.solver.check() : z3::check_result(z3::unknown);
    if (margin == z3::unsat)
      proof.verdict = Verdict::Proved;
    else if (margin == z3::sat)
      proof.reason = "total exactly, but the engines' rounding may leave an input to no arm";
    else
      proof.reason = unknownReason(loose.solver.reason_unknown(), options.timeoutMs);
  }
  return proof;
}

} // namespace

std::vector<CheckProof> proveBandsTotal(ModelSolver& exact, const LoosenedModel& loosened,
                                        const ProveOptions& options) {
  std::vector<CheckProof> proofs;
  for (const BandArms& arms : bandArms(exact.framework.encoder().plan())) {
    const auto start = std::chrono::steady_clock::now();
    CheckProof proof;
    try {
      proof = proveBandTotal(exact, loosened, arms, options);
    } catch (const z3::exception& e) {
      proof = unknownProof(arms.band, std::string("solver error: ") + e.msg());
    }
    proof.question = Question::BandTotal;
    proof.milliseconds =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    proofs.push_back(std::move(proof));
  }
  return proofs;
}

} // namespace fulcrum::prove
