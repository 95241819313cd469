// Calls: a framework's own functions are inlined, built-ins lowered by their registry rows
// (runtime/plan/Functions.def), aggregates go to Aggregates.cpp and `across` to its peer slot.
#include "compiler/lower/Lowerer.h"
#include "runtime/plan/Functions.h"
#include "support/Money.h"

#include <fmt/format.h>

namespace fulcrum::lower {

// A built-in function by its row's lowering: a node over its arguments in turn (a duration in
// days), then the as-of day when the row asks for it; or a node over a list.
uint32_t Lowerer::lowerBuiltin(const CallExpr& call, const Context& ctx) {
  NodeBuilder& nodes = *ctx.nodes;
  const FunctionInfo& function = *call.builtin;
  if (function.lowering == FunctionLowering::RunParameter)
    return lowerWorkingDays(call, ctx);
  std::vector<uint32_t> operands;
  for (size_t i = 0; i < call.args.size(); ++i) // in turn: see InRange above
    operands.push_back(function.param(i) == FunctionParam::Duration
                           ? durationDays(*call.args[i], ctx)
                           : lowerAs(call.type.kind, *call.args[i], ctx)); // clamp(won, 0, 500)
  if (function.lowering == FunctionLowering::ListOfOperands)
    return nodes.list(function.op, 0, std::move(operands));
  if (function.lowering == FunctionLowering::OperandsAndAsOf)
    operands.push_back(periodLeaf(nodes, RunParamKind::AsOf, "as_of"));
  operands.resize(3, 0);
  // round, floor and ceil of money go to whole dollars: money is held in units.
  const bool toWholeDollars =
      call.type.kind == TypeKind::Money &&
      (function.op == POp::Round || function.op == POp::Floor || function.op == POp::Ceil);
  if (!toWholeDollars)
    return nodes.op(function.op, operands[0], operands[1], operands[2]);
  const uint32_t unitsPerDollar = nodes.constant(kMoneyUnitsPerDollar);
  const uint32_t dollars = nodes.op(POp::Div, operands[0], unitsPerDollar);
  const uint32_t whole = nodes.op(function.op, dollars);
  return nodes.op(POp::RoundMoney, nodes.op(POp::Mul, whole, unitsPerDollar));
}

// `working_days(period)`: a run parameter, less the days of a declared `holidays` table.
// Of `period` or a literal: a run parameter. Of any other period value (a row's `quarter`, a
// param): a node, WorkingDaysOf, over the value's bounds and the run's holidays.
uint32_t Lowerer::lowerWorkingDays(const CallExpr& call, const Context& ctx) {
  NodeBuilder& nodes = *ctx.nodes;
  const Expr& of = *call.args[0];
  RunParamSpec spec = periodParam(RunParamKind::WorkingDays, "working_days(period)");
  const bool runParameter =
      of.is<PeriodLitExpr>() ||
      (of.is<NameRef>() && of.as<NameRef>().resolution.kind == RefKind::Period);
  if (of.is<PeriodLitExpr>()) {
    const Period& period = of.as<PeriodLitExpr>().period;
    spec.fixedPeriod = std::make_pair(period.start(), period.end());
    spec.name = fmt::format("working_days({})", formatPeriod(period));
  }
  // A declared `holidays` table with a date field takes its days out.
  if (const DataDecl* holidays = compilation_.symbols.findData("holidays");
      holidays && !holidays->isEntity && !holidays->fromPath.empty())
    for (size_t f = 0; f < holidays->fields.size(); ++f)
      if (holidays->fields[f].type.kind == TypeKind::Date) {
        spec.holidaysTable = static_cast<int32_t>(tableIndex(holidays));
        spec.holidaysField = static_cast<int32_t>(f);
        spec.name += " without holidays";
        break;
      }
  if (runParameter)
    return nodes.leaf(POp::RunParam, runParam(std::move(spec)));
  plan_.holidaysTable = spec.holidaysTable;
  plan_.holidaysField = spec.holidaysField;
  return nodes.op(POp::WorkingDaysOf, lower(of, ctx));
}

uint32_t Lowerer::lowerCall(const CallExpr& call, const Context& ctx) {
  switch (call.callKind) {
  case CallKind::Aggregate:
    return lowerAggregate(call, ctx);
  case CallKind::PeerAggregate:
    if (auto it = peerSlots_.find(&call); it != peerSlots_.end() && ctx.table < 0)
      return ctx.nodes->leaf(POp::Slot, it->second);
    unsupported(call.range, "`across` inside an aggregate");
  case CallKind::Builtin:
    return lowerBuiltin(call, ctx);
  case CallKind::Function: {
    // Functions are pure and never recursive: inline the body with the arguments bound.
    std::map<const void*, uint32_t> args;
    for (size_t i = 0; i < call.args.size(); ++i)
      args[&call.function->params[i]] =
          lowerAs(call.function->params[i].type.kind, *call.args[i], ctx);
    Context inner = ctx;
    inner.fnArgs = &args;
    return lowerAs(call.function->resultType.kind, *call.function->body, inner);
  }
  case CallKind::Unresolved:
    break;
  }
  unsupported(call.range, fmt::format("calling `{}`", call.callee.name));
}

} // namespace fulcrum::lower
