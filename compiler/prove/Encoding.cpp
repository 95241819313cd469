// The plan's operations as solver terms (see Encoding.h). Each case mirrors the interpreter's
// (runtime/exec/EvaluateNodes.cpp); the differences are deliberate: arithmetic is exact (no
// overflow to missing, no rounding but money's), and what the solver cannot decide is a free
// value marked as an approximation.
#include "compiler/prove/Encoding.h"

#include "runtime/exec/RunParams.h"
#include "runtime/plan/Functions.h"

#include <charconv>
#include <cmath>
#include <fmt/format.h>

namespace fulcrum::prove {

using runtime::PNode;
using runtime::POp;

z3::expr exactReal(z3::context& ctx, double value) {
  if (value == std::trunc(value) && std::fabs(value) < 9e15)
    return ctx.real_val(static_cast<int64_t>(value));
  char buffer[64];
  const auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value);
  std::string text(buffer, end);
  // Z3 reads plain decimals: `m e x` becomes m * 10^x.
  int exponent = 0;
  if (const size_t e = text.find_first_of("eE"); e != std::string::npos) {
    exponent = std::stoi(text.substr(e + 1));
    text.resize(e);
  }
  z3::expr mantissa = ctx.real_val(text.c_str());
  if (exponent == 0)
    return mantissa;
  std::string power(static_cast<size_t>(std::abs(exponent)) + 1, '0');
  power[0] = '1';
  return exponent > 0 ? mantissa * ctx.real_val(power.c_str())
                      : mantissa / ctx.real_val(power.c_str());
}

Encoder::Encoder(z3::context& ctx, const runtime::Plan& plan)
    : ctx_(ctx), plan_(plan), strings_(plan.strings) {
  runtime::StringCodes codes;
  for (size_t i = 0; i < strings_.size(); ++i)
    codes.emplace(strings_[i], static_cast<int32_t>(i));
  for (const runtime::RunParamSpec& spec : plan.runParams)
    paramDefaults_.push_back(spec.kind == runtime::RunParamKind::UserParam
                                 ? runtime::userParamDefault(plan, spec, codes, strings_)
                                 : std::nullopt);
}

std::string Encoder::freshName(const std::string& base) {
  return fmt::format("{}!{}", base, fresh_++);
}

std::pair<std::optional<double>, std::optional<double>>
Encoder::columnRange(uint32_t column) const {
  const runtime::BoundColumnSpec& spec = plan_.columns[column];
  if (spec.slotInput || spec.table >= plan_.tables.size() ||
      spec.field >= plan_.tables[spec.table].fields.size())
    return {};
  // Only what the loader enforces: a declared range. A count field is whole but may be negative
  // (the loader reads `-2473`; `count in 0..` is how a field rules that out), so its type alone
  // gives no lower bound (issue 25, seed 4709: `least(0, employees)` was proved in [0, 1]).
  const runtime::PlanField& field = plan_.tables[spec.table].fields[spec.field];
  return {field.minimum, field.maximum};
}

SymValue Encoder::freshColumn(uint32_t column, const std::string& name) {
  const runtime::BoundColumnSpec& spec = plan_.columns[column];
  SymValue v{ctx_.real_const(freshName(name).c_str()),
             spec.neverMissing ? ctx_.bool_val(true)
                               : ctx_.bool_const(freshName(name + ".present").c_str())};
  const auto [low, high] = columnRange(column);
  if (low)
    facts_.push_back(z3::implies(v.present, v.value >= exactReal(ctx_, *low)));
  if (high)
    facts_.push_back(z3::implies(v.present, v.value <= exactReal(ctx_, *high)));
  return v;
}

SymValue Encoder::subjectField(uint32_t column) {
  const uint32_t field = plan_.columns[column].field;
  if (auto it = subjectFields_.find(field); it != subjectFields_.end())
    return it->second;
  return subjectFields_.emplace(field, freshColumn(column, plan_.columns[column].name))
      .first->second;
}

SymValue Encoder::freeValue(const std::string& name, uint8_t approximations) {
  return {ctx_.real_const(freshName(name).c_str()),
          ctx_.bool_const(freshName(name + ".present").c_str()), approximations};
}

