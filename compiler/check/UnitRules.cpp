// Units: money never mixes with counts or numbers by addition; money / money is a number;
// number, count and percent mix freely; a bare literal takes the unit of what it meets.
#include "compiler/check/UnitRules.h"

#include <fmt/format.h>

namespace fulcrum {

using ast::BinaryOp;
using ast::TypeKind;

std::string kindName(TypeKind kind) {
  return ast::typeName(ast::Type::of(kind));
}

TypeKind settle(TypeKind kind) {
  return kind == TypeKind::NumberLiteral ? TypeKind::Number : kind;
}

static bool dimensionless(TypeKind kind) {
  return kind == TypeKind::Number || kind == TypeKind::Count || kind == TypeKind::Percent ||
         kind == TypeKind::NumberLiteral;
}

// Two dimensionless kinds: the same kind stays, a literal takes the other's, else number.
static TypeKind mixDimensionless(TypeKind a, TypeKind b) {
  if (a == b)
    return a;
  if (a == TypeKind::NumberLiteral)
    return b;
  if (b == TypeKind::NumberLiteral)
    return a;
  return TypeKind::Number;
}

static UnitResult fail(std::string error, std::string hint = {}) {
  return UnitResult{TypeKind::Error, std::move(error), std::move(hint)};
}

// A duration in months with one in days (or a number): a month has no fixed number of days, so
// `2 months / 1 days` or `2 months > 30 days` has no one answer.
static bool mixesMonthsAndDays(TypeKind lhs, TypeKind rhs) {
  return (lhs == TypeKind::MonthDuration && rhs == TypeKind::Duration) ||
         (lhs == TypeKind::Duration && rhs == TypeKind::MonthDuration);
}
static const char* kMonthsHint =
    "a month has no fixed number of days: use durations in months on both sides (`lookback / "
    "1 month`), move a date by it (`d + lookback`), or write it in days or weeks";

UnitResult arithmeticResult(BinaryOp op, TypeKind lhs, TypeKind rhs) {
  if (lhs == TypeKind::Error || rhs == TypeKind::Error)
    return UnitResult{TypeKind::Error, {}, {}};
  const std::string a = kindName(lhs), b = kindName(rhs);
  const bool money = lhs == TypeKind::Money || rhs == TypeKind::Money;
  switch (op) {
  case BinaryOp::Add:
  case BinaryOp::Sub: {
    const char* verb = op == BinaryOp::Add ? "add" : "subtract";
    if (dimensionless(lhs) && dimensionless(rhs))
      return {mixDimensionless(lhs, rhs), {}, {}};
    if (money && (lhs == rhs || lhs == TypeKind::NumberLiteral || rhs == TypeKind::NumberLiteral))
      return {TypeKind::Money, {}, {}};
    if (money && (dimensionless(lhs) || dimensionless(rhs)))
      return fail(fmt::format("cannot {} `{}` and `{}`", verb, a, b),
                  "money only adds to money; multiply a count by an amount (`n * $40`) first");
    if (lhs == TypeKind::Date && (rhs == TypeKind::Duration || rhs == TypeKind::MonthDuration))
      return {TypeKind::Date, {}, {}};
    if (op == BinaryOp::Add && (lhs == TypeKind::Duration || lhs == TypeKind::MonthDuration) &&
        rhs == TypeKind::Date)
      return {TypeKind::Date, {}, {}};
    if (lhs == TypeKind::MonthDuration && rhs == TypeKind::MonthDuration)
      return {TypeKind::MonthDuration, {}, {}};
    if (mixesMonthsAndDays(lhs, rhs))
      return fail(fmt::format("cannot {} a duration in months and one in days", verb),
                  "a month has no fixed number of days: move a date by each in turn (`d + 2 "
                  "months + 14 days`)");
    if (op == BinaryOp::Sub && lhs == TypeKind::Date && rhs == TypeKind::Date)
      return {TypeKind::Duration, {}, {}};
    if (lhs == TypeKind::Duration && rhs == TypeKind::Duration)
      return {TypeKind::Duration, {}, {}};
    return fail(fmt::format("cannot {} `{}` and `{}`", verb, a, b));
  }
  case BinaryOp::Mul:
    if (dimensionless(lhs) && dimensionless(rhs))
      return {mixDimensionless(lhs, rhs), {}, {}};
    if (lhs == TypeKind::Money && rhs == TypeKind::Money)
      return fail("cannot multiply `money` by `money`",
                  "one side should be a count, number or percentage");
    if (money && (dimensionless(lhs) || dimensionless(rhs)))
      return {TypeKind::Money, {}, {}};
    if ((lhs == TypeKind::Duration && dimensionless(rhs)) ||
        (dimensionless(lhs) && rhs == TypeKind::Duration))
      return {TypeKind::Duration, {}, {}};
    if (lhs == TypeKind::MonthDuration || rhs == TypeKind::MonthDuration)
      return fail(fmt::format("cannot multiply `{}` by `{}`", a, b),
                  "a duration in months moves a date by whole months: write the count in it "
                  "(`6 months`)");
    return fail(fmt::format("cannot multiply `{}` by `{}`", a, b));
  case BinaryOp::Div:
    if (dimensionless(lhs) && dimensionless(rhs))
      return {rhs == TypeKind::NumberLiteral ? lhs
              : lhs == TypeKind::NumberLiteral && rhs == TypeKind::NumberLiteral
                  ? TypeKind::NumberLiteral
                  : TypeKind::Number,
              {},
              {}};
    if (lhs == TypeKind::Money && rhs == TypeKind::Money)
      return {TypeKind::Number, {}, {}};
    if (lhs == TypeKind::Money && dimensionless(rhs))
      return {TypeKind::Money, {}, {}};
    // A count over money is deals per dollar: in a framework, a ratio written upside down or
    // over the wrong target (`count(won) / quota`, which shows 0.0%).
    if (lhs == TypeKind::Count && rhs == TypeKind::Money)
      return fail("cannot divide `count` by `money`",
                  "a count over money is a count per dollar: divide a count by a count "
                  "(`count(...) / target_deals`), or money by money (`won / quota`)");
    if (dimensionless(lhs) && rhs == TypeKind::Money)
      return {TypeKind::Number, {}, {}};
    if (lhs == TypeKind::Duration && rhs == TypeKind::Duration)
      return {TypeKind::Number, {}, {}};
    if (lhs == TypeKind::Duration && dimensionless(rhs))
      return {TypeKind::Duration, {}, {}};
    if (lhs == TypeKind::MonthDuration && rhs == TypeKind::MonthDuration)
      return {TypeKind::Number, {}, {}};
    if (mixesMonthsAndDays(lhs, rhs))
      return fail(fmt::format("cannot divide `{}` by `{}`", a, b), kMonthsHint);
    if (lhs == TypeKind::MonthDuration)
      return fail(fmt::format("cannot divide `{}` by `{}`", a, b),
                  "a duration in months moves a date by whole months: write the count in it "
                  "(`6 months`)");
    return fail(fmt::format("cannot divide `{}` by `{}`", a, b));
  case BinaryOp::Pow:
    if (dimensionless(lhs) && dimensionless(rhs))
      return {TypeKind::Number, {}, {}};
    return fail(fmt::format("cannot raise `{}` to the power of `{}`", a, b),
                "`^` takes numbers, counts and percentages");
  default:
    return fail("not an arithmetic operator");
  }
}

UnitResult comparisonResult(BinaryOp op, TypeKind lhs, TypeKind rhs) {
  if (lhs == TypeKind::Error || rhs == TypeKind::Error)
    return UnitResult{TypeKind::Bool, {}, {}};
  const std::string spelling = ast::binaryOpSpelling(op);
  if (lhs == TypeKind::Missing || rhs == TypeKind::Missing)
    return fail(fmt::format("comparing with `missing` using `{}` is always missing", spelling),
                "write `x is missing` or `x is not missing`");
  const bool ordering = op != BinaryOp::Eq && op != BinaryOp::Ne;
  UnitResult unified = unifyKinds(lhs, rhs);
  if (!unified.ok())
    return fail(fmt::format("cannot compare `{}` with `{}`", kindName(lhs), kindName(rhs)),
                lhs == TypeKind::Money || rhs == TypeKind::Money
                    ? "money compares with money or a bare number (`value > 3000`)"
                : mixesMonthsAndDays(lhs, rhs) ? kMonthsHint
                                               : "");
  const TypeKind kind = unified.kind;
  if (ordering && (kind == TypeKind::Bool || kind == TypeKind::Text || kind == TypeKind::Entity))
    return fail(fmt::format("`{}` values have no order for `{}`", kindName(kind), spelling),
                "use `==` or `!=`");
  return UnitResult{TypeKind::Bool, {}, {}};
}

UnitResult unifyKinds(TypeKind a, TypeKind b) {
  if (a == TypeKind::Error || b == TypeKind::Error)
    return UnitResult{TypeKind::Error, {}, {}};
  if (a == TypeKind::Missing)
    return UnitResult{b, {}, {}};
  if (b == TypeKind::Missing || a == b)
    return UnitResult{a, {}, {}};
  if (dimensionless(a) && dimensionless(b))
    return UnitResult{mixDimensionless(a, b), {}, {}};
  if ((a == TypeKind::Money && b == TypeKind::NumberLiteral) ||
      (b == TypeKind::Money && a == TypeKind::NumberLiteral))
    return UnitResult{TypeKind::Money, {}, {}};
  // A reference compares with its key written as text: `owner == "Ann"`.
  if ((a == TypeKind::Entity && b == TypeKind::Text) ||
      (a == TypeKind::Text && b == TypeKind::Entity))
    return UnitResult{TypeKind::Entity, {}, {}};
  return fail(fmt::format("`{}` and `{}` do not mix", kindName(a), kindName(b)));
}

bool assignable(TypeKind from, TypeKind to) {
  if (from == TypeKind::Error || to == TypeKind::Error || from == TypeKind::Missing)
    return true;
  if (from == to)
    return true;
  if (dimensionless(to))
    return dimensionless(from);
  return to == TypeKind::Money && from == TypeKind::NumberLiteral;
}

} // namespace fulcrum
