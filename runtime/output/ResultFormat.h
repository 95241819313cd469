// The result table as CSV, JSON or an aligned human table.
#pragma once

#include "runtime/output/ResultTable.h"

#include <string>

namespace fulcrum::runtime {

enum class OutputFormat { Csv, Json, Table };

std::string formatResult(const ResultTable& table, OutputFormat format);
// One present value of kind `kind` as machine formats print it (raw number, ISO date, text).
std::string rawValue(ValueType kind, double value, const std::vector<std::string>& strings);
// One value for people: 65.0%, $1,234, 2017-05-02, 1,205, 3.47.
std::string humanValue(const ResultTable& table, size_t column, size_t subject);

} // namespace fulcrum::runtime
