// Expression checking: names resolve in the order fn parameters, the aggregate's row, the
// framework's members, the subject's fields, params, `period`, tables; types follow UnitRules.
#include "compiler/check/ExprChecker.h"

#include "compiler/check/FrameworkReads.h"
#include "compiler/check/UnitRules.h"
#include "runtime/plan/Aggregates.h"
#include "support/Text.h"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>
#include <tuple>

namespace fulcrum {

using namespace fulcrum::ast;

static Type fieldType(const FieldDecl& field) {
  return field.type;
}

std::vector<std::string> ExprChecker::visibleNames(const ExprContext& ctx) const {
  std::vector<std::string> names;
  if (ctx.fn) {
    for (const FnParam& param : ctx.fn->params)
      names.push_back(param.name.name);
    return names;
  }
  if (ctx.row)
    for (const FieldDecl& field : ctx.row->fields)
      names.push_back(field.name.name);
  if (ctx.scope) {
    for (const auto& [name, member] : ctx.scope->members)
      names.push_back(name);
    for (const auto& [name, kr] : ctx.scope->keyResults)
      names.push_back(name);
    if (ctx.scope->subject)
      for (const FieldDecl& field : ctx.scope->subject->fields)
        names.push_back(field.name.name);
    names.push_back("period");
  }
  for (const auto& [name, param] : symbols_.params)
    names.push_back(name);
  for (const auto& [name, data] : symbols_.data)
    names.push_back(name);
  return names;
}

bool ExprChecker::isShadowed(const std::string& name, const ExprContext& ctx) const {
  if (ctx.fn)
    return true;
  if (ctx.row && ctx.row->fieldIndex(name) >= 0)
    return true;
  if (ctx.scope) {
    if (ctx.scope->members.count(name) || ctx.scope->keyResults.count(name))
      return true;
    if (ctx.scope->subject && ctx.scope->subject->fieldIndex(name) >= 0)
      return true;
  }
  return symbols_.params.count(name) > 0;
}

std::set<const DataDecl*> ExprChecker::tableMentions(const Expr& expr,
                                                     const ExprContext& ctx) const {
  std::set<const DataDecl*> tables;
  // An explicit worklist: the value of an aggregate is an ordinary expression.
  std::vector<const Expr*> work{&expr};
  while (!work.empty()) {
    const Expr* e = work.back();
    work.pop_back();
    switch (e->kind) {
    case ExprKind::Name: {
      const auto& name = e->as<NameRef>().name;
      if (!isShadowed(name, ctx))
        if (const DataDecl* data = symbols_.findData(name))
          tables.insert(data);
      break;
    }
    case ExprKind::Member: {
      // `team_okrs.revenue.score`: the results of framework `team_okrs`.
      std::string output;
      if (const FrameworkDecl* framework = frameworkOf(e->as<MemberRef>(), ctx, output)) {
        if (framework->results)
          tables.insert(framework->results.get());
        break;
      }
      work.push_back(e->as<MemberRef>().base.get());
      break;
    }
    case ExprKind::Unary:
      work.push_back(e->as<UnaryExpr>().operand.get());
      break;
    case ExprKind::Binary:
      work.push_back(e->as<BinaryExpr>().lhs.get());
      work.push_back(e->as<BinaryExpr>().rhs.get());
      break;
    case ExprKind::IsMissing:
      work.push_back(e->as<IsMissingExpr>().operand.get());
      break;
    case ExprKind::In: {
      // A list's items are values of the row too: `count(deals where x in (deals.a, deals.b))`.
      const auto& in = e->as<InExpr>();
      work.push_back(in.value.get());
      if (in.inKind == InKind::List)
        for (const ExprPtr& item : in.items)
          work.push_back(item.get());
      break;
    }
    case ExprKind::If: {
      const auto& i = e->as<IfExpr>();
      work.insert(work.end(), {i.condition.get(), i.thenValue.get(), i.elseValue.get()});
      break;
    }
    case ExprKind::Case: {
      const auto& c = e->as<CaseExpr>();
      for (const CaseArm& arm : c.arms)
        work.insert(work.end(), {arm.condition.get(), arm.value.get()});
      if (c.elseValue)
        work.push_back(c.elseValue.get());
      break;
    }
    case ExprKind::Call: {
      // A nested aggregate ranges over its own table.
      const auto& call = e->as<CallExpr>();
      if (findAggregate(call.callee.name) && call.args.size() == 1)
        break;
      for (const ExprPtr& arg : call.args)
        work.push_back(arg.get());
      break;
    }
    default:
      break;
    }
  }
  return tables;
}

int ExprChecker::subjectLink(const DataDecl& table, const std::optional<Ident>& by,
                             const FrameworkScope& scope, SourceRange at) {
  const DataDecl* subject = scope.subject;
  if (!subject)
    return -1;
  if (subject->isCompany)
    return CallExpr::kEveryRow;
  // Another framework's results: rows of the group subject's members.
  if (table.resultsOf) {
    const DataDecl* read = table.resultsOf->subject;
    if (read && frameworkRelation(*subject, *read, symbols_) == FrameworkRelation::Members)
      return CallExpr::kMemberRows;
    if (read)
      sink_.report(DiagKind::InvalidReference, at,
                   fmt::format("framework `{}` is over `{}`, which is not what a `{}` is made of",
                               table.name.name, read->name.name, subject->name.name),
                   frameworkRelation(*subject, *read, symbols_) == FrameworkRelation::None
                       ? "aggregate a framework over the members of this subject"
                       : fmt::format("read its value directly, without `{}(...)`: one row is "
                                     "this subject's",
                                     "an aggregate"));
    return -1;
  }
  // The member entity of a group subject links through the group's field.
  if (&table == scope.memberEntity)
    return scope.memberGroupField;
  auto refersToSubject = [&](const FieldDecl& field) {
    return field.type.kind == TypeKind::Entity &&
           (field.type.data == subject ||
            (scope.memberEntity && field.type.data == scope.memberEntity));
  };
  if (by) {
    const int index = table.fieldIndex(by->name);
    if (index < 0) {
      std::vector<std::string> names;
      for (const FieldDecl& field : table.fields)
        names.push_back(field.name.name);
      sink_.report(DiagKind::UnknownField, by->range,
                   fmt::format("table `{}` has no field `{}`", table.name.name, by->name),
                   suggestName(by->name, names));
      return -1;
    }
    if (!refersToSubject(table.fields[index])) {
      sink_.report(DiagKind::TypeMismatch, by->range,
                   fmt::format("`by {}` must name a reference to `{}`; `{}` is `{}`", by->name,
                               subject->name.name, by->name, typeName(table.fields[index].type)));
      return -1;
    }
    return index;
  }
  std::vector<int> links;
  for (size_t i = 0; i < table.fields.size(); ++i)
    if (refersToSubject(table.fields[i]))
      links.push_back(static_cast<int>(i));
  if (links.size() == 1)
    return links[0];
  if (links.empty()) {
    sink_.report(
        DiagKind::NoSubjectReference, at,
        fmt::format("`{}` has no field that refers to the subject `{}`", table.name.name,
                    subject->name.name),
        fmt::format("give `{}` a field of type `{}`", table.name.name,
                    scope.memberEntity ? scope.memberEntity->name.name : subject->name.name));
    return -1;
  }
  std::string names;
  for (size_t i = 0; i < links.size(); ++i)
    names += fmt::format("{}`{}`", i ? ", " : "", table.fields[links[i]].name.name);
  sink_.report(DiagKind::AmbiguousSubjectReference, at,
               fmt::format("`{}` refers to `{}` through {}; which one is meant?", table.name.name,
                           subject->name.name, names),
               fmt::format("say which with `by`: `... by {}`", table.fields[links[0]].name.name));
  return -1;
}

Type ExprChecker::check(Expr& expr, const ExprContext& ctx) {
  Type type;
  switch (expr.kind) {
  case ExprKind::Number:
    type = Type::of(TypeKind::NumberLiteral);
    break;
  case ExprKind::Percent:
    type = Type::of(TypeKind::Percent);
    break;
  case ExprKind::Money: {
    type = Type::of(TypeKind::Money);
    const Currency* currency = expr.as<MoneyLit>().currency;
    if (currency && currency != &symbols_.currency())
      sink_.report(DiagKind::InvalidCurrency, expr.range,
                   fmt::format("an amount in {} in a program whose currency is {}", currency->code,
                               symbols_.currency().code),
                   fmt::format("a program has one currency: write amounts with `{}`{}",
                               symbols_.currency().sign,
                               symbols_.currencyDecl
                                   ? ""
                                   : fmt::format(", or declare `currency {}`", currency->code)));
    break;
  }
  case ExprKind::Date:
    type = Type::of(TypeKind::Date);
    break;
  case ExprKind::PeriodLit:
    type = checkPeriodLiteral(expr.as<PeriodLitExpr>());
    break;
  case ExprKind::Duration:
    type = Type::of(isCalendarUnit(expr.as<DurationLit>().unit) ? TypeKind::MonthDuration
                                                                : TypeKind::Duration);
    break;
  case ExprKind::String:
    type = checkString(expr.as<StringLit>(), ctx);
    break;
  case ExprKind::Bool:
    type = Type::of(TypeKind::Bool);
    break;
  case ExprKind::Missing:
    type = Type::of(TypeKind::Missing, true);
    break;
  case ExprKind::Name:
    type = checkName(expr.as<NameRef>(), ctx);
    break;
  case ExprKind::Member:
    type = checkMember(expr.as<MemberRef>(), ctx);
    break;
  case ExprKind::Unary:
    type = checkUnary(expr.as<UnaryExpr>(), ctx);
    break;
  case ExprKind::Binary:
    type = checkBinary(expr.as<BinaryExpr>(), ctx);
    break;
  case ExprKind::IsMissing:
    check(*expr.as<IsMissingExpr>().operand, ExprContext{ctx.scope, ctx.row, ctx.fn, false});
    type = Type::of(TypeKind::Bool);
    break;
  case ExprKind::In:
    type = checkIn(expr.as<InExpr>(), ctx);
    break;
  case ExprKind::If:
    type = checkIf(expr.as<IfExpr>(), ctx);
    break;
  case ExprKind::Case:
    type = checkCase(expr.as<CaseExpr>(), ctx);
    break;
  case ExprKind::Call:
    type = checkCall(expr.as<CallExpr>(), ctx);
    break;
  case ExprKind::Error:
    break;
  }
  expr.type = type;
  return type;
}

void ExprChecker::checkCondition(Expr& expr, const ExprContext& ctx, const char* what) {
  const Type type = check(expr, ctx);
  if (!type.isError() && type.kind != TypeKind::Bool)
    sink_.report(DiagKind::NotBoolean, expr.range,
                 fmt::format("{} must be true or false, but this is `{}`", what, typeName(type)),
                 type.isNumeric() ? "compare it: `x > 0`" : "");
}

// A missing hole prints as empty, so the text itself is never missing.
Type ExprChecker::checkString(StringLit& string, const ExprContext& ctx) {
  for (StringLit::Part& part : string.parts) {
    if (!part.expr)
      continue;
    const Type type = check(*part.expr, ctx);
    if (type.kind == TypeKind::Rows)
      sink_.report(DiagKind::TypeMismatch, part.expr->range,
                   fmt::format("a message cannot show {}", typeName(type)),
                   "show one value: a field, a metric or an aggregate");
  }
  return Type::of(TypeKind::Text);
}

Type ExprChecker::checkName(NameRef& name, const ExprContext& ctx) {
  const std::string& n = name.name;
  if (ctx.fn) {
    for (size_t i = 0; i < ctx.fn->params.size(); ++i)
      if (ctx.fn->params[i].name.name == n) {
        name.resolution = {RefKind::FnParam, &ctx.fn->params[i], static_cast<int>(i)};
        return ctx.fn->params[i].type;
      }
    NameSuggestion suggestion = suggestName(n, visibleNames(ctx));
    if (suggestion.hint.empty())
      suggestion.hint = "a function sees only its own parameters";
    sink_.report(DiagKind::UnknownName, name.range,
                 fmt::format("unknown name `{}` in function `{}`", n, ctx.fn->name.name),
                 std::move(suggestion));
    return Type::error();
  }
  if (ctx.row) {
    const int index = ctx.row->fieldIndex(n);
    if (index >= 0) {
      name.resolution = {RefKind::RowField, &ctx.row->fields[index], index};
      return fieldType(ctx.row->fields[index]);
    }
  }
  if (ctx.scope) {
    if (auto it = ctx.scope->members.find(n); it != ctx.scope->members.end()) {
      const Member* member = it->second;
      if (member->is<AlertMember>()) {
        sink_.report(DiagKind::NotAValue, name.range, fmt::format("alert `{}` is not a value", n));
        return Type::error();
      }
      if (member->is<ObjectiveMember>()) {
        sink_.report(DiagKind::NotAValue, name.range,
                     fmt::format("objective `{}` is not a value", n),
                     fmt::format("read its score or grade: `{0}.score`, `{0}.grade`", n));
        return Type::error();
      }
      name.resolution = {RefKind::Metric, member, -1};
      auto type = ctx.scope->valueTypes.find(member);
      return type == ctx.scope->valueTypes.end() ? Type::error() : type->second;
    }
    if (auto it = ctx.scope->keyResults.find(n); it != ctx.scope->keyResults.end()) {
      name.resolution = {RefKind::KeyResult, it->second.second, -1};
      auto type = ctx.scope->valueTypes.find(it->second.second);
      return type == ctx.scope->valueTypes.end() ? Type::error() : type->second;
    }
    if (ctx.scope->subject) {
      const int index = ctx.scope->subject->fieldIndex(n);
      if (index >= 0) {
        name.resolution = {RefKind::SubjectField, &ctx.scope->subject->fields[index], index};
        return fieldType(ctx.scope->subject->fields[index]);
      }
    }
  }
  if (auto it = symbols_.params.find(n); it != symbols_.params.end()) {
    name.resolution = {RefKind::Param, it->second, -1};
    return it->second->type;
  }
  if (n == "period") {
    if (!ctx.scope) {
      sink_.report(DiagKind::UnknownName, name.range, "`period` is only known inside a framework",
                   "use it in a framework's metric, where it is the period being run");
      return Type::error();
    }
    name.resolution = {RefKind::Period, nullptr, -1};
    return Type::of(TypeKind::Period);
  }
  if (const DataDecl* data = symbols_.findData(n)) {
    name.resolution = {RefKind::Table, data, -1};
    if (!ctx.allowRows) {
      const bool isSubject = ctx.scope && ctx.scope->subject == data;
      sink_.report(
          DiagKind::NotAValue, name.range,
          fmt::format("`{}` is {}, not a value", n, data->isEntity ? "an entity" : "a table"),
          isSubject ? fmt::format("inside `subject {}`, name the subject's fields directly, for "
                                  "example `{}`",
                                  n, data->fields.empty() ? "name" : data->fields[0].name.name)
                    : fmt::format("aggregate it, for example `count({})`", n));
      return Type::error();
    }
    Type rows = Type::of(TypeKind::Rows);
    rows.data = data;
    return rows;
  }
  if (symbols_.frameworks.count(n) || symbols_.fns.count(n)) {
    sink_.report(DiagKind::NotAValue, name.range,
                 fmt::format("`{}` is a {}, not a value", n,
                             symbols_.fns.count(n) ? "function" : "framework"),
                 symbols_.fns.count(n) ? fmt::format("call it: `{}(...)`", n) : "");
    return Type::error();
  }
  sink_.report(DiagKind::UnknownName, name.range, fmt::format("unknown name `{}`", n),
               suggestName(n, visibleNames(ctx)));
  return Type::error();
}

// The framework a dotted name starts with (`team_okrs` in `team_okrs.revenue.score`) and the
// rest of it (`revenue.score`), when it names one that no nearer name hides.
const FrameworkDecl* ExprChecker::frameworkOf(const MemberRef& member, const ExprContext& ctx,
                                              std::string& output) const {
  output = member.member.name;
  const Expr* base = member.base.get();
  while (base->is<MemberRef>()) {
    output = base->as<MemberRef>().member.name + "." + output;
    base = base->as<MemberRef>().base.get();
  }
  if (!base->is<NameRef>() || !ctx.scope || ctx.fn)
    return nullptr;
  const std::string& name = base->as<NameRef>().name;
  if (isShadowed(name, ctx) || ctx.scope->members.count(name) ||
      ctx.scope->keyResults.count(name) ||
      (ctx.scope->subject && ctx.scope->subject->fieldIndex(name) >= 0))
    return nullptr;
  auto it = symbols_.frameworks.find(name);
  return it == symbols_.frameworks.end() ? nullptr : it->second;
}

// `team_okrs.revenue.score`: another framework's output column. Inside an aggregate over its
// results, the row's; else the value for this subject or the level above it.
Type ExprChecker::checkFrameworkRead(MemberRef& member, const FrameworkDecl& framework,
                                     const std::string& output, const ExprContext& ctx) {
  if (&framework == ctx.scope->framework) {
    sink_.report(
        DiagKind::UnknownField, member.range,
        fmt::format("`{}` is this framework; read its member directly", framework.name.name),
        fmt::format("write `{}`", output));
    return Type::error();
  }
  const DataDecl* results = framework.results.get();
  if (!results || !framework.subject || !ctx.scope->subject)
    return Type::error(); // not checked: a cycle of frameworks (reported) or no subject
  // It runs for the same period as this one, so it must have the same cadence.
  const auto* reader = ctx.scope->framework;
  if (reader && reader->cadence && framework.cadence && *reader->cadence != *framework.cadence) {
    sink_.report(DiagKind::InvalidCadence, member.range,
                 fmt::format("framework `{}` runs every {}, but `{}` every {}: it cannot be "
                             "read for the same period",
                             framework.name.name, periodUnitName(*framework.cadence),
                             reader->name.name, periodUnitName(*reader->cadence)),
                 "read a framework with the same cadence");
    return Type::error();
  }
  const int index = results->fieldIndex(output);
  if (index < 0) {
    std::vector<std::string> names;
    for (const FieldDecl& f : results->fields)
      names.push_back(f.name.name);
    sink_.report(DiagKind::UnknownField, member.range,
                 fmt::format("framework `{}` has no output `{}`", framework.name.name, output),
                 didYouMean(output, names));
    return Type::error();
  }
  const FieldDecl& field = results->fields[index];
  if (ctx.row == results) {
    member.resolution = {RefKind::RowField, &field, index};
    return field.type;
  }
  const FrameworkRelation relation =
      frameworkRelation(*ctx.scope->subject, *framework.subject, symbols_);
  if (relation == FrameworkRelation::Same || relation == FrameworkRelation::Parent) {
    member.resolution = {RefKind::FrameworkOutput, &field, index};
    return field.type;
  }
  if (relation == FrameworkRelation::Members)
    sink_.report(
        DiagKind::NotAValue, member.range,
        fmt::format("`{}.{}` is one value per `{}`, and a `{}` holds several", framework.name.name,
                    output, framework.subject->name.name, ctx.scope->subject->name.name),
        fmt::format("aggregate it, for example `avg({}.{})`", framework.name.name, output));
  else
    sink_.report(DiagKind::InvalidReference, member.range,
                 fmt::format("framework `{}` is over `{}`, which is neither `{}`, the level above "
                             "it, nor its members",
                             framework.name.name, framework.subject->name.name,
                             ctx.scope->subject->name.name),
                 "a framework reads another over the same subject, the company or the group "
                 "above it, or (aggregated) the members of its subject");
  return Type::error();
}

Type ExprChecker::checkMember(MemberRef& member, const ExprContext& ctx) {
  const std::string& field = member.member.name;
  {
    std::string output;
    if (const FrameworkDecl* framework = frameworkOf(member, ctx, output))
      return checkFrameworkRead(member, *framework, output, ctx);
  }
  if (member.base->is<NameRef>()) {
    auto& base = member.base->as<NameRef>();
    const bool shadowed = isShadowed(base.name, ctx);
    // `period.start`, `period.end`.
    if (base.name == "period" && !shadowed && ctx.scope) {
      base.resolution = {RefKind::Period, nullptr, -1};
      base.type = Type::of(TypeKind::Period);
      if (field == "start" || field == "end") {
        member.resolution = {field == "start" ? RefKind::PeriodStart : RefKind::PeriodEnd, nullptr,
                             -1};
        return Type::of(TypeKind::Date);
      }
      sink_.report(DiagKind::UnknownField, member.member.range,
                   fmt::format("`period` has no field `{}`", field),
                   suggestName(field, {"start", "end"}));
      return Type::error();
    }
    // `deals.value`: a field of the aggregate's current row.
    if (const DataDecl* data = shadowed ? nullptr : symbols_.findData(base.name)) {
      base.resolution = {RefKind::Table, data, -1};
      const int index = data->fieldIndex(field);
      if (index < 0) {
        std::vector<std::string> names;
        for (const FieldDecl& f : data->fields)
          names.push_back(f.name.name);
        sink_.report(DiagKind::UnknownField, member.member.range,
                     fmt::format("{} `{}` has no field `{}`", data->isEntity ? "entity" : "table",
                                 data->name.name, field),
                     suggestName(field, names));
        return Type::error();
      }
      if (ctx.row != data) {
        sink_.report(DiagKind::NotAValue, member.range,
                     fmt::format("`{}.{}` is one value per `{}` row, not a single value", base.name,
                                 field, base.name),
                     fmt::format("aggregate it, for example `sum({}.{})`", base.name, field));
        return Type::error();
      }
      member.resolution = {RefKind::RowField, &data->fields[index], index};
      return fieldType(data->fields[index]);
    }
    // `big_wins.progress`: a key result's actual, target or progress.
    if (ctx.scope && !ctx.fn && !(ctx.row && ctx.row->fieldIndex(base.name) >= 0)) {
      auto kr = ctx.scope->keyResults.find(base.name);
      if (kr != ctx.scope->keyResults.end()) {
        const KeyResult* result = kr->second.second;
        base.resolution = {RefKind::KeyResult, result, -1};
        static const char* const kParts[] = {"actual", "target", "progress"};
        for (int part = 0; part < 3; ++part)
          if (field == kParts[part]) {
            member.resolution = {RefKind::KeyResultPart, result, part};
            if (part == 2)
              return Type::of(TypeKind::Percent, true);
            auto type = ctx.scope->valueTypes.find(result);
            return type == ctx.scope->valueTypes.end() ? Type::error() : type->second;
          }
        sink_.report(DiagKind::UnknownField, member.member.range,
                     fmt::format("key result `{}` has no `{}`", base.name, field),
                     suggestName(field, {"actual", "target", "progress"}));
        return Type::error();
      }
    }
    // `revenue.score`, `revenue.grade`: an objective's score and its grade.
    if (ctx.scope && !ctx.fn && !(ctx.row && ctx.row->fieldIndex(base.name) >= 0)) {
      auto it = ctx.scope->members.find(base.name);
      if (it != ctx.scope->members.end() && it->second->is<ObjectiveMember>()) {
        base.resolution = {RefKind::Metric, it->second, -1};
        if (field == "score" || field == "grade") {
          member.resolution = {RefKind::ObjectivePart, it->second, field == "score" ? 0 : 1};
          return Type::of(field == "score" ? TypeKind::Percent : TypeKind::Text, true);
        }
        sink_.report(DiagKind::UnknownField, member.member.range,
                     fmt::format("objective `{}` has no `{}`", base.name, field),
                     suggestName(field, {"score", "grade"}));
        return Type::error();
      }
    }
    // `llr.results`: a component of a score.
    if (ctx.scope && !ctx.fn) {
      auto it = ctx.scope->members.find(base.name);
      if (it != ctx.scope->members.end() && it->second->is<ScoreMember>()) {
        const auto& score = it->second->as<ScoreMember>();
        base.resolution = {RefKind::Metric, &score, -1};
        for (size_t i = 0; i < score.components.size(); ++i)
          if (score.components[i].name.name == field) {
            member.resolution = {RefKind::ScoreComponent, &score, static_cast<int>(i)};
            return Type::of(TypeKind::Number, true);
          }
        std::vector<std::string> names;
        for (const ScoreComponent& c : score.components)
          names.push_back(c.name.name);
        sink_.report(DiagKind::UnknownField, member.member.range,
                     fmt::format("score `{}` has no component `{}`", score.name.name, field),
                     suggestName(field, names));
        return Type::error();
      }
    }
  }
  // `owner.manager`: a field reached through a reference.
  const Type base = check(*member.base, ctx);
  if (base.isError())
    return base;
  if (base.kind == TypeKind::Entity && base.data) {
    const int index = base.data->fieldIndex(field);
    if (index < 0) {
      std::vector<std::string> names;
      for (const FieldDecl& f : base.data->fields)
        names.push_back(f.name.name);
      sink_.report(DiagKind::UnknownField, member.member.range,
                   fmt::format("entity `{}` has no field `{}`", base.data->name.name, field),
                   suggestName(field, names));
      return Type::error();
    }
    member.resolution = {RefKind::Referenced, &base.data->fields[index], index};
    return fieldType(base.data->fields[index])
        .asOptional(base.optional || base.data->fields[index].type.optional);
  }
  sink_.report(DiagKind::UnknownField, member.member.range,
               fmt::format("a `{}` has no fields; `.{}` does not apply", typeName(base), field));
  return Type::error();
}

Type ExprChecker::checkUnary(UnaryExpr& unary, const ExprContext& ctx) {
  const Type operand = check(*unary.operand, ctx);
  if (operand.isError())
    return operand;
  if (unary.op == UnaryOp::Not) {
    if (operand.kind != TypeKind::Bool) {
      sink_.report(DiagKind::NotBoolean, unary.operand->range,
                   fmt::format("`not` needs true or false, but this is `{}`", typeName(operand)));
      return Type::error();
    }
    return operand;
  }
  if (!operand.isNumeric() && operand.kind != TypeKind::Duration &&
      operand.kind != TypeKind::MonthDuration) {
    sink_.report(DiagKind::TypeMismatch, unary.range,
                 fmt::format("cannot negate a `{}`", typeName(operand)));
    return Type::error();
  }
  return operand;
}

// True for a literal that cannot be zero, so dividing by it cannot give missing.
static bool isNonZeroLiteral(const Expr& e) {
  if (e.is<NumberLit>())
    return e.as<NumberLit>().value != 0;
  if (e.is<PercentLit>())
    return e.as<PercentLit>().fraction != 0;
  if (e.is<MoneyLit>())
    return e.as<MoneyLit>().value != 0;
  return false;
}

Type ExprChecker::checkBinary(BinaryExpr& binary, const ExprContext& ctx) {
  const Type lhs = check(*binary.lhs, ctx);
  const Type rhs = check(*binary.rhs, ctx);
  const BinaryOp op = binary.op;
  const bool optional = lhs.optional || rhs.optional;
  if (op == BinaryOp::And || op == BinaryOp::Or || op == BinaryOp::Implies) {
    bool ok = true;
    for (const auto* side : {binary.lhs.get(), binary.rhs.get()})
      if (!side->type.isError() && side->type.kind != TypeKind::Bool) {
        sink_.report(DiagKind::NotBoolean, side->range,
                     fmt::format("`{}` needs true or false on both sides, but this is `{}`",
                                 binaryOpSpelling(op), typeName(side->type)));
        ok = false;
      }
    return ok && !lhs.isError() && !rhs.isError() ? Type::of(TypeKind::Bool, optional)
                                                  : Type::error();
  }
  if (op == BinaryOp::Coalesce) {
    const Type unified = unify(lhs, rhs, binary.range, "`??`");
    return unified.isError() ? unified : unified.asOptional(rhs.optional);
  }
  if (lhs.kind == TypeKind::Rows || rhs.kind == TypeKind::Rows)
    return Type::error();
  if (isComparison(op)) {
    const UnitResult result = comparisonResult(op, lhs.kind, rhs.kind);
    if (!result.ok()) {
      const bool units = lhs.isNumeric() && rhs.isNumeric();
      // A reference is shown by its entity's name, and compares with its key as text.
      const bool reference = lhs.kind == TypeKind::Entity || rhs.kind == TypeKind::Entity;
      const bool withMissing = lhs.kind == TypeKind::Missing || rhs.kind == TypeKind::Missing;
      if (reference && !withMissing && !unifyKinds(lhs.kind, rhs.kind).ok())
        sink_.report(DiagKind::TypeMismatch, binary.range,
                     fmt::format("cannot compare `{}` with `{}`", typeName(lhs.asOptional(false)),
                                 typeName(rhs.asOptional(false))),
                     "a reference compares with its key written as text: `owner == \"Ann\"`");
      else if (reference && !withMissing)
        sink_.report(
            DiagKind::TypeMismatch, binary.range,
            fmt::format("`{}` values have no order for `{}`",
                        typeName((lhs.kind == TypeKind::Entity ? lhs : rhs).asOptional(false)),
                        binaryOpSpelling(op)),
            result.hint);
      else
        sink_.report(units ? DiagKind::UnitMismatch : DiagKind::TypeMismatch, binary.range,
                     result.error, result.hint);
      return Type::error();
    }
    return Type::of(TypeKind::Bool, optional);
  }
  const UnitResult result = arithmeticResult(op, lhs.kind, rhs.kind);
  if (!result.ok()) {
    const bool units = lhs.isNumeric() && rhs.isNumeric();
    sink_.report(units ? DiagKind::UnitMismatch : DiagKind::TypeMismatch, binary.range,
                 result.error, result.hint);
    return Type::error();
  }
  // Division by zero gives missing, so a quotient may be missing unless the divisor is a
  // non-zero literal.
  const bool mayDivideByZero = op == BinaryOp::Div && !isNonZeroLiteral(*binary.rhs);
  return Type::of(result.kind, optional || mayDivideByZero);
}

Type ExprChecker::unify(const Type& a, const Type& b, SourceRange at, const char* what) {
  if (a.isError() || b.isError())
    return Type::error();
  const UnitResult result = unifyKinds(a.kind, b.kind);
  if (!result.ok()) {
    const bool units = a.isNumeric() && b.isNumeric();
    sink_.report(units ? DiagKind::UnitMismatch : DiagKind::TypeMismatch, at,
                 fmt::format("the values of {} must have one type: {}", what, result.error));
    return Type::error();
  }
  Type type = Type::of(result.kind, a.optional || b.optional);
  type.data = a.data ? a.data : b.data;
  return type;
}

Type ExprChecker::checkIn(InExpr& in, const ExprContext& ctx) {
  const Type value = check(*in.value, ctx);
  if (in.inKind == InKind::List) {
    bool ok = !value.isError();
    for (ExprPtr& item : in.items) {
      const Type itemType = check(*item, ctx);
      if (ok && !itemType.isError()) {
        const UnitResult result = comparisonResult(BinaryOp::Eq, value.kind, itemType.kind);
        if (!result.ok()) {
          sink_.report(
              DiagKind::TypeMismatch, item->range,
              fmt::format("`{}` cannot be in a list of `{}`", typeName(value), typeName(itemType)));
          ok = false;
        }
      }
    }
    return ok ? Type::of(TypeKind::Bool, value.optional) : Type::error();
  }
  if (in.inKind == InKind::Value) {
    const Type window = check(*in.items[0], ctx);
    if (window.isError() || value.isError())
      return Type::error();
    if (window.kind != TypeKind::Period) {
      sink_.report(
          DiagKind::TypeMismatch, in.items[0]->range,
          fmt::format("`in` needs a period or a list in parentheses, not `{}`", typeName(window)),
          "write `x in (\"a\", \"b\")` or `d in period`");
      return Type::error();
    }
  } else if (!ctx.scope) {
    sink_.report(DiagKind::UnknownName, in.windowRange,
                 "period windows are only known inside a framework",
                 "test the window in a framework's metric and pass the result in");
    return Type::error();
  }
  if (value.isError())
    return value;
  if (value.kind != TypeKind::Date) {
    sink_.report(DiagKind::TypeMismatch, in.value->range,
                 fmt::format("only a date can be in a period, not a `{}`", typeName(value)),
                 value.kind == TypeKind::Period ? "compare periods with `==`" : "");
    return Type::error();
  }
  return Type::of(TypeKind::Bool, value.optional);
}

// `FY2018-Q1` names a quarter of the program's fiscal year; without a `calendar` declaration it
// names nothing (a guess at the start month would move every number silently).
Type ExprChecker::checkPeriodLiteral(PeriodLitExpr& lit) {
  if (!lit.fiscal)
    return Type::of(TypeKind::Period);
  const int fiscalStart = symbols_.fiscalStart();
  if (fiscalStart == 0) {
    sink_.report(DiagKind::InvalidCalendar, lit.range,
                 fmt::format("`{}` names a fiscal quarter, but the program declares no fiscal "
                             "calendar",
                             formatPeriod(lit.period)),
                 fmt::format("declare when the fiscal year starts (`calendar fiscal year starts "
                             "February`), or write a calendar quarter (`{}-Q{}`)",
                             lit.period.year, lit.period.index));
    return Type::error();
  }
  lit.period.fiscalStart = fiscalStart;
  return Type::of(TypeKind::Period);
}

Type ExprChecker::checkIf(IfExpr& ifExpr, const ExprContext& ctx) {
  checkCondition(*ifExpr.condition, ctx, "an `if` condition");
  const Type thenType = check(*ifExpr.thenValue, ctx);
  const Type elseType = check(*ifExpr.elseValue, ctx);
  const Type type = unify(thenType, elseType, ifExpr.range, "`then` and `else`");
  return type.isError() ? type : type.asOptional(type.optional || ifExpr.condition->type.optional);
}

Type ExprChecker::checkCase(CaseExpr& caseExpr, const ExprContext& ctx) {
  // Starts as the `missing` literal's type, which unifies with anything, without being optional.
  Type result = Type::of(TypeKind::Missing, false);
  bool optional = !caseExpr.elseValue; // no arm matching gives missing
  bool ok = true;
  for (CaseArm& arm : caseExpr.arms) {
    checkCondition(*arm.condition, ctx, "a `case` condition");
    optional = optional || arm.condition->type.optional;
    const Type value = check(*arm.value, ctx);
    if (ok) {
      result = unify(result, value, arm.value->range, "`case` arms");
      ok = !result.isError();
    }
  }
  if (caseExpr.elseValue) {
    const Type value = check(*caseExpr.elseValue, ctx);
    if (ok)
      result = unify(result, value, caseExpr.elseValue->range, "`case` arms");
  }
  if (result.isError())
    return result;
  return result.asOptional(result.optional || optional);
}

void ExprChecker::expectNumeric(const Type& type, const Expr& expr, const std::string& what) {
  if (!type.isError() && !type.isNumeric())
    sink_.report(
        DiagKind::TypeMismatch, expr.range,
        fmt::format("{} needs a number, count, percent or money, not `{}`", what, typeName(type)));
}

} // namespace fulcrum