SymValue Encoder::runParam(uint32_t index) {
  if (auto it = runParams_.find(index); it != runParams_.end())
    return it->second;
  const runtime::RunParamSpec& spec = plan_.runParams[index];
  SymValue v = freeValue(spec.name, kExact);
  if (spec.kind == runtime::RunParamKind::UserParam && !paramIsFree(index)) {
    // Params are fixed at their declared values unless `--prove-params` frees them.
    v = {exactReal(ctx_, *paramDefaults_[index]), ctx_.bool_val(true)};
  } else if (spec.kind == runtime::RunParamKind::UserParam) {
    // Free: any value in the declared range (none declared: any value); always present.
    v.present = ctx_.bool_val(true);
    if (spec.minimum)
      facts_.push_back(v.value >= exactReal(ctx_, *spec.minimum));
    if (spec.maximum)
      facts_.push_back(v.value <= exactReal(ctx_, *spec.maximum));
  } else if (spec.kind != runtime::RunParamKind::UserParam && index < fixedRunParams_.size()) {
    v = {exactReal(ctx_, fixedRunParams_[index]), ctx_.bool_val(true)};
  } else {
    // The period, its bounds and windows, the as-of day: any run's; always present.
    v.present = ctx_.bool_val(true);
    if (spec.kind == runtime::RunParamKind::WorkingDays)
      facts_.push_back(v.value >= 0);
  }
  runParams_.emplace(index, v);
  return v;
}

void Encoder::loosenComparisons() {
  loose_ = true;
}

z3::expr Encoder::magnitude(const z3::expr& x) {
  return z3::ite(x < num(0), -x, x);
}

// Loosened, a comparison of two values within a relative 1e-9 of each other may come out either
// way when either may carry rounding: their doubles may differ from the exact values.
z3::expr Encoder::compared(const z3::expr& exact, const SymValue& x, const SymValue& y) {
  if (!loose_ || !((x.approximations | y.approximations) & kRounded))
    return exact;
  const z3::expr near = magnitude(x.value - y.value) <=
                        ctx_.real_val(1, 1000000000) * (magnitude(x.value) + magnitude(y.value));
  return z3::ite(near, ctx_.bool_const(freshName("rounded").c_str()), exact);
}

z3::expr Encoder::isZero(const SymValue& x) {
  return compared(x.value == num(0), x, SymValue{num(0), ctx_.bool_val(true)});
}

// Loosened, a rounded value fed to a rounding function (round, floor, money's cents) is any
// value within a relative 1e-9 of it: the engines may round the double the other way.
z3::expr Encoder::perturbed(const SymValue& x) {
  if (!loose_ || !(x.approximations & kRounded))
    return x.value;
  const z3::expr r = ctx_.real_const(freshName("rounded").c_str());
  facts_.push_back(magnitude(r - x.value) <= ctx_.real_val(1, 1000000000) * magnitude(x.value));
  return r;
}

// |v| <= 10^exponent (Z3 reads no exponent notation: the power is written out).
z3::expr Encoder::within(const SymValue& v, int exponent) {
  std::string power(static_cast<size_t>(std::abs(exponent)) + 1, '0');
  power[0] = '1';
  if (exponent < 0)
    power = "1/" + power;
  return magnitude(v.value) <= ctx_.real_val(power.c_str());
}

// In the engines a result that is not finite is missing (finiteOrMissing): when its operands
// are not both small enough to rule that out, it may be missing (a free choice).
z3::expr Encoder::fitsDouble(const z3::expr& aSmall, const z3::expr& bSmall) {
  return (aSmall && bSmall) || ctx_.bool_const(freshName("finite").c_str());
}

z3::expr Encoder::floorOf(const z3::expr& x) {
  return z3::to_real(z3::expr(ctx_, Z3_mk_real2int(ctx_, x)));
}

z3::expr Encoder::roundHalfAway(const z3::expr& x) {
  const z3::expr half = ctx_.real_val(1, 2);
  return z3::ite(x >= 0, floorOf(x + half), -floorOf(-x + half));
}

void Encoder::encode(const std::vector<PNode>& nodes, uint32_t begin, uint32_t end,
                     const LeafFn& leaf, std::vector<std::optional<SymValue>>& out) {
  if (out.size() < end)
    out.resize(end);
  for (uint32_t i = begin; i < end; ++i) {
    const PNode& n = nodes[i];
    switch (n.op) {
    case POp::Column:
    case POp::RefColumn:
    case POp::SubjectColumn:
    case POp::Slot:
    case POp::Aggregate:
      out[i] = leaf(n);
      break;
    default:
      out[i] = op(n, i, out);
    }
  }
}

