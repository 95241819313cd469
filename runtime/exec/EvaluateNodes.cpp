// The reference evaluation of plan nodes (see EvaluateNodes.h).
#include "runtime/exec/EvaluateNodes.h"

#include "runtime/exec/Semantics.h"
#include "runtime/plan/Functions.h"
#include "support/Money.h"

#include <algorithm>
#include <cmath>
#include <vector>

namespace fulcrum::runtime {

// NaN (missing) for a value that is not a period's code: only a plan made by hand, such as the
// random plans of the JIT's tests, can hand one over, and no day number is read from it.
extern "C" double fulcrumWorkingDays(const void* holidays, double periodCode) {
  const double firstDay = periodCodeFirst(periodCode), lastDay = periodCodeLast(periodCode);
  constexpr double kFarthestDay = 1e8; // about 270,000 years from 1970
  if (!(std::fabs(firstDay) < kFarthestDay && std::fabs(lastDay) < kFarthestDay))
    return std::nan("");
  const auto first = static_cast<DayNumber>(firstDay);
  const auto last = static_cast<DayNumber>(lastDay);
  double days = workingDaysBetween(first, last);
  if (const auto* list = static_cast<const std::vector<int32_t>*>(holidays))
    days -= static_cast<double>(std::upper_bound(list->begin(), list->end(), last) -
                                std::lower_bound(list->begin(), list->end(), first));
  return days;
}

namespace {

// `value` when it is finite and its operands were valid, else missing (as the JIT's isFinite).
NodeValue finiteOrMissing(double value, bool operandsValid) {
  const bool valid = operandsValid && std::isfinite(value);
  return {valid ? value : 0, valid};
}

} // namespace

void evaluateNodes(const Plan& plan, const std::vector<PNode>& nodes, uint32_t begin, uint32_t end,
                   const KernelArgs& args, int64_t row, int64_t subject,
                   std::vector<NodeValue>& out) {
  for (uint32_t i = begin; i < end; ++i) {
    const PNode& n = nodes[i];
    const NodeValue a = n.a < i ? out[n.a] : NodeValue{};
    const NodeValue b = n.b < i ? out[n.b] : NodeValue{};
    const NodeValue c = n.c < i ? out[n.c] : NodeValue{};
    NodeValue r;
    switch (n.op) {
    case POp::Const:
      r = {n.value, true};
      break;
    case POp::Missing:
      break;
    case POp::RunParam:
      r = {args.runValues[n.a], args.runValid[n.a] != 0};
      break;
    case POp::Column: {
      r = {loadColumnValue(plan, args, n.a, row), args.columnValid[n.a][row] != 0};
      break;
    }
    case POp::RefColumn: {
      const auto* refs = static_cast<const int32_t*>(args.columnValues[n.b]);
      if (args.columnValid[n.b][row] == 0 || refs[row] < 0)
        break;
      const int64_t target = refs[row];
      r = {loadColumnValue(plan, args, n.a, target), args.columnValid[n.a][target] != 0};
      break;
    }
    case POp::SubjectColumn: {
      const int64_t target = args.subjectRows[subject];
      r = {loadColumnValue(plan, args, n.a, target), args.columnValid[n.a][target] != 0};
      break;
    }
    case POp::Slot:
      r = {args.slotValues[n.a * args.subjects + subject],
           args.slotValid[n.a * args.subjects + subject] != 0};
      break;
    case POp::Aggregate:
      r = {args.aggregateValues[n.a * args.subjects + subject],
           args.aggregateValid[n.a * args.subjects + subject] != 0};
      break;
    case POp::Neg:
      r = {-a.value, a.valid};
      break;
    // Arithmetic that leaves the doubles (an overflow, a division by zero, 0/0) is missing:
    // language.md allows no infinity in a result.
    case POp::Add:
      r = finiteOrMissing(a.value + b.value, a.valid && b.valid);
      break;
    case POp::Sub:
      r = finiteOrMissing(a.value - b.value, a.valid && b.valid);
      break;
    case POp::Mul:
      r = finiteOrMissing(a.value * b.value, a.valid && b.valid);
      break;
    case POp::Div:
      r = finiteOrMissing(a.value / b.value, a.valid && b.valid);
      break;
    // A value that is not a period's code (an infinity, NaN) gives missing, as in the JIT.
    case POp::PeriodFirst:
      r = finiteOrMissing(periodCodeFirst(a.value), a.valid);
      break;
    case POp::PeriodLast:
      r = finiteOrMissing(periodCodeLast(a.value), a.valid);
      break;
    case POp::WorkingDaysOf:
      r = finiteOrMissing(fulcrumWorkingDays(args.holidays, a.value), a.valid);
      break;
    case POp::AddMonths:
      r = finiteOrMissing(addMonthsValue(a.value, b.value), a.valid && b.valid);
      break;
    case POp::Pow:
      r = finiteOrMissing(std::pow(a.value, b.value), a.valid && b.valid);
      break;
    case POp::RoundMoney: {
      const double rounded = std::round(a.value);
      r = {rounded, a.valid && moneyInRange(rounded)};
      break;
    }
    case POp::Eq:
      r = {a.value == b.value ? 1.0 : 0.0, a.valid && b.valid};
      break;
    case POp::Ne:
      r = {a.value != b.value ? 1.0 : 0.0, a.valid && b.valid};
      break;
    case POp::Lt:
      r = {a.value < b.value ? 1.0 : 0.0, a.valid && b.valid};
      break;
    case POp::Le:
      r = {a.value <= b.value ? 1.0 : 0.0, a.valid && b.valid};
      break;
    case POp::Gt:
      r = {a.value > b.value ? 1.0 : 0.0, a.valid && b.valid};
      break;
    case POp::Ge:
      r = {a.value >= b.value ? 1.0 : 0.0, a.valid && b.valid};
      break;
    case POp::Not:
      r = {a.value == 0 ? 1.0 : 0.0, a.valid};
      break;
    case POp::And: {
      const bool aFalse = a.valid && a.value == 0, bFalse = b.valid && b.value == 0;
      if (aFalse || bFalse)
        r = {0, true};
      else
        r = {1, a.valid && b.valid};
      break;
    }
    case POp::Or: {
      const bool aTrue = a.valid && a.value != 0, bTrue = b.valid && b.value != 0;
      if (aTrue || bTrue)
        r = {1, true};
      else
        r = {0, a.valid && b.valid};
      break;
    }
    case POp::Coalesce:
      r = a.valid ? a : b;
      break;
    case POp::IsMissing:
      r = {a.valid ? 0.0 : 1.0, true};
      break;
    case POp::Select:
      if (a.valid)
        r = a.value != 0 ? b : c;
      break;
    case POp::InRange:
      r = {b.value <= a.value && a.value <= c.value ? 1.0 : 0.0, a.valid && b.valid && c.valid};
      break;
    case POp::InSet: {
      bool found = false;
      for (uint32_t item : n.list)
        found = found || out[item].value == a.value;
      r = {found ? 1.0 : 0.0, a.valid};
      break;
    }
    case POp::Clamp:
      r = {clampValue(a.value, b.value, c.value), a.valid && b.valid && c.valid};
      break;
    // A date after the as-of day has not happened yet: missing, never a negative age.
    case POp::DaysSince:
      r = {b.value - a.value, a.valid && b.valid && a.value <= b.value};
      break;
    case POp::Decay:
      r = {decayValue(c.value - a.value, b.value),
           a.valid && b.valid && c.valid && b.value > 0 && a.value <= c.value};
      break;
    case POp::Least:
    case POp::Greatest: {
      r = {0, true};
      bool first = true;
      for (uint32_t item : n.list) {
        const NodeValue& v = out[item];
        r.valid = r.valid && v.valid;
        if (first || (n.op == POp::Least ? v.value < r.value : v.value > r.value))
          r.value = v.value;
        first = false;
      }
      break;
    }
    case POp::TextOrder:
      r = {a.valid ? static_cast<double>(args.textOrder[static_cast<int64_t>(a.value)]) : 0,
           a.valid};
      break;
    default:
      // A function of one number with no case of its own (abs, round, ...): its row's C++
      // function, valid when its argument is. Nothing else reaches here: the plan is checked.
      if (const FunctionInfo* function = functionOf(n.op); function && function->evaluate)
        r = {function->evaluate(a.value), a.valid};
      break;
    }
    if (!r.valid)
      r.value = 0;
    out[i] = r;
  }
}

} // namespace fulcrum::runtime
