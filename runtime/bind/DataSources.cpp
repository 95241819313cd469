// From the plan's tables to loader schemas (`from` paths were resolved at plan time).
#include "runtime/bind/DataSources.h"

#include "support/PostgresUri.h"
#include "support/Text.h"

#include <algorithm>
#include <fmt/format.h>

namespace fulcrum::runtime {

static ValueKind valueKindOf(ValueType type) {
  switch (type) {
  case ValueType::Bool:
    return ValueKind::Bool;
  case ValueType::Text:
    return ValueKind::Text;
  case ValueType::Date:
    return ValueKind::Date;
  case ValueType::Period:
    return ValueKind::Period;
  case ValueType::Reference:
    return ValueKind::Reference;
  default:
    return ValueKind::Number;
  }
}

TableSchema schemaFor(const PlanTable& table, std::string path) {
  TableSchema schema;
  schema.name = table.name;
  schema.path = std::move(path);
  schema.isEntity = table.isEntity;
  schema.keyField = table.keyField;
  for (const PlanField& field : table.fields) {
    FieldSchema f;
    f.name = field.name;
    f.column = field.column;
    f.kind = valueKindOf(field.type);
    f.optional = field.optional;
    f.typeName = field.typeName;
    f.referencedTable = field.referencedTable;
    f.minimum = field.minimum;
    f.maximum = field.maximum;
    schema.fields.push_back(std::move(f));
  }
  return schema;
}

void markFieldsRead(const Plan& plan, TableSchema& schema) {
  if (schema.isEntity)
    return;
  const auto table = std::find_if(plan.tables.begin(), plan.tables.end(),
                                  [&](const PlanTable& t) { return t.name == schema.name; });
  if (table == plan.tables.end())
    return;
  const auto index = static_cast<size_t>(table - plan.tables.begin());
  std::vector<bool> read(schema.fields.size(), false);
  const auto markRead = [&](size_t t, int64_t field) {
    if (t == index && field >= 0 && static_cast<size_t>(field) < read.size())
      read[static_cast<size_t>(field)] = true;
  };
  for (const BoundColumnSpec& column : plan.columns)
    if (!column.slotInput)
      markRead(column.table, column.field);
  for (const TextLiteralSpec& literal : plan.textLiterals)
    markRead(literal.table, literal.field);
  for (const RunParamSpec& param : plan.runParams)
    if (param.holidaysTable >= 0)
      markRead(static_cast<size_t>(param.holidaysTable), param.holidaysField);
  if (plan.holidaysTable >= 0)
    markRead(static_cast<size_t>(plan.holidaysTable), plan.holidaysField);
  for (const PlanTable& subject : plan.tables)
    if (subject.groupMembers >= 0)
      markRead(static_cast<size_t>(subject.groupMembers), subject.groupField);
  for (size_t f = 0; f < schema.fields.size(); ++f) {
    const FieldSchema& field = schema.fields[f];
    const bool checkedByLoader = static_cast<int>(f) == schema.keyField ||
                                 field.kind == ValueKind::Reference || field.minimum ||
                                 field.maximum;
    schema.fields[f].presenceOnly = !read[f] && !checkedByLoader;
  }
}

DataSources dataSourcesFor(const Plan& plan, const std::map<std::string, std::string>& overrides) {
  DataSources result;
  // `--data reps=...` for an entity named `rep` would silently read the declared file instead.
  for (const auto& [name, path] : overrides) {
    if (std::any_of(plan.declaredData.begin(), plan.declaredData.end(),
                    [&](const DeclaredData& data) { return data.name == name; }))
      continue;
    std::vector<std::string> names;
    for (const DeclaredData& data : plan.declaredData)
      if (data.readFromFile)
        names.push_back(data.name);
    std::string message = fmt::format("--data {}={}: the program declares no table or entity `{}`",
                                      name, dataSourceLabel(path), name);
    if (const std::string suggestion = closestMatch(name, names); !suggestion.empty())
      message += fmt::format(" (did you mean `{}`?)", suggestion);
    result.usageErrors.push_back(std::move(message));
  }
  if (!result.usageErrors.empty())
    return result;
  // Tables first in plan order, then the entities their references need.
  for (const auto* list : {&plan.tables, &plan.referencedEntities})
    for (const PlanTable& table : *list) {
      if (table.isGroup || table.isCompany || table.feed >= 0)
        continue; // a group's rows come from its members; `company` is one row of its own; a
                  // framework's results from its run
      std::string path;
      if (auto it = overrides.find(table.name); it != overrides.end()) {
        path = it->second;
      } else if (!table.path.empty()) {
        path = table.path;
      } else {
        result.errors.push_back(fmt::format(
            "{} `{}` has no file: give it `from \"file.csv\"` or run with `--data {}=PATH`",
            table.isEntity ? "entity" : "table", table.name, table.name));
        continue;
      }
      result.schemas.push_back(schemaFor(table, path));
    }
  return result;
}

} // namespace fulcrum::runtime
