// Parsing one line's fields of a CSV file into column values: text codes, day numbers, periods,
// numbers and references to a key, failing with the file and line. Shared by the loaders of
// both data sets (Dataset.cpp, AccountData.cpp).
#pragma once

#include "bench/handwritten/Calendar.h"
#include "bench/handwritten/CsvFile.h"
#include "bench/handwritten/StringIndex.h"

#include <charconv>
#include <fmt/format.h>
#include <string_view>

namespace handwritten {

// Digits with at most one `.` and at least one digit. The same as the product's check in
// runtime/data/Cells.cpp, and kept apart on purpose: this baseline links no Fulcrum library, so
// that bench/compare.py checks the JIT's results against an independent reading of the files
// and a bug in one parser cannot hide in both.
inline bool isDecimal(std::string_view text) {
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

// Parses the current line's fields of one file, failing with its file and line.
class FieldReader {
public:
  FieldReader(CsvFile& file, StringIndex& text) : file_(file), text_(text) {}

  int32_t text(size_t column) {
    const std::string_view cell = file_.field(column);
    if (cell.empty())
      missing(column);
    return text_.intern(cell);
  }

  // A `text?` field: -1 when the cell is empty.
  int32_t optionalText(size_t column) {
    return file_.field(column).empty() ? -1 : text_.intern(file_.field(column));
  }

  int32_t day(size_t column) {
    auto day = parseDay(file_.field(column));
    if (!day)
      file_.fail(fmt::format("`{}` is not a date YYYY-MM-DD", file_.field(column)));
    return *day;
  }

  int32_t optionalDay(size_t column) { return file_.field(column).empty() ? kNoDay : day(column); }

  int64_t period(size_t column) {
    auto range = parsePeriodCell(file_.field(column));
    if (!range)
      file_.fail(fmt::format("`{}` is not a period", file_.field(column)));
    return periodKey(*range);
  }

  // Digits with at most one dot, optionally negative or (money) after a `$`.
  double number(size_t column) {
    std::string_view cell = file_.field(column);
    const bool negative = cell.starts_with('-');
    if (negative)
      cell.remove_prefix(1);
    if (cell.starts_with('$'))
      cell.remove_prefix(1);
    double value = 0;
    const auto [end, error] = std::from_chars(cell.data(), cell.data() + cell.size(), value);
    if (!isDecimal(cell) || error != std::errc() || end != cell.data() + cell.size())
      file_.fail(fmt::format("`{}` is not a number", file_.field(column)));
    return negative ? -value : value;
  }

  // A row index of the table whose keys `keys` holds (`what` names it in the message).
  int32_t reference(size_t column, const StringIndex& keys, std::string_view what) {
    const std::string_view cell = file_.field(column);
    const int32_t row = keys.find(cell);
    if (row < 0)
      file_.fail(fmt::format("unknown {} `{}`", what, cell));
    return row;
  }

  // A rep row index from a rep_id.
  int32_t rep(size_t column, const StringIndex& repIndex) {
    return reference(column, repIndex, "rep");
  }

  [[noreturn]] void missing(size_t column) {
    file_.fail(fmt::format("field {} is empty", column + 1));
  }

private:
  CsvFile& file_;
  StringIndex& text_;
};

} // namespace handwritten