// What is known of a power `a ^ b` the solver does not decide (`v`, present), as the engines
// compute it (std::pow, a result that is no finite double missing): a base of 0 or more gives 0
// or more, and so does an even whole exponent; a negative base to a constant fractional exponent
// is NaN, so missing. The base's facts hold only when it is no rounded value (an exact 0 may be
// a tiny negative in doubles). The value stays uninterpreted: a refutation that reads it is
// unknown.
void Encoder::powerFacts(const SymValue& v, const SymValue& a,
                         const std::optional<SymValue>& exponent) {
  const z3::expr zero = num(0);
  const bool exactBase = !(a.approximations & kRounded);
  if (exactBase)
    facts_.push_back(z3::implies(v.present && a.value >= zero, v.value >= zero));
  if (!exponent || !exponent->value.is_numeral() || (exponent->approximations & kRounded))
    return;
  const z3::expr half = ctx_.real_val(1) / ctx_.real_val(2);
  z3::expr whole = z3::expr(ctx_, Z3_mk_is_int(ctx_, exponent->value)).simplify();
  z3::expr even = z3::expr(ctx_, Z3_mk_is_int(ctx_, exponent->value * half)).simplify();
  if (even.is_true())
    facts_.push_back(z3::implies(v.present, v.value >= zero));
  else if (whole.is_false() && exactBase)
    facts_.push_back(z3::implies(v.present, a.value >= zero));
}

