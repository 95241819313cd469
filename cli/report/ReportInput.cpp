#include "cli/report/ReportInput.h"

#include "support/Money.h"

namespace fulcrum::cli::report {

bool numericKind(runtime::ValueType kind) {
  using runtime::ValueType;
  return kind == ValueType::Number || kind == ValueType::Count || kind == ValueType::Percent ||
         kind == ValueType::Money;
}

std::optional<size_t> columnOf(const runtime::ResultTable& table, const std::string& name) {
  for (size_t c = 0; c < table.columns.size(); ++c)
    if (table.columns[c].name == name)
      return c;
  return std::nullopt;
}

std::map<std::string, size_t> rowsByKey(const runtime::ResultTable& table) {
  std::map<std::string, size_t> rows;
  for (size_t s = 0; s < table.subjects(); ++s)
    rows[table.keys[s]] = s;
  return rows;
}

std::optional<double> ReportInput::number(size_t column, size_t subject) const {
  const runtime::ValueType kind = table().columns[column].kind;
  if (!table().present(column, subject) || !numericKind(kind))
    return std::nullopt;
  const double value = table().value(column, subject);
  return kind == runtime::ValueType::Money ? moneyDollars(value) : value;
}

std::string ReportInput::shown(size_t column, size_t subject) const {
  return runtime::humanValue(table(), column, subject);
}

std::string ReportInput::shownNumber(size_t column, double value) const {
  const runtime::ValueType kind = table().columns[column].kind;
  if (kind == runtime::ValueType::Money) {
    if (auto units = moneyUnitsOfDollars(value))
      return runtime::shownValue(kind, *units, true, table().strings, 0, table().currencySign);
    return runtime::shownValue(runtime::ValueType::Number, value, true, table().strings);
  }
  return runtime::shownValue(kind, value, true, table().strings);
}

} // namespace fulcrum::cli::report
