// What a program declares: frameworks, their outputs (the result's columns), params and tables,
// read from each framework's plan and kept as strings the program owns.
#include "api/Handles.h"
#include "runtime/output/ResultFormat.h"

namespace fulcrum::api {

fulcrum_type typeOf(runtime::ValueType type) {
  using runtime::ValueType;
  switch (type) {
  case ValueType::Number:
  case ValueType::Missing:
    return FULCRUM_TYPE_NUMBER;
  case ValueType::Count:
    return FULCRUM_TYPE_COUNT;
  case ValueType::Money:
    return FULCRUM_TYPE_MONEY;
  case ValueType::Percent:
    return FULCRUM_TYPE_PERCENT;
  case ValueType::Bool:
    return FULCRUM_TYPE_BOOL;
  case ValueType::Text:
    return FULCRUM_TYPE_TEXT;
  case ValueType::Date:
    return FULCRUM_TYPE_DATE;
  case ValueType::Period:
    return FULCRUM_TYPE_PERIOD;
  case ValueType::Duration:
  case ValueType::MonthDuration:
    return FULCRUM_TYPE_DURATION;
  case ValueType::Reference:
    return FULCRUM_TYPE_REFERENCE;
  }
  return FULCRUM_TYPE_NUMBER;
}

const char* typeName(runtime::ValueType type) {
  using runtime::ValueType;
  switch (type) {
  case ValueType::Number:
  case ValueType::Missing:
    return "number";
  case ValueType::Count:
    return "count";
  case ValueType::Money:
    return "money";
  case ValueType::Percent:
    return "percent";
  case ValueType::Bool:
    return "bool";
  case ValueType::Text:
    return "text";
  case ValueType::Date:
    return "date";
  case ValueType::Period:
    return "period";
  case ValueType::Duration:
  case ValueType::MonthDuration:
    return "duration";
  case ValueType::Reference:
    return "reference";
  }
  return "number";
}

std::vector<Description::Column> resultColumns(const runtime::PlanTable& subject,
                                               const std::string& keyName,
                                               const std::vector<runtime::OutputColumn>& outputs) {
  std::vector<Description::Column> columns;
  Description::Column key;
  key.name = keyName;
  key.typeName = subject.name;
  key.type = FULCRUM_TYPE_REFERENCE;
  key.isKey = true;
  columns.push_back(std::move(key));
  for (const runtime::OutputColumn& c : outputs) {
    Description::Column column;
    column.name = c.name;
    column.typeName = typeName(c.kind);
    column.type = typeOf(c.kind);
    column.optional = true;
    columns.push_back(std::move(column));
  }
  return columns;
}

namespace {

Description::Table tableOf(const runtime::PlanTable& table) {
  Description::Table out;
  out.name = table.name;
  out.path = table.path;
  out.isEntity = table.isEntity;
  for (size_t i = 0; i < table.fields.size(); ++i) {
    const runtime::PlanField& field = table.fields[i];
    Description::Column column;
    column.name = field.name;
    column.typeName = field.typeName.empty() ? typeName(field.type) : field.typeName;
    column.type = typeOf(field.type);
    column.optional = field.optional;
    column.isKey = table.keyField == static_cast<int32_t>(i);
    out.fields.push_back(std::move(column));
  }
  return out;
}

std::unique_ptr<Description> describePlan(const runtime::Plan& plan) {
  auto out = std::make_unique<Description>();
  const runtime::PlanTable& subject = plan.tables.at(0);
  out->outputs = resultColumns(subject,
                               subject.keyField >= 0
                                   ? subject.fields[static_cast<size_t>(subject.keyField)].name
                                   : subject.name,
                               plan.outputs);
  for (const runtime::RunParamSpec& spec : plan.runParams) {
    if (spec.kind != runtime::RunParamKind::UserParam)
      continue;
    Description::Param param;
    param.name = spec.name;
    param.typeName = spec.paramTypeName.empty() ? typeName(spec.paramType) : spec.paramTypeName;
    param.type = typeOf(spec.paramType);
    if (spec.defaultText)
      param.defaultValue = *spec.defaultText;
    else if (spec.defaultValue)
      param.defaultValue =
          runtime::rawValue(spec.paramType, *spec.defaultValue, plan.strings, plan.fiscalStart);
    out->params.push_back(std::move(param));
  }
  // The tables a host may bind: those read from files, then the entities their references
  // lead to.
  for (const runtime::PlanTable& table : plan.tables)
    if (!table.isGroup && table.feed < 0)
      out->tables.push_back(tableOf(table));
  for (const runtime::PlanTable& table : plan.referencedEntities)
    out->tables.push_back(tableOf(table));
  return out;
}

} // namespace

const Description* describe(const fulcrum_program& program, const char* name, fulcrum_error** error,
                            fulcrum_status& status) {
  Framework* framework = frameworkNamed(program, name, error, status);
  if (!framework)
    return nullptr;
  if ((status = ensureProgram(program, *framework, error)) != FULCRUM_OK)
    return nullptr;
  size_t index = 0;
  while (program.frameworks[index].get() != framework)
    ++index;
  auto& slot = const_cast<fulcrum_program&>(program).descriptions[index];
  std::call_once(const_cast<fulcrum_program&>(program).described[index],
                 [&] { slot = describePlan(framework->program->plan()); });
  return slot.get();
}

} // namespace fulcrum::api

