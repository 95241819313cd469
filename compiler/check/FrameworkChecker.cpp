// Checks one framework: subject and cadence, member names, the dependency order of its values
// (cycles are errors), each member's expressions in that order, and the case warnings.
#include "compiler/check/FrameworkChecker.h"

#include "compiler/ast/Walk.h"
#include "compiler/check/CaseAnalysis.h"
#include "compiler/check/FrameworkReads.h"
#include "compiler/check/Graph.h"
#include "compiler/check/MemberWord.h"
#include "compiler/check/ReportHints.h"
#include "compiler/check/UnitRules.h"
#include "compiler/check/Weights.h"
#include "runtime/plan/Aggregates.h"
#include "support/Text.h"

#include <cmath>
#include <fmt/format.h>
#include <set>

namespace fulcrum {

using namespace fulcrum::ast;

namespace {

class FrameworkChecker {
public:
  FrameworkChecker(FrameworkDecl& framework, const Symbols& symbols, DiagnosticSink& sink)
      : framework_(framework), symbols_(symbols), sink_(sink), exprs_(symbols, sink) {}

  void run();
  // Its outputs as a table for other frameworks, once run.
  std::unique_ptr<DataDecl> results() const { return resultsTable(framework_, scope_.valueTypes); }

private:
  void resolveSubjectAndCadence();
  void collectMemberNames();
  void collectDependencies(const Expr& expr, const DataDecl* row, std::vector<int>& out);
  void checkMember(Member& member);
  void checkMetric(MetricMember& metric, const ExprContext& ctx);
  void checkScore(ScoreMember& score, const ExprContext& ctx);
  void checkObjective(ObjectiveMember& objective, const ExprContext& ctx);
  void checkReadsWithin(const ObjectiveMember& objective, size_t k);
  void warnIfNotRatio(const MetricMember& metric, const Type& type);
  void checkAlert(AlertMember& alert, const ExprContext& ctx);

