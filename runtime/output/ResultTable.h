// What a run hands back to be printed: the result table and the checks' violations.
#pragma once

#include "runtime/plan/Plan.h"

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace fulcrum::runtime {

// One row per subject, one column per output (OutputColumn), values and validity by
// [column * subjects + subject]; Text values are codes into `strings`, money a whole number of
// units of 1/10,000 (support/Money.h: `moneyDollars` for dollars, `plainMoney` for its decimal).
struct ResultTable {
  std::string keyName;
  std::vector<std::string> keys;
  std::vector<OutputColumn> columns;
  std::vector<double> values;
  std::vector<uint8_t> valid;
  std::vector<std::string> strings;
  int32_t orderColumn = -1; // the first rank's column (Plan::orderOutput), or -1
  int fiscalStart = 0;      // Plan::fiscalStart: periods print as fiscal ones (`FY2018-Q1`)
  std::string_view currencySign = "$"; // Plan::currency's sign (a registry row's: static)

  size_t subjects() const { return keys.size(); }
  // The cell as text for machine formats: raw numbers, ISO dates, empty when missing.
  std::string raw(size_t column, size_t subject) const;
  bool present(size_t column, size_t subject) const {
    return valid[column * keys.size() + subject] != 0;
  }
  double value(size_t column, size_t subject) const {
    return values[column * keys.size() + subject];
  }
};

struct CheckViolation {
  std::string check;
  std::string subject;
  std::vector<std::pair<std::string, std::string>> values; // name -> value as shown

  // `attainment = 40%, quota = $600,000`: the values as `fulcrum run` reports them.
  std::string valuesText() const {
    std::string text;
    for (const auto& [name, shown] : values)
      text += (text.empty() ? "" : ", ") + name + " = " + shown;
    return text;
  }
};

} // namespace fulcrum::runtime
