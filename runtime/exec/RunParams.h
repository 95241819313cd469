// The values of a plan's run parameters for one run: period bounds and code, windows, the as-of
// day, working days and the user's params (defaults or `--param` overrides).
#pragma once

#include "runtime/plan/Plan.h"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace fulcrum::runtime {

struct RunParamValues {
  Period period;      // the evaluation period: `--period`, or the cadence period holding `--as-of`
  DayNumber asOf = 0; // the run's today: `--as-of`, or the period's last day
  std::vector<double> values;
  std::vector<uint8_t> valid;
  std::vector<std::string> errors; // usage errors: a bad period, param or as-of date
};

// `strings` is the run's string pool: text params are interned into it.
RunParamValues computeRunParams(const Plan& plan, const std::string& period,
                                const std::string& asOf,
                                const std::map<std::string, std::string>& overrides,
                                StringCodes& stringCodes, std::vector<std::string>& strings);

// A user param's declared default, as a run reads it (a number, or a string's text read as the
// param's type, text interned into `strings`); none when it declares none or its text does not
// read as its type.
std::optional<double> userParamDefault(const Plan& plan, const RunParamSpec& param,
                                       StringCodes& stringCodes, std::vector<std::string>& strings);

} // namespace fulcrum::runtime
