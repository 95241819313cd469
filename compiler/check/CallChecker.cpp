// Calls: a framework's own functions, the built-in functions and the aggregates, checked
// against their rows in the registries (runtime/plan/Functions.def, runtime/plan/Aggregates.def).
#include "compiler/ast/Walk.h"
#include "compiler/check/ExprChecker.h"
#include "compiler/check/UnitRules.h"
#include "runtime/plan/Aggregates.h"
#include "runtime/plan/Functions.h"
#include "support/Text.h"

#include <algorithm>
#include <fmt/format.h>
#include <tuple>

namespace fulcrum {

using namespace fulcrum::ast;

namespace {

// The names of the aggregates with `clause`, for messages: "`first` and `last`".
std::string namesWithClause(AggregateClause clause) {
  std::string names;
  for (const AggregateInfo& info : aggregates())
    if (info.clause == clause)
      names += fmt::format("{}`{}`", names.empty() ? "" : " and ", info.name);
  return names;
}

// An aggregate's type from its value's, by the row's result rule (the value is already
// checked against the row's input rule).
Type aggregateType(const AggregateInfo& info, const Type& value) {
  const bool optional = info.whenNone == AggregateWhenNone::MissingWhenNone;
  switch (info.result) {
  case AggregateResult::CountOf:
    return Type::of(TypeKind::Count, optional);
  case AggregateResult::SameUnit:
    return Type::of(settle(value.kind), optional);
  case AggregateResult::MeanUnit:
    return Type::of(value.kind == TypeKind::Money || value.kind == TypeKind::Percent
                        ? value.kind
                        : TypeKind::Number,
                    optional);
  case AggregateResult::SameType: {
    Type result = value.asOptional(optional);
    result.kind = settle(result.kind);
    return result;
  }
  }
  return Type::error();
}

} // namespace

Type ExprChecker::checkCall(CallExpr& call, const ExprContext& ctx) {
  const std::string& name = call.callee.name;
  const bool hasClauses = call.where || call.by || call.across || call.orderBy || call.distinct;
  // `min(a, b)` and `max(a, b)` of two or more values are the scalar least/greatest.
  const bool scalarAlias = findFunctionByAlias(name) && call.args.size() >= 2 && !hasClauses;
  // A call with clauses was meant as an aggregate: its arguments would only add noise.
  if (auto fn = symbols_.fns.find(name); fn != symbols_.fns.end()) {
    if (hasClauses) {
      sink_.report(DiagKind::InvalidAggregateClause, call.clausesRange,
                   fmt::format("function `{}` takes no `where`, `by` or `order by`", name),
                   fmt::format("aggregate first, then call it: `{}(sum(... where ...))`", name));
      return Type::error();
    }
    return checkFunctionCall(call, *fn->second, ctx);
  }
  if (const AggregateInfo* aggregate = findAggregate(name, call.distinct);
      aggregate && !scalarAlias) {
    call.aggregate = aggregate->kind;
    if (!ctx.scope || ctx.fn) {
      sink_.report(DiagKind::AggregateNotAllowed, call.range,
                   fmt::format("`{}` ranges over a table, which only a framework can do", name),
                   ctx.fn ? "a function sees only its own parameters; pass the aggregate in"
                          : "move the aggregate into a framework's metric");
      return Type::error(); // its arguments would only add noise
    }
    return call.across ? checkPeerAggregate(call, ctx) : checkAggregate(call, ctx);
  }
  if (findFunction(name) || scalarAlias) {
    if (hasClauses) {
      sink_.report(DiagKind::InvalidAggregateClause, call.clausesRange,
                   fmt::format("`{}` is not an aggregate; it takes no clauses", name),
                   fmt::format("aggregate first, then call it: `{}(sum(... where ...))`", name));
      return Type::error();
    }
    return checkBuiltin(call, ctx);
  }
  std::vector<std::string> names;
  for (const FunctionInfo& info : functions())
    names.emplace_back(info.name);
  for (const AggregateInfo& info : aggregates())
    if (info.clause != AggregateClause::Distinct) // `count` once
      names.emplace_back(info.name);
  for (const auto& [fnName, fn] : symbols_.fns)
    names.push_back(fnName);
  // The arguments are not checked: without the callee, `deals.value` could be fine or not.
  sink_.report(DiagKind::UnknownFunction, call.callee.range,
               fmt::format("unknown function `{}`", name), suggestName(name, names));
  return Type::error();
}

Type ExprChecker::checkFunctionCall(CallExpr& call, const FnDecl& fn, const ExprContext& ctx) {
  call.callKind = CallKind::Function;
  call.function = &fn;
  bool optional = fn.resultType.optional;
  std::vector<Type> argTypes;
  for (ExprPtr& arg : call.args)
    argTypes.push_back(check(*arg, ctx));
  if (call.args.size() != fn.params.size()) {
    sink_.report(DiagKind::WrongArgumentCount, call.range,
                 fmt::format("`{}` takes {} argument{}, not {}", fn.name.name, fn.params.size(),
                             fn.params.size() == 1 ? "" : "s", call.args.size()));
    return Type::error();
  }
  for (size_t i = 0; i < call.args.size(); ++i) {
    optional = optional || argTypes[i].optional;
    if (!assignable(argTypes[i].kind, fn.params[i].type.kind) ||
        (fn.params[i].type.kind == TypeKind::Entity && argTypes[i].kind == TypeKind::Entity &&
         fn.params[i].type.data != argTypes[i].data)) {
      const bool units = argTypes[i].isNumeric() && fn.params[i].type.isNumeric();
      sink_.report(units ? DiagKind::UnitMismatch : DiagKind::TypeMismatch, call.args[i]->range,
                   fmt::format("argument `{}` of `{}` is `{}`, but this is `{}`",
                               fn.params[i].name.name, fn.name.name, typeName(fn.params[i].type),
                               typeName(argTypes[i])));
    }
  }
  return fn.resultType.asOptional(optional);
}

// A built-in function: its arguments against its row's parameters in turn (the first that does
// not fit is reported), unified where its result is their common unit.
Type ExprChecker::checkBuiltin(CallExpr& call, const ExprContext& ctx) {
  const FunctionInfo* found = findFunction(call.callee.name);
  const FunctionInfo& info = found ? *found : *findFunctionByAlias(call.callee.name);
  call.callKind = CallKind::Builtin;
  call.builtin = &info;
  std::vector<Type> args;
  bool optional = false;
  for (ExprPtr& arg : call.args) {
    args.push_back(check(*arg, ctx));
    optional = optional || args.back().optional;
  }
  const int count = static_cast<int>(args.size());
  if (count < info.minArgs || (info.maxArgs >= 0 && count > info.maxArgs)) {
    sink_.report(DiagKind::WrongArgumentCount, call.range,
                 fmt::format("`{}` takes {} argument{}, not {}", call.callee.name,
                             info.maxArgs < 0 ? fmt::format("at least {}", info.minArgs)
                                              : std::to_string(info.minArgs),
                             info.minArgs == 1 && info.maxArgs == 1 ? "" : "s", count),
                 fmt::format("write `{}`", info.signature));
    return Type::error();
  }
  for (const Type& arg : args)
    if (arg.isError())
      return Type::error();
  const std::string what = fmt::format("`{}`", info.signature);
  Type unified = args[0];
  for (size_t i = 0; i < args.size(); ++i) {
    const FunctionParam param = info.param(i);
    if (param == FunctionParam::Number || param == FunctionParam::NumberOrDate) {
      if (!args[i].isNumeric() &&
          !(param == FunctionParam::NumberOrDate && args[i].kind == TypeKind::Date)) {
        expectNumeric(args[i], *call.args[i], what);
        return Type::error();
      }
    } else {
      const TypeKind kind = param == FunctionParam::Date     ? TypeKind::Date
                            : param == FunctionParam::Period ? TypeKind::Period
                                                             : TypeKind::Duration;
      if (args[i].kind != kind && args[i].kind != TypeKind::Missing) {
        sink_.report(
            DiagKind::TypeMismatch, call.args[i]->range,
            fmt::format("{} needs a `{}` here, not `{}`", what, kindName(kind), typeName(args[i])));
        return Type::error();
      }
    }
    if (info.result == FunctionResult::UnifiedArguments && i > 0) {
      unified =
          unify(unified, args[i], call.args[i]->range, fmt::format("`{}`", info.name).c_str());
      if (unified.isError())
        return unified;
    }
  }
  switch (info.result) {
  case FunctionResult::CountResult:
    return Type::of(TypeKind::Count, optional);
  case FunctionResult::NumberResult:
    return Type::of(TypeKind::Number, optional);
  case FunctionResult::SameAsArgument:
    return args[0];
  case FunctionResult::UnifiedArguments:
    // clamp's bounds never make the value missing; only x does.
    return info.missing == FunctionMissing::FirstArgument ? unified.asOptional(args[0].optional)
                                                          : unified;
  }
  return Type::error();
}

// An aggregate's value against its row's input rule; false (reported) when it does not fit.
bool ExprChecker::checkAggregateInput(const AggregateInfo& info, const Type& value,
                                      const Expr& arg) {
  const std::string name = fmt::format("`{}`", info.name);
  switch (info.input) {
  case AggregateInput::Numbers:
    expectNumeric(value, arg, name);
    return value.isNumeric();
  case AggregateInput::NumbersOrDates:
    if (!value.isNumeric() && value.kind != TypeKind::Date) {
      sink_.report(DiagKind::TypeMismatch, arg.range,
                   fmt::format("{} needs numbers or dates, not `{}`", name, typeName(value)));
      return false;
    }
    return true;
  case AggregateInput::ValuesOrRows:
  case AggregateInput::AnyValue:
    return true;
  }
  return false;
}

Type ExprChecker::checkAggregate(CallExpr& call, const ExprContext& ctx) {
  const AggregateInfo& info = aggregateInfo(call.aggregate);
  const std::string_view name = info.name;
  call.callKind = CallKind::Aggregate;
  if (call.args.size() != 1) {
    sink_.report(DiagKind::WrongArgumentCount, call.range,
                 fmt::format("`{}` takes one value to aggregate, not {}", name, call.args.size()),
                 findFunctionByAlias(name)
                     ? "for the smaller or larger of several values, give two or more values"
                     : "");
    return Type::error();
  }
  Expr& arg = *call.args[0];
  const auto tables = tableMentions(arg, ctx);
  bool readsFramework = false; // one in a cycle of frameworks (reported): no results to range over
  walkPreorder(arg, [&](const Expr& e) {
    std::string output;
    readsFramework =
        readsFramework || (e.is<MemberRef>() && frameworkOf(e.as<MemberRef>(), ctx, output));
  });
  if (tables.empty() && readsFramework)
    return Type::error();
  if (tables.empty()) {
    sink_.report(DiagKind::AggregateWithoutTable, arg.range,
                 fmt::format("`{}` needs a table to range over, and this names none", name),
                 fmt::format("name the table: `{}(deals.value)` or `count(deals)`", name));
    check(arg, ctx);
    return Type::error();
  }
  if (tables.size() > 1) {
    // In declaration order: the set is ordered by address, which differs from run to run.
    std::vector<const DataDecl*> ordered(tables.begin(), tables.end());
    std::sort(ordered.begin(), ordered.end(), [](const DataDecl* a, const DataDecl* b) {
      return std::tie(a->range.file, a->range.begin) < std::tie(b->range.file, b->range.begin);
    });
    std::string names;
    for (const DataDecl* t : ordered)
      names += fmt::format("{}`{}`", names.empty() ? "" : " and ", t->name.name);
    sink_.report(DiagKind::AggregateOverTwoTables, arg.range,
                 fmt::format("`{}` ranges over one table, but this names {}", name, names),
                 "aggregate each table separately and combine the results");
    return Type::error();
  }
  const DataDecl& table = **tables.begin();
  call.source = &table;
  call.subjectField = subjectLink(table, call.by, *ctx.scope, arg.range);
  const ExprContext rowCtx{ctx.scope, &table, nullptr, true};
  const Type value = check(arg, rowCtx);
  if (call.where)
    checkCondition(*call.where, ExprContext{ctx.scope, &table, nullptr, false},
                   "a `where` condition");
  if (call.distinct && info.clause != AggregateClause::Distinct)
    sink_.report(DiagKind::InvalidAggregateClause, call.range,
                 fmt::format("`distinct` applies to {}, not `{}`",
                             namesWithClause(AggregateClause::Distinct), name));
  checkOrderBy(call, info, ExprContext{ctx.scope, &table, nullptr, false});
  if (value.isError())
    return value;
  if (value.kind == TypeKind::Rows) {
    if (info.input != AggregateInput::ValuesOrRows) {
      sink_.report(DiagKind::TypeMismatch, arg.range,
                   fmt::format("`{}` needs a value per row, not the rows themselves", name),
                   fmt::format("for example `{}({}.<field>)`", name, table.name.name));
      return Type::error();
    }
    return Type::of(TypeKind::Count);
  }
  return checkAggregateInput(info, value, arg) ? aggregateType(info, value) : Type::error();
}

// `order by KEY` (a number, date or text; `keyCtx`: a row's fields, or the subject's members
// across peers): required by first and last, and taken by no other aggregate.
void ExprChecker::checkOrderBy(CallExpr& call, const AggregateInfo& info,
                               const ExprContext& keyCtx) {
  const std::string_view name = info.name;
  const bool ordered = info.clause == AggregateClause::OrderBy;
  if (call.orderBy) {
    const Type order = check(*call.orderBy, keyCtx);
    if (!ordered)
      sink_.report(DiagKind::InvalidAggregateClause, call.orderBy->range,
                   fmt::format("`order by` applies to {}, not `{}`",
                               namesWithClause(AggregateClause::OrderBy), name));
    else if (!order.isError() && !order.isNumeric() && order.kind != TypeKind::Date &&
             order.kind != TypeKind::Text)
      sink_.report(DiagKind::TypeMismatch, call.orderBy->range,
                   fmt::format("cannot order by a `{}`", typeName(order)));
  } else if (ordered) {
    sink_.report(DiagKind::InvalidAggregateClause, call.range,
                 fmt::format("`{}` needs `order by` to know which {} comes {}", name,
                             call.across ? "peer" : "row", name),
                 call.across ? fmt::format("for example `{}(won order by attainment across {})`",
                                           name, call.across->name)
                             : fmt::format("for example `{}(deals.value order by closed)`", name));
  }
}

Type ExprChecker::checkPeerAggregate(CallExpr& call, const ExprContext& ctx) {
  const AggregateInfo& info = aggregateInfo(call.aggregate);
  const std::string_view name = info.name;
  call.callKind = CallKind::PeerAggregate;
  const DataDecl* subject = ctx.scope->subject;
  if (subject && call.across->name != subject->name.name) {
    sink_.report(DiagKind::TypeMismatch, call.across->range,
                 fmt::format("`across {}` must name the subject `{}`", call.across->name,
                             subject->name.name),
                 "peers are the other subjects of this framework");
  }
  if (call.by && subject && subject->fieldIndex(call.by->name) < 0) {
    std::vector<std::string> names;
    for (const FieldDecl& f : subject->fields)
      names.push_back(f.name.name);
    sink_.report(DiagKind::UnknownField, call.by->range,
                 fmt::format("entity `{}` has no field `{}`", subject->name.name, call.by->name),
                 suggestName(call.by->name, names));
  }
  if (call.where)
    sink_.report(DiagKind::InvalidAggregateClause, call.where->range,
                 "`across` aggregates every peer; it takes no `where`");
  if (call.args.size() != 1) {
    sink_.report(DiagKind::WrongArgumentCount, call.range,
                 fmt::format("`{}` takes one value to aggregate, not {}", name, call.args.size()));
    return Type::error();
  }
  const ExprContext peerCtx{ctx.scope, nullptr, nullptr, false};
  const Type value = check(*call.args[0], peerCtx);
  checkOrderBy(call, info, peerCtx);
  if (value.isError())
    return value;
  if (call.distinct && info.clause != AggregateClause::Distinct) {
    sink_.report(DiagKind::InvalidAggregateClause, call.range,
                 fmt::format("`distinct` applies to {}, not `{}`",
                             namesWithClause(AggregateClause::Distinct), name));
    return Type::error();
  }
  // Reported here, not first at run time, so that `check` passing means the framework runs.
  if (!info.acrossPeers) {
    sink_.report(DiagKind::NotSupportedYet, call.range,
                 fmt::format("`{}` across peers is not supported yet", name));
    return Type::error();
  }
  // Across peers the values are metrics: numbers, except that counting, first and last take
  // any value.
  if (info.input != AggregateInput::AnyValue && info.result != AggregateResult::CountOf) {
    expectNumeric(value, *call.args[0], fmt::format("`{}`", name));
    if (!value.isNumeric())
      return Type::error();
  }
  return aggregateType(info, value);
}

} // namespace fulcrum