  FrameworkDecl& framework_;
  const Symbols& symbols_;
  DiagnosticSink& sink_;
  ExprChecker exprs_;
  FrameworkScope scope_;
  std::vector<Member*> nodes_; // members that take part in the dependency order
  std::map<const Member*, int> nodeIndex_;
};

void FrameworkChecker::resolveSubjectAndCadence() {
  const SubjectMember* subject = nullptr;
  const CadenceMember* cadence = nullptr;
  for (const MemberPtr& member : framework_.members) {
    if (member->is<SubjectMember>()) {
      if (subject)
        sink_.report(DiagKind::MissingSubject, member->range,
                     fmt::format("framework `{}` has more than one subject", framework_.name.name),
                     "a framework computes one row per subject; split it in two");
      else
        subject = &member->as<SubjectMember>();
    } else if (member->is<CadenceMember>()) {
      if (cadence)
        sink_.report(DiagKind::InvalidCadence, member->range,
                     fmt::format("framework `{}` has more than one cadence", framework_.name.name));
      else
        cadence = &member->as<CadenceMember>();
    }
  }
  if (!subject) {
    sink_.report(DiagKind::MissingSubject, framework_.name.range,
                 fmt::format("framework `{}` has no subject", framework_.name.name),
                 "say whom it scores, for example `subject rep`");
  } else if (const DataDecl* data = symbols_.findData(subject->entity.name)) {
    if (!data->isEntity) {
      sink_.report(DiagKind::InvalidReference, subject->entity.range,
                   fmt::format("`{}` is a table; a subject must be an entity", data->name.name),
                   "subjects are entities (reps, accounts) or groups of them");
    } else {
      framework_.subject = data;
      scope_.subject = data;
      if (data->group) {
        scope_.memberEntity = symbols_.findData(data->group->member.name);
        if (scope_.memberEntity)
          scope_.memberGroupField = scope_.memberEntity->fieldIndex(data->group->by.name);
      }
    }
  } else {
    std::vector<std::string> names;
    for (const auto& [name, decl] : symbols_.data)
      if (decl->isEntity)
        names.push_back(name);
    NameSuggestion suggestion = suggestName(subject->entity.name, names);
    if (suggestion.hint.empty())
      suggestion.hint = "declare it with `entity` or `group`";
    sink_.report(DiagKind::UnknownName, subject->entity.range,
                 fmt::format("unknown entity `{}`", subject->entity.name), std::move(suggestion));
  }
  if (!cadence) {
    sink_.report(DiagKind::InvalidCadence, framework_.name.range,
                 fmt::format("framework `{}` has no cadence", framework_.name.name),
                 "say how often it runs, for example `cadence quarter`");
  } else if (auto unit = parsePeriodUnit(cadence->unit.name);
             unit && cadence->unit.name.back() != 's') {
    framework_.cadence = *unit;
  } else {
    sink_.report(DiagKind::InvalidCadence, cadence->unit.range,
                 fmt::format("`{}` is not a cadence", cadence->unit.name),
                 "use `day`, `week`, `month`, `quarter` or `year`");
  }
}

void FrameworkChecker::collectMemberNames() {
  std::map<std::string, SourceRange> seen;
  size_t objectives = 0;
  auto declare = [&](const Ident& name) {
    auto [it, inserted] = seen.emplace(name.name, name.range);
    if (!inserted)
      sink_.report(DiagKind::DuplicateDeclaration, name.range,
                   fmt::format("`{}` is already declared in framework `{}`", name.name,
                               framework_.name.name),
                   fmt::format("the first `{}` is on line {}", name.name, it->second.begin.line));
    return inserted;
  };
  for (const MemberPtr& member : framework_.members) {
    switch (member->kind) {
    case MemberKind::Metric:
    case MemberKind::Score:
    case MemberKind::Band:
    case MemberKind::Rank:
    case MemberKind::Alert:
      if (declare(member->name))
        scope_.members[member->name.name] = member.get();
      break;
    case MemberKind::Objective: {
      // Unnamed: `objective_N`, N its place among the objectives (language.md).
      auto& objective = member->as<ObjectiveMember>();
      ++objectives;
      if (!objective.named)
        objective.name.name = fmt::format("objective_{}", objectives);
      if (declare(objective.name))
        scope_.members[objective.name.name] = member.get();
      for (const KeyResult& kr : objective.keyResults)
        if (declare(kr.name))
          scope_.keyResults[kr.name.name] = {&objective, &kr};
      break;
    }
    default:
      break;
    }
    if (!member->is<SubjectMember>() && !member->is<CadenceMember>() &&
        !member->is<ReportMember>()) {
      nodeIndex_[member.get()] = static_cast<int>(nodes_.size());
      nodes_.push_back(member.get());
    }
  }
}

// Which members an expression reads, found syntactically with the same shadowing as the
// checker: inside an aggregate, the row's fields hide members of the same name.
void FrameworkChecker::collectDependencies(const Expr& expr, const DataDecl* row,
                                           std::vector<int>& out) {
  auto addMember = [&](const Member* member) {
    if (auto it = nodeIndex_.find(member); it != nodeIndex_.end())
      out.push_back(it->second);
  };
  switch (expr.kind) {
  case ExprKind::Name: {
    const std::string& name = expr.as<NameRef>().name;
    if (row && row->fieldIndex(name) >= 0)
      return;
    if (auto it = scope_.members.find(name); it != scope_.members.end())
      addMember(it->second);
    else if (auto kr = scope_.keyResults.find(name); kr != scope_.keyResults.end())
      addMember(kr->second.first);
    return;
  }
  case ExprKind::Call: {
    const auto& call = expr.as<CallExpr>();
    const DataDecl* callRow = row;
    if (findAggregate(call.callee.name) && call.args.size() == 1 && !call.across) {
      auto tables = exprs_.tableMentions(*call.args[0], ExprContext{&scope_, row, nullptr, true});
      if (tables.size() == 1)
        callRow = *tables.begin();
    } else if (call.across) {
      callRow = nullptr;
    }
    forEachChild(call, [&](const Expr& child) { collectDependencies(child, callRow, out); });
    return;
  }
  default:
    forEachChild(expr, [&](const Expr& child) { collectDependencies(child, row, out); });
  }
}

void FrameworkChecker::run() {
  resolveSubjectAndCadence();
  collectMemberNames();
  scope_.framework = &framework_;

  std::vector<std::vector<int>> dependsOn(nodes_.size());
  for (size_t i = 0; i < nodes_.size(); ++i) {
    const DataDecl* row = nullptr;
    if (auto* alert = dynamic_cast<const AlertMember*>(nodes_[i]); alert && alert->onTable)
      row = symbols_.findData(alert->onTable->name);
    for (const Expr* expr : memberExpressions(*nodes_[i]))
      collectDependencies(*expr, row, dependsOn[i]);
    // A key result may read an earlier one of its own objective (checkObjective reports one
    // that reads a later one, or the objective's score): not a cycle of members.
    if (nodes_[i]->is<ObjectiveMember>())
      std::erase(dependsOn[i], static_cast<int>(i));
  }
  const DependencyOrder order = orderDependencies(dependsOn);
  for (const std::vector<int>& cycle : order.cycles) {
    const Member& first = *nodes_[cycle.front()];
    std::string path;
    for (size_t k = 0; k < cycle.size(); ++k) {
      const Member& m = *nodes_[cycle[k]];
      path += (k ? " -> " : "") + m.name.name;
    }
    sink_.report(
        DiagKind::MetricCycle, first.name.range,
        fmt::format("{} `{}` depends on itself: {}", memberWord(first), first.name.name, path),
        "one of these must be computed without the others");
  }
  std::vector<bool> checked(nodes_.size(), false);
  for (int node : order.order) {
    checkMember(*nodes_[node]);
    checked[node] = true;
    framework_.evaluationOrder.push_back(nodes_[node]);
  }
  // Members in or behind a cycle are still checked, so their other errors are not lost.
  for (size_t i = 0; i < nodes_.size(); ++i)
    if (!checked[i])
      checkMember(*nodes_[i]);

  // The report block reads the members' checked types; a framework has one.
  const ReportMember* report = nullptr;
  for (const MemberPtr& member : framework_.members)
    if (member->is<ReportMember>()) {
      if (report)
        sink_.report(
            DiagKind::InvalidReportHint, member->range,
            fmt::format("framework `{}` has more than one report block", framework_.name.name),
            fmt::format("the first is on line {}; put both hints in it", report->range.begin.line));
      else
        checkReportHints(*(report = &member->as<ReportMember>()), scope_, symbols_, sink_);
    }

  for (const Member* member : nodes_)
    for (const Expr* expr : memberExpressions(*member))
      walkPreorder(*expr, [&](const Expr& e) {
        if (e.is<CaseExpr>()) {
          checkCaseReachability(e.as<CaseExpr>(), sink_);
          checkCaseGaps(e.as<CaseExpr>(), sink_);
        }
      });
}

void FrameworkChecker::checkMember(Member& member) {
  const ExprContext ctx{&scope_, nullptr, nullptr, false};
  switch (member.kind) {
  case MemberKind::Metric:
    checkMetric(member.as<MetricMember>(), ctx);
    break;
  case MemberKind::Score:
    checkScore(member.as<ScoreMember>(), ctx);
    break;
  case MemberKind::Band: {
    auto& band = member.as<BandMember>();
    band.type = exprs_.check(*band.value, ctx);
    scope_.valueTypes[&band] = band.type;
    checkBandMissingArm(band, sink_);
    break;
  }
  case MemberKind::Objective:
    checkObjective(member.as<ObjectiveMember>(), ctx);
    break;
  case MemberKind::Rank: {
    auto& rank = member.as<RankMember>();
    const Type by = exprs_.check(*rank.by, ctx);
    if (!by.isError() && !by.isNumeric() && by.kind != TypeKind::Date)
      sink_.report(DiagKind::TypeMismatch, rank.by->range,
                   fmt::format("rank `{}` orders by a number, money or date, not `{}`",
                               rank.name.name, typeName(by)));
    if (rank.within && scope_.subject) {
      // A field of the subject, or a group of the subject's entity (`within team`: its field).
      const std::string& within = rank.within->name;
      rank.withinField = scope_.subject->fieldIndex(within);
      if (auto group = symbols_.groups.find(within);
          rank.withinField < 0 && group != symbols_.groups.end() &&
          group->second->member.name == scope_.subject->name.name)
        rank.withinField = scope_.subject->fieldIndex(group->second->by.name);
      if (rank.withinField < 0) {
        std::vector<std::string> names;
        for (const FieldDecl& field : scope_.subject->fields)
          names.push_back(field.name.name);
        sink_.report(DiagKind::UnknownField, rank.within->range,
                     fmt::format("entity `{}` has no field `{}` to rank within",
                                 scope_.subject->name.name, within),
                     suggestName(within, names));
      }
    }
    scope_.valueTypes[&rank] = Type::of(TypeKind::Count, by.optional);
    break;
  }
  case MemberKind::Alert:
    checkAlert(member.as<AlertMember>(), ctx);
    break;
  case MemberKind::Check: {
    auto& check = member.as<CheckMember>();
    const Type type = exprs_.check(*check.condition, ctx);
    if (!type.isError() && type.kind != TypeKind::Bool)
      sink_.report(DiagKind::CheckNotBoolean, check.condition->range,
                   fmt::format("check \"{}\" must be true or false, but its expression is `{}`",
                               check.label, typeName(type)),
                   "state what must hold, for example `attainment >= 100% implies ...`");
    break;
  }
  default:
    break;
  }
}

// `won / quota` with `param quota: count`: money over a count is money, and the mistake is the
// param's declared unit, not the metric's; the hint names the param and where it is declared.
static std::string moneyOverParamHint(const Expr& value) {
  if (!value.is<BinaryExpr>() || value.as<BinaryExpr>().op != BinaryOp::Div)
    return "";
  const auto& division = value.as<BinaryExpr>();
  if (division.lhs->type.kind != TypeKind::Money || !division.rhs->is<NameRef>())
    return "";
  const auto& divisor = division.rhs->as<NameRef>();
  if (divisor.resolution.kind != RefKind::Param || divisor.type.kind == TypeKind::Money)
    return "";
  const auto* param = static_cast<const ParamDecl*>(divisor.resolution.decl);
  return fmt::format("money / {0} is money: param `{1}` is declared `{0}` (line {2}); if it is an "
                     "amount, declare it `money`: `param {1}: money = ...`",
                     typeName(divisor.type), divisor.name, param->name.range.begin.line);
}

// A percent is a fraction (40% is 0.4): a metric declared `percent` whose formula is a count
// (not a count over a target, `count(won) / 60`), or something times 100, would show 1,200%
// where 12% was meant.
void FrameworkChecker::warnIfNotRatio(const MetricMember& metric, const Type& type) {
  const Expr& value = *metric.value;
  auto isHundred = [](const ExprPtr& side) {
    return side->is<NumberLit>() && side->as<NumberLit>().value == 100;
  };
  const bool timesHundred =
      value.is<BinaryExpr>() && value.as<BinaryExpr>().op == BinaryOp::Mul &&
      (isHundred(value.as<BinaryExpr>().lhs) || isHundred(value.as<BinaryExpr>().rhs));
  if (timesHundred)
    sink_.report(
        DiagKind::PercentNotRatio, value.range,
        fmt::format("metric `{}` is declared `percent` but multiplies by 100", metric.name.name),
        "a percent is a fraction (40% is 0.4) and is shown as a percentage: drop the "
        "`* 100`");
  else if (type.kind == TypeKind::Count &&
           !(value.is<BinaryExpr>() && value.as<BinaryExpr>().op == BinaryOp::Div))
    sink_.report(DiagKind::PercentNotRatio, value.range,
                 fmt::format("metric `{}` is declared `percent`, but its formula is a count, not "
                             "a ratio",
                             metric.name.name),
                 "divide it by what it is a share of (a count over a count), or declare it "
                 "`count`");
}

void FrameworkChecker::checkMetric(MetricMember& metric, const ExprContext& ctx) {
  Type type = exprs_.check(*metric.value, ctx);
  type.kind = settle(type.kind);
  if (metric.declaredType && !type.isError()) {
    const TypeRef& declared = *metric.declaredType;
    TypeKind kind = builtinTypeKind(declared.name.name);
    if (kind == TypeKind::Duration && type.kind == TypeKind::MonthDuration)
      kind = TypeKind::MonthDuration; // `duration` holds either kind
    if (kind == TypeKind::Error) {
      sink_.report(DiagKind::UnknownType, declared.name.range,
                   fmt::format("`{}` is not a type a metric can have", declared.name.name),
                   "metrics are number, count, money, percent, bool, text, date or period");
      type = Type::error();
    } else if (!assignable(type.kind, kind)) {
      const bool units = type.isNumeric() && Type::of(kind).isNumeric();
      std::string hint = units && kind == TypeKind::Money ? "multiply by an amount to get money"
                         : units                          ? "divide by an amount to get a ratio"
                                                          : "";
      if (units && kind != TypeKind::Money)
        if (std::string divisor = moneyOverParamHint(*metric.value); !divisor.empty())
          hint = std::move(divisor);
      sink_.report(units ? DiagKind::UnitMismatch : DiagKind::TypeMismatch, metric.value->range,
                   fmt::format("metric `{}` is declared `{}`, but its formula gives `{}`",
                               metric.name.name, declared.name.name, typeName(type)),
                   hint);
      type = Type::error();
    } else {
      if (kind == TypeKind::Percent)
        warnIfNotRatio(metric, type);
      type = Type::of(kind, type.optional);
    }
  } else if (type.kind == TypeKind::Missing) {
    type = Type::of(TypeKind::Number, true);
  }
  metric.type = type;
  scope_.valueTypes[&metric] = type;
}

void FrameworkChecker::checkScore(ScoreMember& score, const ExprContext& ctx) {
  bool optional = false;
  double total = 0;
  for (ScoreComponent& component : score.components) {
    total += component.weight;
    const Type type = exprs_.check(*component.value, ctx);
    optional = optional || type.optional;
    if (type.isError())
      continue;
    if (type.kind == TypeKind::Money)
      sink_.report(DiagKind::UnitMismatch, component.value->range,
                   fmt::format("score component `{}` must be a fraction from 0 to 1, not money",
                               component.name.name),
                   "divide by a target, for example `won / quota`");
    else if (!type.isDimensionless())
      sink_.report(DiagKind::TypeMismatch, component.value->range,
                   fmt::format("score component `{}` must be a fraction from 0 to 1, not `{}`",
                               component.name.name, typeName(type)));
  }
  if (score.outOf <= 0)
    sink_.report(
        DiagKind::ScoreWeights, score.name.range,
        fmt::format("score `{}` must be out of a positive number of points", score.name.name));
  if (std::fabs(total - 1.0) > 1e-9 && !score.components.empty()) {
    std::string weights;
    for (const ScoreComponent& c : score.components)
      weights +=
          fmt::format("{}{} {:g}%", weights.empty() ? "" : ", ", c.name.name, c.weight * 100);
    sink_.report(DiagKind::ScoreWeights, score.name.range,
                 fmt::format("the weights of score `{}` add up to {:g}%, not 100%", score.name.name,
                             std::round(total * 1e6) / 1e4),
                 fmt::format("the weights are {}", weights));
  }
  scope_.valueTypes[&score] = Type::of(TypeKind::Number, optional);
}

// Key results are computed in order: one may read an earlier one of its objective, not itself,
// a later one or the objective's score or grade.
void FrameworkChecker::checkReadsWithin(const ObjectiveMember& objective, size_t k) {
  const KeyResult& kr = objective.keyResults[k];
  auto later = [&](const void* decl) {
    for (size_t j = k; j < objective.keyResults.size(); ++j)
      if (decl == &objective.keyResults[j])
        return &objective.keyResults[j];
    return static_cast<const KeyResult*>(nullptr);
  };
  std::set<const Expr*> bases; // `wins` of `wins.progress`: reported with the member read
  for (const Expr* side : {kr.actual.get(), kr.target.get()})
    walkPreorder(*side, [&](const Expr& e) {
      const Resolution* r = e.is<NameRef>()     ? &e.as<NameRef>().resolution
                            : e.is<MemberRef>() ? &e.as<MemberRef>().resolution
                                                : nullptr;
      if (e.is<MemberRef>())
        bases.insert(e.as<MemberRef>().base.get());
      if (!r || bases.count(&e))
        return;
      const KeyResult* read = (r->kind == RefKind::KeyResult || r->kind == RefKind::KeyResultPart)
                                  ? later(r->decl)
                                  : nullptr;
      const bool own = r->kind == RefKind::ObjectivePart && r->decl == &objective;
      if (!read && !own)
        return;
      const std::string what = own ? objective.name.name : read->name.name;
      sink_.report(DiagKind::MetricCycle, e.range,
                   fmt::format("key result `{}` reads `{}`, which {}", kr.name.name, what,
                               own           ? "is computed from it"
                               : read == &kr ? "is itself"
                                             : "comes after it in the objective"),
                   "a key result reads only key results declared before it in its objective");
    });
}

void FrameworkChecker::checkObjective(ObjectiveMember& objective, const ExprContext& ctx) {
  for (size_t k = 0; k < objective.keyResults.size(); ++k) {
    KeyResult& kr = objective.keyResults[k];
    const Type actual = exprs_.check(*kr.actual, ctx);
    const Type target = exprs_.check(*kr.target, ctx);
    checkReadsWithin(objective, k);
    for (const auto* side : {kr.actual.get(), kr.target.get()})
      if (!side->type.isError() && !side->type.isNumeric())
        sink_.report(DiagKind::TypeMismatch, side->range,
                     fmt::format("key result `{}` needs a number, count, percent or money here, "
                                 "not `{}`",
                                 kr.name.name, typeName(side->type)));
    if (actual.isNumeric() && target.isNumeric()) {
      const UnitResult unified = unifyKinds(actual.kind, target.kind);
      if (!unified.ok())
        sink_.report(DiagKind::UnitMismatch, kr.target->range,
                     fmt::format("key result `{}` measures `{}` but its target is `{}`",
                                 kr.name.name, typeName(actual), typeName(target)));
    }
    Type type = actual;
    type.kind = settle(type.kind);
    scope_.valueTypes[&kr] = type;
  }
  // An objective has 3 to 5 key results (language.md): fewer measure too little of it, more
  // lose focus.
  if (const size_t n = objective.keyResults.size(); n < 3 || n > 5)
    sink_.report(DiagKind::KeyResultCount, objective.name.range,
                 fmt::format("objective \"{}\" has {} key result{}; an objective has 3 to 5",
                             objective.title, n, n == 1 ? "" : "s"),
                 n < 3 ? "add the key results that show the objective is met, or make it a "
                         "key result of another objective"
                       : "keep the 3 to 5 that matter most, or split the objective in two");
  // The score weighs each progress by its share (compiler/check/Weights.h).
  if (objective.keyResults.empty())
    return;
  const KeyResultShares shares = keyResultShares(objective);
  const std::string& title = objective.title;
  if (shares.overfull()) {
    std::string weights;
    for (const KeyResult& kr : objective.keyResults)
      if (kr.weight)
        weights +=
            fmt::format("{}{} {:g}%", weights.empty() ? "" : ", ", kr.name.name, *kr.weight * 100);
    sink_.report(DiagKind::ScoreWeights, objective.name.range,
                 fmt::format("the weights of objective \"{}\" add up to {:g}%, more than 100%",
                             title, std::round(shares.givenTotal * 1e6) / 1e4),
                 fmt::format("the weights are {}", weights));
  } else if (shares.empty()) {
    sink_.report(
        DiagKind::ScoreWeights, objective.name.range,
        fmt::format("the weights of objective \"{}\" add up to 0%, so it has no score", title),
        "give at least one key result a weight above 0%");
  } else if (shares.leavesNothing()) {
    for (const KeyResult& kr : objective.keyResults)
      if (!kr.weight)
        sink_.report(DiagKind::UnweightedKeyResult, kr.name.range,
                     fmt::format("key result `{}` has no weight and the others take all of "
                                 "100%, so it counts 0% in objective \"{}\"",
                                 kr.name.name, title),
                     "give it a weight, or lower the others' so that some of 100% remains");
  }
}

void FrameworkChecker::checkAlert(AlertMember& alert, const ExprContext& ctx) {
  ExprContext messageCtx = ctx;
  if (alert.onTable) {
    const DataDecl* table = symbols_.findData(alert.onTable->name);
    if (!table) {
      std::vector<std::string> names;
      for (const auto& [name, decl] : symbols_.data)
        names.push_back(name);
      sink_.report(DiagKind::UnknownName, alert.onTable->range,
                   fmt::format("unknown table `{}`", alert.onTable->name),
                   suggestName(alert.onTable->name, names));
      return; // without the table, its fields in `where` and the message would only add noise
    } else {
      alert.table = table;
      alert.subjectField =
          table == scope_.subject
              ? -1
              : exprs_.subjectLink(*table, std::nullopt, scope_, alert.onTable->range);
      for (size_t i = 0; i < table->fields.size() && alert.dateField < 0; ++i)
        if (table->fields[i].type.kind == TypeKind::Date)
          alert.dateField = static_cast<int>(i);
      if (alert.dateField < 0)
        sink_.report(DiagKind::TypeMismatch, alert.onTable->range,
                     fmt::format("alert `{}` is on `{}`, which has no date field to date its "
                                 "alerts",
                                 alert.name.name, table->name.name),
                     fmt::format("give `{}` a field of type `date` (the first one dates each "
                                 "alert), or make the alert passive: `when ...`",
                                 table->name.name));
      messageCtx.row = table;
      if (alert.where)
        exprs_.checkCondition(*alert.where, messageCtx, "an alert's `where`");
    }
  } else if (alert.when) {
    exprs_.checkCondition(*alert.when, ctx, "an alert's `when`");
  }
  if (alert.message)
    exprs_.check(*alert.message, messageCtx);
  if (alert.priority)
    exprs_.check(*alert.priority, messageCtx);
}

} // namespace

void checkFramework(FrameworkDecl& framework, const Symbols& symbols, DiagnosticSink& sink) {
  FrameworkChecker checker(framework, symbols, sink);
  checker.run();
  framework.results = checker.results();
}

} // namespace fulcrum
