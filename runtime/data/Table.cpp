// Appending to and selecting from columns; field and key lookup on tables.
#include "runtime/data/Table.h"

#include "runtime/data/Cells.h"

namespace fulcrum::runtime {

std::string_view Column::text(size_t row) const {
  return valid[row] ? dictionary.text(codes[row]) : std::string_view();
}

void Column::ownValues() {
  if (borrowedNumbers)
    numbers.assign(borrowedNumbers, borrowedNumbers + valid.size());
  if (borrowedDays)
    days.assign(borrowedDays, borrowedDays + valid.size());
  borrowedNumbers = nullptr;
  borrowedDays = nullptr;
  borrowed.reset();
}

void Column::reserve(size_t rowCount) {
  valid.reserve(rowCount);
  switch (kind) {
  case ValueKind::Number:
    numbers.reserve(rowCount);
    break;
  case ValueKind::Bool:
    bools.reserve(rowCount);
    break;
  case ValueKind::Text:
    codes.reserve(rowCount);
    break;
  case ValueKind::Date:
    days.reserve(rowCount);
    break;
  case ValueKind::Period:
    periodFirst.reserve(rowCount);
    periodLast.reserve(rowCount);
    break;
  case ValueKind::Reference:
    rows.reserve(rowCount);
    break;
  }
}

void Column::clearRows() {
  valid.clear();
  numbers.clear();
  bools.clear();
  codes.clear();
  dictionary.clear();
  days.clear();
  periodFirst.clear();
  periodLast.clear();
  rows.clear();
  missing = 0;
  borrowedNumbers = nullptr;
  borrowedDays = nullptr;
  borrowed.reset();
}

void Column::resizeMissing(size_t rowCount) {
  missing = missing + rowCount - valid.size(); // wraps back when shrinking
  valid.resize(rowCount, 0);
  switch (kind) {
  case ValueKind::Number:
    numbers.resize(rowCount, 0);
    break;
  case ValueKind::Bool:
    bools.resize(rowCount, 0);
    break;
  case ValueKind::Text:
    codes.resize(rowCount, -1);
    break;
  case ValueKind::Date:
    days.resize(rowCount, 0);
    break;
  case ValueKind::Period:
    periodFirst.resize(rowCount, 0);
    periodLast.resize(rowCount, -1);
    break;
  case ValueKind::Reference:
    rows.resize(rowCount, -1);
    break;
  }
}

void Column::appendMissing() {
  valid.push_back(0);
  ++missing;
  switch (kind) {
  case ValueKind::Number:
    numbers.push_back(0);
    break;
  case ValueKind::Bool:
    bools.push_back(0);
    break;
  case ValueKind::Text:
    codes.push_back(-1);
    break;
  case ValueKind::Date:
    days.push_back(0);
    break;
  case ValueKind::Period:
    periodFirst.push_back(0);
    periodLast.push_back(-1);
    break;
  case ValueKind::Reference:
    rows.push_back(-1);
    break;
  }
}

void Column::appendNumber(double value) {
  valid.push_back(1);
  numbers.push_back(value);
}

void Column::appendBool(bool value) {
  valid.push_back(1);
  bools.push_back(value ? 1 : 0);
}

void Column::appendText(std::string_view value) {
  valid.push_back(1);
  codes.push_back(dictionary.intern(value));
}

void Column::appendDay(int32_t day) {
  valid.push_back(1);
  days.push_back(day);
}

void Column::appendPeriod(int32_t first, int32_t last) {
  valid.push_back(1);
  periodFirst.push_back(first);
  periodLast.push_back(last);
}

void Column::appendRow(int32_t row) {
  valid.push_back(1);
  rows.push_back(row);
}

Column Column::select(const std::vector<uint32_t>& keep) const {
  Column out(kind);
  out.reserve(keep.size());
  for (uint32_t row : keep) {
    if (!valid[row]) {
      out.appendMissing();
      continue;
    }
    switch (kind) {
    case ValueKind::Number:
      out.appendNumber(numberData()[row]);
      break;
    case ValueKind::Bool:
      out.appendBool(bools[row] != 0);
      break;
    case ValueKind::Text:
      out.appendText(dictionary.text(codes[row]));
      break;
    case ValueKind::Date:
      out.appendDay(dayData()[row]);
      break;
    case ValueKind::Period:
      out.appendPeriod(periodFirst[row], periodLast[row]);
      break;
    case ValueKind::Reference:
      out.appendRow(rows[row]);
      break;
    }
  }
  return out;
}

int Table::fieldIndex(std::string_view name) const {
  for (size_t i = 0; i < schema.fields.size(); ++i)
    if (schema.fields[i].name == name)
      return static_cast<int>(i);
  return -1;
}

const Column* Table::column(std::string_view fieldName) const {
  const int index = fieldIndex(fieldName);
  return index < 0 ? nullptr : &columns[static_cast<size_t>(index)];
}

int32_t Table::findRow(std::string_view key) const {
  if (schema.keyField < 0)
    return -1;
  const FieldSchema& field = schema.fields[static_cast<size_t>(schema.keyField)];
  const auto canonical = canonicalKey(field.kind, field.typeName, key);
  if (!canonical)
    return -1;
  return keyIndex.find(*canonical);
}

} // namespace fulcrum::runtime
