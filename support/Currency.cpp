// The currency registry; see Currency.h.
#include "support/Currency.h"

#include <array>

namespace fulcrum {
namespace {

constexpr std::array<Currency, 3> kCurrencies = {{
    {"USD", "$"},
    {"EUR", "\u20AC"},
    {"GBP", "\u00A3"},
}};

} // namespace

std::span<const Currency> currencies() {
  return kCurrencies;
}

const Currency& defaultCurrency() {
  return kCurrencies[0];
}

const Currency* findCurrency(std::string_view code) {
  for (const Currency& currency : kCurrencies)
    if (currency.code == code)
      return &currency;
  return nullptr;
}

const Currency* currencyOfSign(std::string_view text) {
  for (const Currency& currency : kCurrencies)
    if (text.starts_with(currency.sign))
      return &currency;
  return nullptr;
}

} // namespace fulcrum