using namespace fulcrum::api;

namespace {

void fillColumn(const Description::Column& column, fulcrum_column_info& out) {
  out.name = column.name.c_str();
  out.type_name = column.typeName.c_str();
  out.type = column.type;
  out.optional = column.optional ? 1 : 0;
  out.is_key = column.isKey ? 1 : 0;
}

// The description, or null with the status (a NULL argument, an unknown framework).
template <class Out>
const Description* described(const fulcrum_program* program, const char* framework, Out* out,
                             fulcrum_status& status) {
  if (!program || !out) {
    status = FULCRUM_USAGE_ERROR;
    return nullptr;
  }
  return describe(*program, framework, nullptr, status);
}

} // namespace

extern "C" {

fulcrum_status fulcrum_program_framework_count(const fulcrum_program* program, size_t* out) {
  if (!program || !out)
    return FULCRUM_USAGE_ERROR;
  *out = program->frameworks.size();
  return FULCRUM_OK;
}

fulcrum_status fulcrum_program_framework_name(const fulcrum_program* program, size_t index,
                                              const char** out) {
  if (!program || !out || index >= program->frameworks.size())
    return FULCRUM_USAGE_ERROR;
  *out = program->frameworks[index]->name.c_str();
  return FULCRUM_OK;
}

fulcrum_status fulcrum_program_output_count(const fulcrum_program* program, const char* framework,
                                            size_t* out) {
  return guarded(nullptr, [&] {
    fulcrum_status status = FULCRUM_OK;
    const Description* d = described(program, framework, out, status);
    if (d)
      *out = d->outputs.size();
    return status;
  });
}

fulcrum_status fulcrum_program_output(const fulcrum_program* program, const char* framework,
                                      size_t index, fulcrum_column_info* out) {
  return guarded(nullptr, [&] {
    fulcrum_status status = FULCRUM_OK;
    const Description* d = described(program, framework, out, status);
    if (!d)
      return status;
    if (index >= d->outputs.size())
      return FULCRUM_USAGE_ERROR;
    fillColumn(d->outputs[index], *out);
    return FULCRUM_OK;
  });
}

fulcrum_status fulcrum_program_param_count(const fulcrum_program* program, const char* framework,
                                           size_t* out) {
  return guarded(nullptr, [&] {
    fulcrum_status status = FULCRUM_OK;
    const Description* d = described(program, framework, out, status);
    if (d)
      *out = d->params.size();
    return status;
  });
}

fulcrum_status fulcrum_program_param(const fulcrum_program* program, const char* framework,
                                     size_t index, fulcrum_param_info* out) {
  return guarded(nullptr, [&] {
    fulcrum_status status = FULCRUM_OK;
    const Description* d = described(program, framework, out, status);
    if (!d)
      return status;
    if (index >= d->params.size())
      return FULCRUM_USAGE_ERROR;
    const Description::Param& param = d->params[index];
    out->name = param.name.c_str();
    out->type_name = param.typeName.c_str();
    out->type = param.type;
    out->default_value = param.defaultValue ? param.defaultValue->c_str() : nullptr;
    return FULCRUM_OK;
  });
}

fulcrum_status fulcrum_program_table_count(const fulcrum_program* program, const char* framework,
                                           size_t* out) {
  return guarded(nullptr, [&] {
    fulcrum_status status = FULCRUM_OK;
    const Description* d = described(program, framework, out, status);
    if (d)
      *out = d->tables.size();
    return status;
  });
}

fulcrum_status fulcrum_program_table(const fulcrum_program* program, const char* framework,
                                     size_t index, fulcrum_table_info* out) {
  return guarded(nullptr, [&] {
    fulcrum_status status = FULCRUM_OK;
    const Description* d = described(program, framework, out, status);
    if (!d)
      return status;
    if (index >= d->tables.size())
      return FULCRUM_USAGE_ERROR;
    const Description::Table& table = d->tables[index];
    out->name = table.name.c_str();
    out->path = table.path.c_str();
    out->is_entity = table.isEntity ? 1 : 0;
    out->field_count = table.fields.size();
    return FULCRUM_OK;
  });
}

fulcrum_status fulcrum_program_field(const fulcrum_program* program, const char* framework,
                                     const char* table, size_t index, fulcrum_column_info* out) {
  return guarded(nullptr, [&] {
    fulcrum_status status = FULCRUM_OK;
    const Description* d = described(program, framework, out, status);
    if (!d)
      return status;
    if (!table)
      return FULCRUM_USAGE_ERROR;
    for (const Description::Table& declared : d->tables)
      if (declared.name == table) {
        if (index >= declared.fields.size())
          return FULCRUM_USAGE_ERROR;
        fillColumn(declared.fields[index], *out);
        return FULCRUM_OK;
      }
    return FULCRUM_USAGE_ERROR;
  });
}

} // extern "C"
