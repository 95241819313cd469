// Cell parsing: numbers (money, percent, count, duration), bools, and canonical keys.
#include "runtime/data/Cells.h"

#include "support/Calendar.h"
#include "support/CellFormat.h"
#include "support/Money.h"

#include <fmt/format.h>

namespace fulcrum::runtime {
namespace {

bool equalsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size())
    return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z')
      x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z')
      y = static_cast<char>(y - 'A' + 'a');
    if (x != y)
      return false;
  }
  return true;
}

// Digits with at most one `.` and at least one digit.
bool isDecimal(std::string_view text) {
  bool digit = false, dot = false;
  for (char c : text) {
    if (c >= '0' && c <= '9')
      digit = true;
    else if (c == '.' && !dot)
      dot = true;
    else
      return false;
  }
  return digit;
}

// Strips a duration unit: `14 days` -> 14 (scale 1), `2 weeks` -> 2 (scale 7).
std::string_view stripDurationUnit(std::string_view text, double& scale) {
  struct Unit {
    std::string_view word;
    double days;
  };
  for (const Unit& unit : {Unit{"days", 1}, Unit{"day", 1}, Unit{"weeks", 7}, Unit{"week", 7}}) {
    if (text.size() > unit.word.size() &&
        equalsIgnoreCase(text.substr(text.size() - unit.word.size()), unit.word)) {
      scale = unit.days;
      return trimSpaces(text.substr(0, text.size() - unit.word.size()));
    }
  }
  return text;
}

} // namespace

std::string_view trimSpaces(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t'))
    text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t'))
    text.remove_suffix(1);
  return text;
}

std::optional<double> parseNumberCell(std::string_view text, std::string_view typeName) {
  if (typeName == "money") { // exact, in units of 1/10,000 (support/Money.h)
    const MoneyText money = parseMoneyText(text, MoneySyntax::Cell);
    if (money.error != MoneyTextError::None)
      return std::nullopt;
    return money.units;
  }
  double scale = 1;
  if (typeName == "percent" && text.ends_with('%')) {
    text = trimSpaces(text.substr(0, text.size() - 1));
    scale = 0.01;
  } else if (typeName == "duration") {
    text = stripDurationUnit(text, scale);
  }
  bool negative = false;
  if (text.starts_with('-')) {
    negative = true;
    text.remove_prefix(1);
  }
  if (!isDecimal(text))
    return std::nullopt;
  const bool percent = scale == 0.01;
  std::optional<double> value = decimalCellValue(text, negative, typeName, percent);
  if (value && !percent)
    *value *= scale; // a duration's weeks
  return value;
}

std::optional<bool> parseBoolCell(std::string_view text) {
  if (text == "1" || equalsIgnoreCase(text, "true"))
    return true;
  if (text == "0" || equalsIgnoreCase(text, "false"))
    return false;
  return std::nullopt;
}

std::string expectedForm(const FieldSchema& field) {
  if (field.format) {
    const char* what = field.kind == ValueKind::Date ? "a date"
                       : field.typeName == "money"   ? "an amount of money"
                       : field.typeName == "percent" ? "a percent"
                       : field.typeName == "count"   ? "a whole number"
                                                     : "a number";
    return fmt::format(
        "{} in the format \"{}\" (like {}{})", what, field.format->text, field.format->example,
        field.format->zone ? fmt::format(", read as a day in {}", field.format->zone->name()) : "");
  }
  switch (field.kind) {
  case ValueKind::Number:
    if (field.typeName == "money")
      return fmt::format("an amount of money (like 1200, -3.50 or {}1200)", field.currencySign);
    if (field.typeName == "percent")
      return "a percent (like 65% or 0.65)";
    if (field.typeName == "count")
      return "a whole number (like 42)";
    if (field.typeName == "duration")
      return "a duration (like 14, 14 days or 2 weeks)";
    return "a number (like 42, -3.5 or 0.25)";
  case ValueKind::Bool:
    return "a bool (true, false, 1 or 0)";
  case ValueKind::Text:
    return "a text";
  case ValueKind::Date:
    return "a date YYYY-MM-DD (like 2017-03-01)";
  case ValueKind::Period:
    return "a period (like 2017-Q2, 2017-05, 2017-W18, 2017 or 2017-05-01)";
  case ValueKind::Reference:
    return fmt::format("a key of {}", field.referencedTable);
  }
  return "a value";
}

std::optional<std::string> canonicalKey(ValueKind kind, std::string_view typeName,
                                        std::string_view text) {
  switch (kind) {
  case ValueKind::Text:
  case ValueKind::Reference:
    return std::string(trimSpaces(text));
  case ValueKind::Number:
    if (auto value = parseNumberCell(trimSpaces(text), typeName))
      return fmt::format("{}", *value);
    return std::nullopt;
  case ValueKind::Bool:
    if (auto value = parseBoolCell(trimSpaces(text)))
      return std::string(*value ? "true" : "false");
    return std::nullopt;
  case ValueKind::Date:
    if (auto day = parseDate(trimSpaces(text)))
      return formatDate(*day);
    return std::nullopt;
  case ValueKind::Period:
    if (auto period = parsePeriod(trimSpaces(text)))
      return formatPeriod(*period);
    return std::nullopt;
  }
  return std::nullopt;
}

} // namespace fulcrum::runtime
