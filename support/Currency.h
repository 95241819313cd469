// The currencies a program may declare (`currency EUR`), one row each: its ISO code and the
// sign its literals (`€40`) and shown amounts (`€1,234.50`) carry. A program has one currency
// (USD without a declaration); amounts of two currencies in one program are out of scope
// (docs/data-formats.md). A new currency is a row here and its sign in the grammar's MONEY token.
#pragma once

#include <span>
#include <string_view>

namespace fulcrum {

struct Currency {
  std::string_view code; // ISO 4217
  std::string_view sign; // UTF-8
};

std::span<const Currency> currencies();
const Currency& defaultCurrency(); // USD
const Currency* findCurrency(std::string_view code);
// The currency whose sign `text` starts with, or null.
const Currency* currencyOfSign(std::string_view text);

} // namespace fulcrum
