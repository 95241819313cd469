// The result table as CSV, JSON or an aligned human table.
#pragma once

#include "runtime/output/ResultTable.h"

#include <string>
#include <utility>
#include <vector>

namespace fulcrum::runtime {

enum class OutputFormat { Csv, Json, Table };

std::string formatResult(const ResultTable& table, OutputFormat format);
// Rows of cells for people, the first a header: each cell cut to 60 code points (an ellipsis
// last), padded to its column's width, two spaces apart; a column `right` marks is right-aligned
// below the header. The table format, and `diff`'s table.
std::string alignedRows(std::vector<std::vector<std::string>> rows,
                        const std::vector<bool>& right = {}, const std::string& indent = "");
// A CSV field: quoted (quotes doubled) when it holds a comma, a quote or a line break.
std::string csvField(const std::string& text);
// One present value of kind `kind` as machine formats print it (raw number, ISO date, text).
// `fiscalStart` (Plan::fiscalStart) makes a period that is a fiscal quarter or year print as one
// (`FY2018-Q1`).
std::string rawValue(ValueType kind, double value, const std::vector<std::string>& strings,
                     int fiscalStart = 0);
// One value for people (language.md, "How values are shown"): 65.0%, $1,234, $1,234.50,
// 2017-05-02, 1,205, 3.47; `-` when missing. The table format, alert messages.
// `currencySign` is the program's (Plan::currency): `€1,234`.
std::string shownValue(ValueType kind, double value, bool present,
                       const std::vector<std::string>& strings, int fiscalStart = 0,
                       std::string_view currencySign = "$");
std::string humanValue(const ResultTable& table, size_t column, size_t subject);
// Two present values for people side by side (a changed value's before and after, a
// comparison's operands), each given as shown and as raw (rawValue): when they would show the
// same text but differ (3.5604 and 3.5571 both show 3.56), each in full as CSV carries it, so
// that no difference reads as none.
std::pair<std::string, std::string> shownApart(const std::string& shownA, const std::string& rawA,
                                               const std::string& shownB, const std::string& rawB);
// Whether the JSON format quotes a value of kind `kind` (text, a date, a period) or prints it
// bare (a number, a bool).
bool jsonQuoted(ValueType kind);
// The cell as the JSON format prints it: a number bare, text, a date or a period quoted, `null`
// when missing.
std::string jsonValue(const ResultTable& table, size_t column, size_t subject);
// The order the table format lists subjects in: by the first rank (missing last) when the
// framework has one, ties and frameworks without one by key (byte order).
bool subjectBefore(const ResultTable& table, size_t a, size_t b);
std::vector<size_t> subjectOrder(const ResultTable& table);

} // namespace fulcrum::runtime
