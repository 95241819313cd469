// Columnar in-memory tables: one typed column per field, a validity vector, and a key index.
#pragma once

#include "runtime/data/Dictionary.h"
#include "runtime/data/RowLines.h"
#include "runtime/data/Schema.h"

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace fulcrum::runtime {

// One field's values for every row. Only the vectors of the column's kind are filled; a missing
// cell has valid[row] == 0 and a placeholder value (0, or -1 for codes and rows).
struct Column {
  ValueKind kind = ValueKind::Text;
  std::vector<uint8_t> valid;       // 1 = a value, 0 = missing
  std::vector<double> numbers;      // Number: numbers, counts, money, percents (65% is 0.65)
  std::vector<uint8_t> bools;       // Bool: 0 or 1
  std::vector<int32_t> codes;       // Text: codes into `dictionary`
  Dictionary dictionary;            // Text
  std::vector<int32_t> days;        // Date: day numbers (support/Calendar.h)
  std::vector<int32_t> periodFirst; // Period: first day
  std::vector<int32_t> periodLast;  // Period: last day, inclusive
  std::vector<int32_t> rows;        // Reference: dense row index in the referenced table
  size_t missing = 0;               // rows with valid == 0
  // Zero copy (host tables, runtime/arrow/): a Number or Date column may read its values from
  // memory it does not own instead of `numbers` / `days`, kept alive by `borrowed` (whose
  // deleter releases the host's buffers). Read values through numberData() and dayData().
  const double* borrowedNumbers = nullptr;
  const int32_t* borrowedDays = nullptr;
  std::shared_ptr<const void> borrowed;

  explicit Column(ValueKind k = ValueKind::Text) : kind(k) {}
  size_t size() const { return valid.size(); }
  bool isValid(size_t row) const { return valid[row] != 0; }
  const double* numberData() const { return borrowedNumbers ? borrowedNumbers : numbers.data(); }
  const int32_t* dayData() const { return borrowedDays ? borrowedDays : days.data(); }
  // The text of a Text cell (empty when missing).
  std::string_view text(size_t row) const;
  // Copies borrowed values into the column's own vectors and lets the host's memory go: before
  // anything grows the column (the append calls below write only the owned vectors).
  void ownValues();

  void reserve(size_t rowCount);
  // No rows, the vectors keeping their memory (a scratch column filled again and again).
  void clearRows();
  // Grows the column to `rowCount` rows, the new ones missing; or drops trailing rows, which
  // must be missing. (Fill a pre-sized column by row index.)
  void resizeMissing(size_t rowCount);
  void appendMissing();
  void appendNumber(double value);
  void appendBool(bool value);
  void appendText(std::string_view value);
  void appendDay(int32_t day);
  void appendPeriod(int32_t first, int32_t last);
  void appendRow(int32_t row);
  // A column of the same kind holding rows keep[0], keep[1]... (text is re-encoded, so the
  // dictionary holds only strings that some kept row uses).
  Column select(const std::vector<uint32_t>& keep) const;
};

struct Table {
  TableSchema schema;
  size_t rowCount = 0;
  std::vector<Column> columns; // one per schema field, in the schema's order
  RowLines lines;              // the source line where each row starts
  KeyIndex keyIndex;           // canonical key -> row, when the schema has a key field

  // Index of the field named `name`, or -1.
  int fieldIndex(std::string_view name) const;
  const Column* column(std::string_view fieldName) const;
  // The row whose key is `key` (as written in a file: `2017-05-01`, `42`, `Anna`), or -1.
  int32_t findRow(std::string_view key) const;
};

} // namespace fulcrum::runtime
