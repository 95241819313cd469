// From declarations to loader schemas; `from` paths are relative to the declaring file.
#include "runtime/bind/DataSources.h"

#include "support/Text.h"

#include <filesystem>
#include <fmt/format.h>
#include <set>

namespace fulcrum::runtime {

using namespace fulcrum::ast;

static ValueKind valueKindOf(const Type& type) {
  switch (type.kind) {
  case TypeKind::Bool:
    return ValueKind::Bool;
  case TypeKind::Text:
    return ValueKind::Text;
  case TypeKind::Date:
    return ValueKind::Date;
  case TypeKind::Period:
    return ValueKind::Period;
  case TypeKind::Entity:
    return ValueKind::Reference;
  default:
    return ValueKind::Number;
  }
}

TableSchema schemaFor(const DataDecl& decl, std::string path) {
  TableSchema schema;
  schema.name = decl.name.name;
  schema.path = std::move(path);
  schema.isEntity = decl.isEntity;
  schema.keyField = decl.keyField();
  for (const FieldDecl& field : decl.fields) {
    FieldSchema f;
    f.name = field.name.name;
    f.column = field.column;
    f.kind = valueKindOf(field.type);
    f.optional = field.type.optional;
    f.typeName = field.typeRef.name.name;
    if (field.type.kind == TypeKind::Entity && field.type.data)
      f.referencedTable = field.type.data->name.name;
    schema.fields.push_back(std::move(f));
  }
  return schema;
}

DataSources dataSourcesFor(const Compilation& compilation, const Plan& plan,
                           const std::map<std::string, std::string>& overrides) {
  DataSources result;
  // `--data reps=...` for an entity named `rep` would silently read the declared file instead.
  for (const auto& [name, path] : overrides) {
    if (compilation.symbols.data.count(name))
      continue;
    std::vector<std::string> names;
    for (const auto& [declared, decl] : compilation.symbols.data)
      if (!decl->group && !decl->isCompany)
        names.push_back(declared);
    std::string message =
        fmt::format("--data {}={}: the program declares no table or entity `{}`", name, path, name);
    if (const std::string suggestion = closestMatch(name, names); !suggestion.empty())
      message += fmt::format(" (did you mean `{}`?)", suggestion);
    result.usageErrors.push_back(std::move(message));
  }
  if (!result.usageErrors.empty())
    return result;
  std::vector<const DataDecl*> work;
  for (const PlanTable& table : plan.tables)
    work.push_back(table.decl);
  std::set<const DataDecl*> seen;
  // Tables first in plan order, then the entities their references need.
  for (size_t i = 0; i < work.size(); ++i) {
    const DataDecl* decl = work[i];
    if (!seen.insert(decl).second)
      continue;
    if (decl->group || decl->isCompany)
      continue; // a group's rows come from its members; `company` is one row of its own
    for (const FieldDecl& field : decl->fields)
      if (field.type.kind == TypeKind::Entity && field.type.data)
        work.push_back(field.type.data);
    std::string path;
    if (auto it = overrides.find(decl->name.name); it != overrides.end()) {
      path = it->second;
    } else if (!decl->fromPath.empty()) {
      const std::string& declaringFile = compilation.sources.file(decl->range.file).path;
      path = (std::filesystem::path(declaringFile).parent_path() / decl->fromPath).string();
    } else {
      result.errors.push_back(fmt::format(
          "{} `{}` has no file: give it `from \"file.csv\"` or run with `--data {}=PATH`",
          decl->isEntity ? "entity" : "table", decl->name.name, decl->name.name));
      continue;
    }
    result.schemas.push_back(schemaFor(*decl, path));
  }
  return result;
}

} // namespace fulcrum::runtime
