// Small queries on AST nodes and types.
#include "compiler/ast/Ast.h"

namespace fulcrum::ast {

std::string typeName(const Type& type) {
  std::string name;
  switch (type.kind) {
  case TypeKind::Error:
    return "<error>";
  case TypeKind::Number:
    name = "number";
    break;
  case TypeKind::Count:
    name = "count";
    break;
  case TypeKind::Money:
    name = "money";
    break;
  case TypeKind::Percent:
    name = "percent";
    break;
  case TypeKind::NumberLiteral:
    name = "number";
    break;
  case TypeKind::Bool:
    name = "bool";
    break;
  case TypeKind::Text:
    name = "text";
    break;
  case TypeKind::Date:
    name = "date";
    break;
  case TypeKind::Period:
    name = "period";
    break;
  case TypeKind::Duration:
    name = "duration";
    break;
  case TypeKind::MonthDuration:
    name = "duration in months";
    break;
  case TypeKind::Entity:
    name = type.data ? type.data->name.name : "entity";
    break;
  case TypeKind::Rows:
    return "rows of `" + (type.data ? type.data->name.name : std::string("?")) + "`";
  case TypeKind::Missing:
    return "missing";
  }
  return type.optional ? name + "?" : name;
}

TypeKind builtinTypeKind(const std::string& name) {
  if (name == "number")
    return TypeKind::Number;
  if (name == "count")
    return TypeKind::Count;
  if (name == "money")
    return TypeKind::Money;
  if (name == "percent")
    return TypeKind::Percent;
  if (name == "bool")
    return TypeKind::Bool;
  if (name == "text")
    return TypeKind::Text;
  if (name == "date")
    return TypeKind::Date;
  if (name == "period")
    return TypeKind::Period;
  if (name == "duration")
    return TypeKind::Duration;
  return TypeKind::Error;
}

const char* binaryOpSpelling(BinaryOp op) {
  switch (op) {
#define BINARY_OP(Name, spelling, ...)                                                             \
  case BinaryOp::Name:                                                                             \
    return spelling;
#include "compiler/ast/BinaryOps.def"
  }
  return "?";
}

bool isComparison(BinaryOp op) {
  switch (op) {
#define BINARY_OP(Name, spelling, token, comparison, ...)                                          \
  case BinaryOp::Name:                                                                             \
    return comparison;
#include "compiler/ast/BinaryOps.def"
  }
  return false;
}

bool StringLit::hasHoles() const {
  for (const Part& part : parts)
    if (part.expr)
      return true;
  return false;
}

std::string StringLit::plainText() const {
  std::string text;
  for (const Part& part : parts)
    if (!part.expr)
      text += part.text;
  return text;
}

int DataDecl::keyField() const {
  for (size_t i = 0; i < fields.size(); ++i)
    if (fields[i].isKey)
      return static_cast<int>(i);
  return -1;
}

int DataDecl::fieldIndex(const std::string& fieldName) const {
  for (size_t i = 0; i < fields.size(); ++i)
    if (fields[i].name.name == fieldName)
      return static_cast<int>(i);
  return -1;
}

// The expressions of a framework member, in source order: a metric's formula, a score's
// components, a key result's actual and target, an alert's condition, message and priority.
std::vector<const Expr*> memberExpressions(const Member& member) {
  std::vector<const Expr*> exprs;
  auto add = [&](const ExprPtr& e) {
    if (e)
      exprs.push_back(e.get());
  };
  switch (member.kind) {
  case MemberKind::Metric:
    add(member.as<MetricMember>().value);
    break;
  case MemberKind::Score:
    for (const ScoreComponent& c : member.as<ScoreMember>().components)
      add(c.value);
    break;
  case MemberKind::Band:
    add(member.as<BandMember>().value);
    break;
  case MemberKind::Objective:
    for (const KeyResult& kr : member.as<ObjectiveMember>().keyResults) {
      add(kr.actual);
      add(kr.target);
    }
    break;
  case MemberKind::Rank:
    add(member.as<RankMember>().by);
    break;
  case MemberKind::Alert: {
    const auto& alert = member.as<AlertMember>();
    add(alert.where);
    add(alert.when);
    add(alert.priority);
    if (alert.message)
      exprs.push_back(alert.message.get());
    break;
  }
  case MemberKind::Check:
    add(member.as<CheckMember>().condition);
    break;
  default:
    break;
  }
  return exprs;
}

std::optional<double> numericLiteral(const Expr& expr) {
  if (expr.is<UnaryExpr>() && expr.as<UnaryExpr>().op == UnaryOp::Negate)
    if (auto inner = numericLiteral(*expr.as<UnaryExpr>().operand))
      return -*inner;
  if (expr.is<NumberLit>())
    return expr.as<NumberLit>().value;
  if (expr.is<PercentLit>())
    return expr.as<PercentLit>().fraction;
  if (expr.is<MoneyLit>())
    return expr.as<MoneyLit>().value;
  return std::nullopt;
}

} // namespace fulcrum::ast
