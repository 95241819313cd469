// The checks of a cached table (see CachedTableCheck.h). Each mirrors what the parser would have
// rejected as an issue; a cache is only written for a file parsed with none.
#include "runtime/data/CachedTableCheck.h"

#include "runtime/data/RangeMerge.h"
#include "support/Calendar.h"
#include "support/Money.h"

#include <cmath>
#include <cstring>
#include <fmt/format.h>

namespace fulcrum::runtime {
namespace {

// Dates as the loader reads them: YYYY-MM-DD, years 0000 to 9999.
const DayNumber kFirstDay = dayFromCivil(0, 1, 1);
const DayNumber kLastDay = dayFromCivil(9999, 12, 31);
// Periods reach a little beyond: a fiscal year named 0000 starts in year -1, and the last ISO
// week of 9999 ends in 10000.
const DayNumber kFirstPeriodDay = dayFromCivil(-1, 1, 1);
const DayNumber kLastPeriodDay = dayFromCivil(10000, 1, 31);

bool isPositiveZero(double value) {
  uint64_t bits = 0;
  std::memcpy(&bits, &value, sizeof bits);
  return bits == 0;
}

// What is wrong with the present cell of `field` at `row`, or null if it is sound. (Plain
// strings: this runs for every cell of a warm load, tens of millions of them.)
const char* badValue(const FieldSchema& field, const Column& column, size_t row,
                     size_t dictionarySize) {
  switch (field.kind) {
  case ValueKind::Number: {
    const double value = column.numberData()[row];
    if (!std::isfinite(value))
      return "a number that is not finite";
    if (field.typeName == "money" &&
        (value != std::trunc(value) || std::fabs(value) > kMaxMoneyUnits))
      return "money that is not a whole number of units within range";
    if ((field.minimum && value < *field.minimum) || (field.maximum && value > *field.maximum))
      return "a number outside the field's range";
    return nullptr;
  }
  case ValueKind::Bool:
    return column.bools[row] <= 1 ? nullptr : "a bool that is neither 0 nor 1";
  case ValueKind::Text:
    return column.codes[row] >= 0 && static_cast<size_t>(column.codes[row]) < dictionarySize
               ? nullptr
               : "a text code outside its dictionary";
  case ValueKind::Date:
    return column.dayData()[row] >= kFirstDay && column.dayData()[row] <= kLastDay
               ? nullptr
               : "a date outside the years 0000 to 9999";
  case ValueKind::Period:
    return column.periodFirst[row] >= kFirstPeriodDay &&
                   column.periodFirst[row] <= column.periodLast[row] &&
                   column.periodLast[row] <= kLastPeriodDay
               ? nullptr
               : "a period outside the years the loader reads, or ending before it starts";
  case ValueKind::Reference:
    return nullptr; // pending references are missing cells until resolved (see badMissing)
  }
  return "a value of an unknown kind";
}

// What is wrong with the missing cell of `field` at `row` (or a pending reference), or null.
const char* badMissing(const FieldSchema& field, const Column& column, size_t row,
                       size_t dictionarySize) {
  // A presence-only field keeps no value: its present cells stay missing (Schema.h).
  if (!field.optional && !field.presenceOnly && field.kind != ValueKind::Reference)
    return "a missing cell in a required field";
  switch (field.kind) {
  case ValueKind::Number:
    return isPositiveZero(column.numberData()[row]) ? nullptr : "a missing number holding a value";
  case ValueKind::Bool:
    return column.bools[row] == 0 ? nullptr : "a missing bool holding a value";
  case ValueKind::Text:
    return column.codes[row] == -1 ? nullptr : "a missing text holding a code";
  case ValueKind::Date:
    return column.dayData()[row] == 0 ? nullptr : "a missing date holding a day";
  case ValueKind::Period:
    return column.periodFirst[row] == 0 && column.periodLast[row] == -1
               ? nullptr
               : "a missing period holding days";
  case ValueKind::Reference: {
    // Until resolution a reference's cell is missing and `rows` holds its key's code, or -1
    // for an empty cell (which a required field would have rejected).
    const int32_t code = column.rows[row];
    if (code < -1 || (code >= 0 && static_cast<size_t>(code) >= dictionarySize))
      return "a reference outside its keys";
    return code == -1 && !field.optional ? "an empty reference in a required field" : nullptr;
  }
  }
  return "a value of an unknown kind";
}

bool columnIsSound(const FieldSchema& field, const Column& column, size_t rows,
                   size_t dictionarySize, std::string& why) {
  size_t missing = 0;
  for (size_t row = 0; row < rows; ++row) {
    const char* bad = nullptr;
    if (column.valid[row] > 1)
      bad = "a validity byte that is neither 0 nor 1";
    else if (column.valid[row] == 1 && field.kind == ValueKind::Reference)
      bad = "a reference resolved before its table was loaded";
    else if (column.valid[row] == 1)
      bad = badValue(field, column, row, dictionarySize);
    else
      bad = badMissing(field, column, row, dictionarySize);
    if (bad) {
      why = fmt::format("field `{}`, row {}: {}", field.name, row + 1, bad);
      return false;
    }
    missing += column.valid[row] == 0;
  }
  if (missing != column.missing) {
    why = fmt::format("field `{}`: {} missing cells, but the cache counts {}", field.name, missing,
                      column.missing);
    return false;
  }
  return true;
}

// The key of `row`, read as the parser's duplicate check reads it; a pending reference's text
// is in its reference's keys here (the parser checked keys before moving them there).
bool cachedRowKey(const ParsedTable& table, size_t field, size_t row, std::string& key) {
  const Column& column = table.table.columns[field];
  if (table.schema->fields[field].kind != ValueKind::Reference)
    return rowKey(column, table.schema->fields[field], row, key);
  for (const PendingReference& reference : table.references)
    if (reference.field == field && column.rows[row] >= 0) {
      key = reference.keys.text(column.rows[row]);
      return true;
    }
  return false;
}

// Each row with a key is that key's row in the index, and the index holds nothing else. When
// the index is a text key column's own dictionary (its texts canonical, checked on reading) a
// row's key is found by its code, with no text hashed again.
bool keysAreSound(const ParsedTable& table, std::string& why) {
  const int keyField = table.schema->keyField;
  if (keyField < 0)
    return table.firstSeen.size() == 0 || (why = "a key index for a table without keys", false);
  const auto field = static_cast<size_t>(keyField);
  const Column& keyColumn = table.table.columns[field];
  const bool byCode = keyColumn.kind == ValueKind::Text &&
                      table.firstSeen.keys().sharesStorageWith(keyColumn.dictionary);
  std::string key;
  size_t keyed = 0;
  for (size_t row = 0; row < table.rowsInFile; ++row) {
    int32_t found = -1;
    if (byCode) {
      if (!keyColumn.valid[row])
        continue;
      found = table.firstSeen.row(static_cast<size_t>(keyColumn.codes[row]));
    } else {
      if (!cachedRowKey(table, field, row, key))
        continue;
      found = table.firstSeen.find(key);
    }
    ++keyed;
    if (found != static_cast<int32_t>(row)) {
      why = found < 0 ? fmt::format("row {}: its key is not in the key index", row + 1)
                      : fmt::format("row {}: its key is row {}'s in the key index (a duplicate "
                                    "key, or an index that credits one row's key to another)",
                                    row + 1, found + 1);
      return false;
    }
  }
  if (keyed != table.firstSeen.size()) {
    why = fmt::format("the key index holds {} keys for {} rows with a key", table.firstSeen.size(),
                      keyed);
    return false;
  }
  return true;
}

} // namespace

bool cachedTableIsSound(const ParsedTable& table, std::string& why) {
  const TableSchema& schema = *table.schema;
  const size_t rows = table.rowsInFile;
  if (rows > static_cast<size_t>(INT32_MAX) || table.table.columns.size() != schema.fields.size() ||
      table.table.lines.size() != rows) {
    why = "the table's shape does not match its schema";
    return false;
  }
  // Lines increase from run to run (RowLines::fromRuns); the first is after the header's.
  if (rows > 0 && table.table.lines[0] < 2) {
    why = "row 1: its line is not after the header's";
    return false;
  }
  for (size_t f = 0; f < schema.fields.size(); ++f) {
    const Column& column = table.table.columns[f];
    if (column.kind != schema.fields[f].kind || column.valid.size() != rows) {
      why = fmt::format("field `{}`: the column does not match its schema", schema.fields[f].name);
      return false;
    }
    size_t dictionarySize = column.dictionary.size();
    if (column.kind == ValueKind::Reference) {
      dictionarySize = 0;
      for (const PendingReference& reference : table.references)
        if (reference.field == f)
          dictionarySize = reference.keys.size();
    }
    if (!columnIsSound(schema.fields[f], column, rows, dictionarySize, why))
      return false;
  }
  return keysAreSound(table, why);
}

} // namespace fulcrum::runtime
