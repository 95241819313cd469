// Declarations -> the plan's data: the only place where a table's fields and a param's default
// are read from the AST.
#include "compiler/lower/Declarations.h"

#include "support/Literals.h"
#include "support/Money.h"
#include "support/PostgresUri.h"

#include <filesystem>
#include <set>

namespace fulcrum::lower {

using namespace fulcrum::ast;

ValueType valueTypeOf(const Type& type) {
  switch (type.kind) {
  case TypeKind::Error: // reported already; prints as a number
  case TypeKind::Number:
  case TypeKind::NumberLiteral:
    return ValueType::Number;
  case TypeKind::Count:
    return ValueType::Count;
  case TypeKind::Money:
    return ValueType::Money;
  case TypeKind::Percent:
    return ValueType::Percent;
  case TypeKind::Bool:
    return ValueType::Bool;
  case TypeKind::Text:
    return ValueType::Text;
  case TypeKind::Date:
    return ValueType::Date;
  case TypeKind::Period:
    return ValueType::Period;
  case TypeKind::Duration:
    return ValueType::Duration;
  case TypeKind::MonthDuration:
    return ValueType::MonthDuration;
  case TypeKind::Entity:
    return ValueType::Reference;
  case TypeKind::Rows: // never a value's type in a checked program
  case TypeKind::Missing:
    return ValueType::Missing;
  }
  return ValueType::Number;
}

// A range's bound (`in $0..$5M`, written in dollars) as the plan holds values of `type`: money
// in units of 1/10,000 (support/Money.h).
static std::optional<double> boundAs(const std::optional<double>& bound, const Type& type) {
  if (!bound || type.kind != TypeKind::Money)
    return bound;
  // A bound past money's range bounds nothing (every amount lies inside it): none.
  return moneyUnitsOfDollars(*bound);
}

PlanTable planTable(const DataDecl& decl, const SourceManager& sources, const Currency& currency) {
  PlanTable table;
  table.name = decl.name.name;
  table.isEntity = decl.isEntity;
  table.isGroup = decl.group != nullptr;
  table.isCompany = decl.isCompany;
  table.keyField = decl.keyField();
  table.delimiter = decl.fileOptions.delimiter;
  table.detectDelimiter = decl.fileOptions.detectDelimiter;
  table.looseHeaders = decl.fileOptions.looseHeaders;
  table.currencySign = currency.sign;
  for (const FieldDecl& field : decl.fields) {
    PlanField f;
    f.name = field.name.name;
    f.column = field.column;
    f.type = valueTypeOf(field.type);
    f.optional = field.type.optional;
    f.typeName = field.typeRef.name.name;
    if (field.type.kind == TypeKind::Entity && field.type.data)
      f.referencedTable = field.type.data->name.name;
    if (field.valueRange) {
      f.minimum = boundAs(field.valueRange->low, field.type);
      f.maximum = boundAs(field.valueRange->high, field.type);
    }
    if (field.format)
      f.format = field.format->compiled;
    table.fields.push_back(std::move(f));
  }
  if (isPostgresUri(decl.fromPath)) {
    table.path = decl.fromPath; // a database, not a file beside the declaring one
  } else if (!decl.fromPath.empty()) {
    const std::string& declaringFile = sources.file(decl.range.file).location;
    table.path = (std::filesystem::path(declaringFile).parent_path() / decl.fromPath).string();
  }
  return table;
}

std::optional<double> literalNumber(const Expr& expr) {
  switch (expr.kind) {
  case ExprKind::Number:
    return expr.as<NumberLit>().value;
  case ExprKind::Percent:
    return expr.as<PercentLit>().fraction;
  case ExprKind::Money:
    return expr.as<MoneyLit>().units;
  case ExprKind::Date:
    return expr.as<DateLit>().day;
  case ExprKind::PeriodLit: {
    const Period& p = expr.as<PeriodLitExpr>().period;
    return periodCode(p.start(), p.end());
  }
  case ExprKind::Bool:
    return expr.as<BoolLit>().value ? 1 : 0;
  default:
    return std::nullopt;
  }
}

RunParamSpec userParamSpec(const ParamDecl& param) {
  RunParamSpec spec;
  spec.kind = RunParamKind::UserParam;
  spec.name = param.name.name;
  spec.paramType = valueTypeOf(param.type);
  spec.paramTypeName = typeName(param.type);
  if (param.valueRange) {
    spec.minimum = boundAs(param.valueRange->low, param.type);
    spec.maximum = boundAs(param.valueRange->high, param.type);
  }
  // A literal, possibly negated.
  const Expr* e = param.defaultValue.get();
  bool negate = false;
  if (e && e->is<UnaryExpr>() && e->as<UnaryExpr>().op == UnaryOp::Negate) {
    negate = true;
    e = e->as<UnaryExpr>().operand.get();
  }
  if (!e)
    return spec;
  double value = 0;
  switch (e->kind) {
  case ExprKind::Duration: { // days, or months for a duration in months
    const auto& duration = e->as<DurationLit>();
    value = durationRunValue(duration.count, duration.unit);
    break;
  }
  case ExprKind::String:
    spec.defaultText = e->as<StringLit>().plainText();
    return spec;
  default:
    if (const std::optional<double> literal = literalNumber(*e))
      value = *literal;
    else
      return spec;
    // `param quota: money = 600000`: a bare number is dollars, held in units.
    if (param.type.kind == TypeKind::Money && !e->is<MoneyLit>())
      value = moneyUnitsOfDollars(value).value_or(value * kMoneyUnitsPerDollar); // past: as is
  }
  spec.defaultValue = negate ? -value : value;
  return spec;
}

std::vector<PlanTable> referencedEntities(const std::vector<PlanTable>& tables,
                                          const Symbols& symbols, const SourceManager& sources) {
  std::vector<PlanTable> found;
  std::set<std::string> known;
  for (const PlanTable& table : tables)
    known.insert(table.name);
  for (size_t i = 0; i < tables.size() + found.size(); ++i) {
    const PlanTable& table = i < tables.size() ? tables[i] : found[i - tables.size()];
    if (table.isGroup || table.isCompany || table.feed >= 0)
      continue; // a group's rows come from its members; `company` is one row of its own
    std::vector<std::string> names;
    for (const PlanField& field : table.fields)
      if (!field.referencedTable.empty() && known.insert(field.referencedTable).second)
        names.push_back(field.referencedTable);
    for (const std::string& name : names) // after the loop: `table` may live in `found`
      found.push_back(planTable(*symbols.findData(name), sources, symbols.currency()));
  }
  return found;
}

std::vector<DeclaredData> declaredData(const Symbols& symbols) {
  std::vector<DeclaredData> names;
  for (const auto& [name, decl] : symbols.data)
    names.push_back(DeclaredData{name, !decl->group && !decl->isCompany});
  return names;
}

} // namespace fulcrum::lower
