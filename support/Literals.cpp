// Literal token text to values.
#include "support/Literals.h"

#include "support/Currency.h"

#include <cmath>
#include <cstdlib>
#include <string>

namespace fulcrum {

std::optional<double> parseNumberLiteral(std::string_view text) {
  std::string digits;
  for (char c : text)
    if (c != '_')
      digits += c;
  if (digits.empty())
    return std::nullopt;
  char* end = nullptr;
  const double value = std::strtod(digits.c_str(), &end);
  if (end != digits.c_str() + digits.size() || !std::isfinite(value))
    return std::nullopt;
  return value;
}

MoneyText parseMoneyLiteral(std::string_view text) {
  const Currency* currency = currencyOfSign(text);
  if (currency == nullptr)
    return {0, MoneyTextError::Malformed};
  text.remove_prefix(currency->sign.size());
  if (text.starts_with('-'))
    return {0, MoneyTextError::Malformed};
  return parseMoneyText(text, MoneySyntax::Literal);
}

std::optional<double> parsePercentLiteral(std::string_view text) {
  if (text.empty() || text.back() != '%')
    return std::nullopt;
  text.remove_suffix(1);
  auto value = parseNumberLiteral(text);
  if (!value)
    return std::nullopt;
  return *value / 100;
}

std::optional<DurationValue> parseDurationLiteral(std::string_view text) {
  size_t split = 0;
  while (split < text.size() && text[split] != ' ' && text[split] != '\t')
    ++split;
  auto count = parseNumberLiteral(text.substr(0, split));
  size_t unitStart = split;
  while (unitStart < text.size() && (text[unitStart] == ' ' || text[unitStart] == '\t'))
    ++unitStart;
  auto unit = parsePeriodUnit(text.substr(unitStart));
  if (!count || !unit || *count > kMaxPeriodCount)
    return std::nullopt;
  return DurationValue{static_cast<int>(*count), *unit};
}

} // namespace fulcrum
