// Binding: column storage by kind, text re-coded once per load, references as row indexes.
#include "runtime/bind/Binder.h"

#include <numeric>

namespace fulcrum::runtime {

static int32_t intern(BoundData& bound, std::string_view text) {
  auto [it, inserted] =
      bound.stringCodes.emplace(std::string(text), static_cast<int32_t>(bound.strings.size()));
  if (inserted)
    bound.strings.emplace_back(text);
  return it->second;
}

BoundData bind(const Plan& plan, const LoadResult& loaded) {
  BoundData bound;
  for (const std::string& text : plan.strings)
    intern(bound, text);
  std::vector<const Table*> tables;
  for (const PlanTable& t : plan.tables) {
    tables.push_back(loaded.table(t.name));
    bound.tableRows.push_back(tables.back() ? tables.back()->rowCount : 0);
  }
  // Owned vectors are reserved up front so that pointers into them stay valid.
  bound.ownedCodes.reserve(plan.columns.size());
  bound.ownedNumbers.reserve(plan.columns.size());
  for (const BoundColumnSpec& spec : plan.columns) {
    const Column& column = tables[spec.table]->columns[spec.field];
    bound.columnValid.push_back(column.valid.data());
    switch (column.kind) {
    case ValueKind::Number:
      bound.columnValues.push_back(column.numbers.data());
      break;
    case ValueKind::Bool:
      bound.columnValues.push_back(column.bools.data());
      break;
    case ValueKind::Date:
      bound.columnValues.push_back(column.days.data());
      break;
    case ValueKind::Reference:
      bound.columnValues.push_back(column.rows.data());
      break;
    case ValueKind::Text: {
      // Column dictionary codes -> pool codes, through a table the size of the dictionary.
      std::vector<int32_t> recode(column.dictionary.size());
      for (size_t code = 0; code < recode.size(); ++code)
        recode[code] = intern(bound, column.dictionary.text(static_cast<int32_t>(code)));
      std::vector<int32_t>& codes = bound.ownedCodes.emplace_back(column.size(), -1);
      for (size_t row = 0; row < column.size(); ++row)
        if (column.valid[row])
          codes[row] = recode[column.codes[row]];
      bound.columnValues.push_back(codes.data());
      break;
    }
    case ValueKind::Period: {
      std::vector<double>& codes = bound.ownedNumbers.emplace_back(column.size(), 0.0);
      for (size_t row = 0; row < column.size(); ++row)
        if (column.valid[row])
          codes[row] = periodCode(column.periodFirst[row], column.periodLast[row]);
      bound.columnValues.push_back(codes.data());
      break;
    }
    }
  }
  // Row -> subject: the subject entity is tables[0], so a reference's row index is the
  // subject index; the subject table maps to itself.
  for (const RowSubjectSpec& spec : plan.rowSubjects) {
    const Table& table = *tables[spec.table];
    std::vector<int32_t>& map = bound.rowSubjects.emplace_back(table.rowCount, -1);
    if (spec.field < 0) {
      std::iota(map.begin(), map.end(), 0);
      continue;
    }
    const Column& ref = table.columns[spec.field];
    for (size_t row = 0; row < table.rowCount; ++row)
      if (ref.valid[row])
        map[row] = ref.rows[row];
  }
  const Table& subjects = *tables[0];
  bound.subjectRows.resize(subjects.rowCount);
  std::iota(bound.subjectRows.begin(), bound.subjectRows.end(), 0);
  const int key = subjects.schema.keyField;
  for (size_t row = 0; row < subjects.rowCount; ++row)
    bound.subjectKeys.emplace_back(key >= 0 ? subjects.columns[key].text(row) : "");
  return bound;
}

} // namespace fulcrum::runtime