SymValue Encoder::op(const PNode& n, uint32_t index,
                     const std::vector<std::optional<SymValue>>& out) {
  const z3::expr yes = ctx_.bool_val(true), no = ctx_.bool_val(false), zero = num(0);
  auto operand = [&](uint32_t at) -> SymValue {
    return at < index && out[at] ? *out[at] : SymValue{zero, no};
  };
  const SymValue a = operand(n.a), b = operand(n.b), c = operand(n.c);
  const uint8_t ab = a.approximations | b.approximations;
  const uint8_t abc = ab | c.approximations;
  const auto abRounded = static_cast<uint8_t>(ab | kRounded); // a rounded operation of a and b
  auto boolean = [&](const z3::expr& holds) { return z3::ite(holds, num(1), zero); };
  // A boolean, or a whole number rounded from a perturbed value: no rounding left in it.
  auto exact = [](uint8_t approximations) {
    return static_cast<uint8_t>(approximations & ~kRounded);
  };
  switch (n.op) {
  case POp::Const: {
    // A multiple of 1/1024 (0.5, 50%) is its double exactly; another fraction (0.1) is not.
    const double scaled = n.value * 1024;
    if (scaled == std::trunc(scaled) && std::fabs(scaled) < 9e15)
      return {ctx_.real_val(fmt::format("{}/1024", static_cast<int64_t>(scaled)).c_str()), yes};
    return {exactReal(ctx_, n.value), yes, kRounded};
  }
  case POp::Missing:
    return {zero, no};
  case POp::RunParam:
    return runParam(n.a);
  case POp::Neg:
    return {-a.value, a.present, a.approximations};
  case POp::Add:
    return {a.value + b.value,
            a.present && b.present && fitsDouble(within(a, kBig), within(b, kBig)), abRounded};
  case POp::Sub:
    return {a.value - b.value,
            a.present && b.present && fitsDouble(within(a, kBig), within(b, kBig)), abRounded};
  case POp::Mul:
    return {a.value * b.value,
            a.present && b.present && fitsDouble(within(a, kBig), within(b, kBig)), abRounded};
  // Division by zero is missing (language.md); the quotient is only read when b != 0.
  case POp::Div:
    return {z3::ite(b.value == zero, zero, a.value / b.value),
            a.present && b.present && b.value != zero &&
                fitsDouble(within(a, kBig), !within(b, kTiny)),
            abRounded};
  case POp::Pow: {
    // A small whole exponent is a product; any other power is a free value.
    if (n.b < index && out[n.b] && out[n.b]->value.is_numeral()) {
      int64_t exponent = 0;
      if (out[n.b]->value.is_numeral_i64(exponent) && exponent >= 0 && exponent <= 4) {
        z3::expr product = num(1);
        for (int64_t k = 0; k < exponent; ++k)
          product = product * a.value;
        // |a| <= 1e75 keeps a fourth power within a double.
        return {product, a.present && b.present && fitsDouble(within(a, 75), yes), abRounded};
      }
    }
    SymValue v = freeValue("pow", ab | kUninterpreted);
    v.present = a.present && b.present && v.present;
    powerFacts(v, a, n.b < index ? out[n.b] : std::nullopt);
    return v;
  }
  case POp::RoundMoney: {
    const z3::expr rounded = roundHalfAway(perturbed(a));
    const z3::expr limit = ctx_.real_val(static_cast<int64_t>((int64_t{1} << 53) - 1));
    return {rounded, a.present && rounded <= limit && rounded >= -limit, exact(a.approximations)};
  }
  case POp::PeriodFirst:
  case POp::PeriodLast:
  case POp::WorkingDaysOf:
  case POp::TextOrder: {
    // A text's place among the run's texts: the same text has the same place (so rows whose
    // keys are one text tie, as in the engines); the order of two texts is not modelled.
    const z3::func_decl order = ctx_.function("text_order", ctx_.real_sort(), ctx_.real_sort());
    return {order(a.value), a.present, static_cast<uint8_t>(a.approximations | kCalendar)};
  }
  case POp::AddMonths: {
    SymValue v = freeValue(runtime::opSpelling(n.op), ab | kCalendar);
    v.present = a.present && (n.op == POp::AddMonths ? b.present : yes) && v.present;
    return v;
  }
  case POp::Eq:
    return {boolean(compared(a.value == b.value, a, b)), a.present && b.present, exact(ab)};
  case POp::Ne:
    return {boolean(compared(a.value != b.value, a, b)), a.present && b.present, exact(ab)};
  case POp::Lt:
    return {boolean(compared(a.value < b.value, a, b)), a.present && b.present, exact(ab)};
  case POp::Le:
    return {boolean(compared(a.value <= b.value, a, b)), a.present && b.present, exact(ab)};
  case POp::Gt:
    return {boolean(compared(a.value > b.value, a, b)), a.present && b.present, exact(ab)};
  case POp::Ge:
    return {boolean(compared(a.value >= b.value, a, b)), a.present && b.present, exact(ab)};
  case POp::Not:
    return {boolean(isZero(a)), a.present, exact(a.approximations)};
  // Kleene logic: false wins an `and` even against missing, true an `or`.
  case POp::And: {
    const z3::expr aFalse = a.present && isZero(a), bFalse = b.present && isZero(b);
    return {z3::ite(aFalse || bFalse, zero, num(1)), aFalse || bFalse || (a.present && b.present),
            exact(ab)};
  }
  case POp::Or: {
    const z3::expr aTrue = a.present && !isZero(a), bTrue = b.present && !isZero(b);
    return {z3::ite(aTrue || bTrue, num(1), zero), aTrue || bTrue || (a.present && b.present),
            exact(ab)};
  }
  case POp::Coalesce:
    return {z3::ite(a.present, a.value, b.value), a.present || b.present, ab};
  case POp::IsMissing:
    return {boolean(!a.present), yes, exact(a.approximations)};
  // A missing condition makes the whole result missing; else the arm taken decides.
  case POp::Select: {
    const z3::expr taken = !isZero(a);
    return {z3::ite(taken, b.value, c.value), a.present && z3::ite(taken, b.present, c.present),
            abc};
  }
  case POp::InRange:
    return {boolean(compared(b.value <= a.value, b, a) && compared(a.value <= c.value, a, c)),
            a.present && b.present && c.present, exact(abc)};
  case POp::InSet: {
    z3::expr found = no;
    uint8_t approximations = a.approximations;
    for (uint32_t item : n.list) {
      const SymValue v = operand(item);
      found = found || compared(a.value == v.value, a, v);
      approximations |= v.approximations;
    }
    return {boolean(found), a.present, exact(approximations)};
  }
  case POp::Clamp:
    return {z3::ite(a.value < b.value, b.value, z3::ite(a.value > c.value, c.value, a.value)),
            a.present && b.present && c.present, abc};
  case POp::DaysSince:
    return {b.value - a.value, a.present && b.present && a.value <= b.value, ab};
  // decay(at, h) = 0.5 ^ (age / h): in [0, 1] whenever it is present (in doubles it reaches 0
  // for an old enough date), nothing more known.
  case POp::Decay: {
    SymValue v = freeValue("decay", abc | kUninterpreted);
    facts_.push_back(v.value >= zero && v.value <= num(1));
    v.present = a.present && b.present && c.present && b.value > zero && a.value <= c.value;
    return v;
  }
  case POp::Least:
  case POp::Greatest: {
    std::optional<z3::expr> value;
    z3::expr present = yes;
    uint8_t approximations = kExact;
    for (uint32_t item : n.list) {
      const SymValue v = operand(item);
      present = present && v.present;
      approximations |= v.approximations;
      if (!value)
        value = v.value;
      else
        value = z3::ite(n.op == POp::Least ? v.value < *value : v.value > *value, v.value, *value);
    }
    return {value ? *value : zero, present, approximations};
  }
  case POp::Abs:
    return {z3::ite(a.value < zero, -a.value, a.value), a.present, a.approximations};
  case POp::Round:
    return {roundHalfAway(perturbed(a)), a.present, exact(a.approximations)};
  case POp::Floor:
    return {floorOf(perturbed(a)), a.present, exact(a.approximations)};
  case POp::Ceil:
    return {-floorOf(-perturbed(a)), a.present, exact(a.approximations)};
  default: {
    // An operation this encoder does not know yet: a free value, never a made-up proof.
    SymValue v = freeValue(runtime::opSpelling(n.op), abc | kCalendar);
    return v;
  }
  }
}

} // namespace fulcrum::prove
