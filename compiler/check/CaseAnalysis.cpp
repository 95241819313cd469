// An arm is unreachable after `true`, after the same condition, or after a threshold on the same
// value that every value it accepts already passed (`x >= 3.5` after `x >= 2.0`).
#include "compiler/check/CaseAnalysis.h"

#include "compiler/ast/Walk.h"

#include <algorithm>
#include <fmt/format.h>
#include <optional>

namespace fulcrum {

using namespace fulcrum::ast;

// Structural equality, enough to recognise the same condition or the same compared value.
static bool sameExpr(const Expr& a, const Expr& b) {
  if (a.kind != b.kind)
    return false;
  switch (a.kind) {
  case ExprKind::Name:
    return a.as<NameRef>().name == b.as<NameRef>().name;
  case ExprKind::Member:
    return a.as<MemberRef>().member.name == b.as<MemberRef>().member.name &&
           sameExpr(*a.as<MemberRef>().base, *b.as<MemberRef>().base);
  case ExprKind::Number:
  case ExprKind::Percent:
  case ExprKind::Money:
    return numericLiteral(a) == numericLiteral(b);
  case ExprKind::String:
    return !a.as<StringLit>().hasHoles() && !b.as<StringLit>().hasHoles() &&
           a.as<StringLit>().plainText() == b.as<StringLit>().plainText();
  case ExprKind::Bool:
    return a.as<BoolLit>().value == b.as<BoolLit>().value;
  case ExprKind::Unary:
    return a.as<UnaryExpr>().op == b.as<UnaryExpr>().op &&
           sameExpr(*a.as<UnaryExpr>().operand, *b.as<UnaryExpr>().operand);
  case ExprKind::Binary:
    return a.as<BinaryExpr>().op == b.as<BinaryExpr>().op &&
           sameExpr(*a.as<BinaryExpr>().lhs, *b.as<BinaryExpr>().lhs) &&
           sameExpr(*a.as<BinaryExpr>().rhs, *b.as<BinaryExpr>().rhs);
  case ExprKind::IsMissing:
    return a.as<IsMissingExpr>().negated == b.as<IsMissingExpr>().negated &&
           sameExpr(*a.as<IsMissingExpr>().operand, *b.as<IsMissingExpr>().operand);
  case ExprKind::Call: {
    const auto& x = a.as<CallExpr>();
    const auto& y = b.as<CallExpr>();
    if (x.callee.name != y.callee.name || x.args.size() != y.args.size() || x.where || y.where)
      return false;
    for (size_t i = 0; i < x.args.size(); ++i)
      if (!sameExpr(*x.args[i], *y.args[i]))
        return false;
    return true;
  }
  default:
    return false;
  }
}

// `value op constant`, with the constant moved to the right.
struct Threshold {
  const Expr* value;
  BinaryOp op;
  double constant;
};

static std::optional<Threshold> thresholdOf(const Expr& condition) {
  if (!condition.is<BinaryExpr>())
    return std::nullopt;
  const auto& b = condition.as<BinaryExpr>();
  if (b.op != BinaryOp::Lt && b.op != BinaryOp::Le && b.op != BinaryOp::Gt && b.op != BinaryOp::Ge)
    return std::nullopt;
  if (auto c = numericLiteral(*b.rhs))
    return Threshold{b.lhs.get(), b.op, *c};
  if (auto c = numericLiteral(*b.lhs)) {
    const BinaryOp flipped = b.op == BinaryOp::Lt   ? BinaryOp::Gt
                             : b.op == BinaryOp::Le ? BinaryOp::Ge
                             : b.op == BinaryOp::Gt ? BinaryOp::Lt
                                                    : BinaryOp::Le;
    return Threshold{b.rhs.get(), flipped, *c};
  }
  return std::nullopt;
}

// Whether every value satisfying `later` also satisfies `earlier`.
static bool subsumedBy(const Threshold& later, const Threshold& earlier) {
  if (!sameExpr(*later.value, *earlier.value))
    return false;
  const bool laterUp = later.op == BinaryOp::Gt || later.op == BinaryOp::Ge;
  const bool earlierUp = earlier.op == BinaryOp::Gt || earlier.op == BinaryOp::Ge;
  if (laterUp != earlierUp)
    return false;
  const bool earlierStrict = earlier.op == BinaryOp::Gt || earlier.op == BinaryOp::Lt;
  const bool laterStrict = later.op == BinaryOp::Gt || later.op == BinaryOp::Lt;
  if (laterUp)
    return later.constant > earlier.constant ||
           (later.constant == earlier.constant && (laterStrict || !earlierStrict));
  return later.constant < earlier.constant ||
         (later.constant == earlier.constant && (laterStrict || !earlierStrict));
}

static std::string spanText(const Expr& e) {
  return fmt::format("line {}", e.range.begin.line);
}

void checkCaseReachability(const CaseExpr& caseExpr, DiagnosticSink& sink) {
  for (size_t j = 1; j < caseExpr.arms.size(); ++j) {
    const Expr& later = *caseExpr.arms[j].condition;
    for (size_t i = 0; i < j; ++i) {
      const Expr& earlier = *caseExpr.arms[i].condition;
      std::string why;
      if (earlier.is<BoolLit>() && earlier.as<BoolLit>().value)
        why = fmt::format("the arm on {} is always taken", spanText(earlier));
      else if (sameExpr(later, earlier))
        why = fmt::format("the arm on {} has the same condition", spanText(earlier));
      else if (auto t = thresholdOf(later), e = thresholdOf(earlier); t && e && subsumedBy(*t, *e))
        why =
            fmt::format("every value it accepts already matched the arm on {}", spanText(earlier));
      if (why.empty())
        continue;
      sink.report(DiagKind::UnreachableCaseArm, caseExpr.arms[j].range,
                  fmt::format("this arm can never be chosen: {}", why),
                  thresholdOf(later) ? "arms are tried in order; put the stricter threshold first"
                                     : "remove it, or change its condition");
      break;
    }
  }
}

// ---- Gaps: values between two arms' bounds that no arm before `else` matches --------------------

// One end of an interval of values: a bound (closed when the value itself is in), or none.
struct Bound {
  std::optional<double> value; // none: unbounded
  bool closed = false;
  const Expr* literal = nullptr; // how to show it
};

// The values an arm accepts: lo < x < hi, with each end closed or not.
struct Interval {
  Bound lo, hi;
};

// A bound as written: `3.5`, `40%`, `$1,000`.
static std::string shownBound(const Bound& bound) {
  if (bound.literal && bound.literal->is<PercentLit>())
    return fmt::format("{:g}%", *bound.value * 100);
  if (bound.literal && bound.literal->is<MoneyLit>())
    return fmt::format("${:g}", *bound.value);
  return fmt::format("{:g}", *bound.value);
}

// `x >= 2.0 and x < 3.0` (thresholds on `value` joined by `and`) as an interval; none when the
// condition is anything else or names another value.
static std::optional<Interval> intervalOf(const Expr& condition, const Expr*& value) {
  if (condition.is<BinaryExpr>() && condition.as<BinaryExpr>().op == BinaryOp::And) {
    const auto& both = condition.as<BinaryExpr>();
    auto left = intervalOf(*both.lhs, value);
    auto right = left ? intervalOf(*both.rhs, value) : std::nullopt;
    if (!right)
      return std::nullopt;
    Interval meet = *left;
    auto tighter = [](const Bound& a, const Bound& b, bool low) {
      if (!a.value)
        return b;
      if (!b.value)
        return a;
      if (*a.value != *b.value)
        return (*a.value > *b.value) == low ? a : b;
      return a.closed ? b : a; // the open one excludes more
    };
    meet.lo = tighter(left->lo, right->lo, true);
    meet.hi = tighter(left->hi, right->hi, false);
    return meet;
  }
  const auto threshold = thresholdOf(condition);
  if (!threshold)
    return std::nullopt;
  if (value == nullptr)
    value = threshold->value;
  else if (!sameExpr(*value, *threshold->value))
    return std::nullopt;
  const auto& compare = condition.as<BinaryExpr>();
  const Expr* literal = numericLiteral(*compare.rhs) ? compare.rhs.get() : compare.lhs.get();
  const Bound bound{threshold->constant,
                    threshold->op == BinaryOp::Ge || threshold->op == BinaryOp::Le, literal};
  Interval interval;
  (threshold->op == BinaryOp::Gt || threshold->op == BinaryOp::Ge ? interval.lo : interval.hi) =
      bound;
  return interval;
}

void checkCaseGaps(const CaseExpr& caseExpr, DiagnosticSink& sink) {
  const Expr* value = nullptr;
  std::vector<Interval> intervals;
  for (const CaseArm& arm : caseExpr.arms) {
    if (arm.condition->is<IsMissingExpr>())
      continue; // says nothing about the values that are there
    auto interval = intervalOf(*arm.condition, value);
    if (!interval)
      return; // not a band over one value's thresholds
    intervals.push_back(*interval);
  }
  if (intervals.size() < 2)
    return;
  // Sorted by their low ends (unbounded first), then swept: a gap is where the values covered
  // so far end before the next interval begins.
  std::sort(intervals.begin(), intervals.end(), [](const Interval& a, const Interval& b) {
    if (!a.lo.value || !b.lo.value)
      return !a.lo.value && b.lo.value;
    return *a.lo.value < *b.lo.value || (*a.lo.value == *b.lo.value && a.lo.closed && !b.lo.closed);
  });
  Bound reach = intervals[0].hi; // the covered values end here
  for (size_t i = 1; i < intervals.size(); ++i) {
    if (!reach.value)
      return; // everything above is covered
    const Bound& next = intervals[i].lo;
    const bool gap = next.value && (*next.value > *reach.value ||
                                    (*next.value == *reach.value && !next.closed && !reach.closed));
    if (gap) {
      // A single value (`llr > 3` then `llr < 3`) or an interval.
      const bool point = *next.value == *reach.value;
      const std::string values =
          point ? fmt::format("the value {} matches", shownBound(reach))
                : fmt::format("values in {}{}, {}{} match", reach.closed ? "(" : "[",
                              shownBound(reach), shownBound(next), next.closed ? ")" : "]");
      sink.report(DiagKind::BandGap, caseExpr.range,
                  caseExpr.elseValue ? fmt::format("{} no arm before `else`, so {} it", values,
                                                   point ? "it takes" : "they take")
                                     : fmt::format("{} no arm, so the result is missing for {}",
                                                   values, point ? "it" : "them"),
                  "arms are tried in order and the first match wins; make the arms meet (or "
                  "overlap), or give those values an arm of their own");
    }
    const Bound& hi = intervals[i].hi;
    if (!hi.value || *hi.value > *reach.value || (*hi.value == *reach.value && hi.closed))
      reach = hi;
  }
}

// The first input of `condition` that may be missing, for the message: a name, a field, a call
// or a quotient (division by zero gives missing).
static const Expr* firstOptionalInput(const Expr& condition) {
  const Expr* found = nullptr;
  walkPreorder(condition, [&](const Expr& e) {
    const bool quotient = e.is<BinaryExpr>() && e.as<BinaryExpr>().op == BinaryOp::Div;
    if (!found && e.type.optional &&
        (e.is<NameRef>() || e.is<MemberRef>() || e.is<CallExpr>() || quotient))
      found = &e;
  });
  return found;
}

// How `e` reads in a message, or empty when it is not a short formula of names. A call is
// abbreviated to `f(...)`, and sets `abbreviated`.
static std::string describe(const Expr& e, bool& abbreviated) {
  if (e.is<NameRef>())
    return e.as<NameRef>().name;
  if (e.is<MemberRef>()) {
    const std::string base = describe(*e.as<MemberRef>().base, abbreviated);
    return base.empty() ? "" : base + "." + e.as<MemberRef>().member.name;
  }
  if (e.is<CallExpr>()) {
    abbreviated = true;
    return e.as<CallExpr>().callee.name + "(...)";
  }
  if (e.is<BinaryExpr>()) {
    const auto& b = e.as<BinaryExpr>();
    const std::string lhs = describe(*b.lhs, abbreviated);
    const std::string rhs = describe(*b.rhs, abbreviated);
    if (lhs.empty() || rhs.empty())
      return "";
    return fmt::format("{} {} {}", lhs, binaryOpSpelling(b.op), rhs);
  }
  return "";
}

void checkBandMissingArm(const BandMember& band, DiagnosticSink& sink) {
  if (!band.value || !band.value->is<CaseExpr>())
    return;
  const auto& caseExpr = band.value->as<CaseExpr>();
  const Expr* optionalInput = nullptr;
  for (const CaseArm& arm : caseExpr.arms) {
    if (arm.condition->is<IsMissingExpr>() && !arm.condition->as<IsMissingExpr>().negated)
      return;
    if (!optionalInput && arm.condition->type.optional)
      optionalInput = firstOptionalInput(*arm.condition);
    if (!optionalInput && arm.condition->type.optional)
      optionalInput = arm.condition.get();
  }
  if (!optionalInput)
    return;
  bool abbreviated = false;
  const std::string input = describe(*optionalInput, abbreviated);
  const std::string shown = input.empty() ? "value" : fmt::format("`{}`", input);
  // An aggregate is long to repeat in an arm; a metric holding it is not.
  const std::string arm =
      input.empty() || abbreviated
          ? "make it a metric, then add `<metric> is missing => \"...\"` as the first arm"
          : fmt::format("add `{} is missing => \"...\"` as the first arm", input);
  sink.report(
      DiagKind::BandMissingArm, caseExpr.range,
      fmt::format("band `{}` can see a missing {} and has no `is missing` arm", band.name.name,
                  shown),
      fmt::format("{}; as written, a missing value makes `{}` missing", arm, band.name.name));
}

} // namespace fulcrum
