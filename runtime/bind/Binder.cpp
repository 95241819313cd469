// Binding: column storage by kind, text re-coded once per load, references as row indexes.
#include "runtime/bind/Binder.h"

#include "runtime/data/RangeMerge.h"

#include <algorithm>
#include <map>
#include <numeric>

namespace fulcrum::runtime {

static int32_t intern(BoundData& bound, std::string_view text) {
  auto [it, inserted] =
      bound.stringCodes.emplace(std::string(text), static_cast<int32_t>(bound.strings.size()));
  if (inserted)
    bound.strings.emplace_back(text);
  return it->second;
}

BoundData bind(const Plan& plan, LoadResult& loaded, const std::vector<size_t>& feedRows) {
  BoundData bound;
  for (const std::string& text : plan.strings)
    intern(bound, text);
  std::vector<Table*> tables;
  for (const PlanTable& t : plan.tables) {
    tables.push_back(t.feed >= 0 ? nullptr : loaded.table(t.name));
    bound.tableRows.push_back(t.feed >= 0     ? feedRows.at(static_cast<size_t>(t.feed))
                              : tables.back() ? tables.back()->rowCount
                                              : 0);
  }
  // Owned vectors are reserved up front so that pointers into them stay valid.
  bound.ownedCodes.reserve(plan.columns.size() + 1);
  bound.ownedNumbers.reserve(plan.columns.size());
  bound.ownedValid.reserve(1);
  // A group subject: its rows are the distinct group names of the members, in first-seen order.
  std::vector<std::string> groupKeys;
  if (plan.tables[0].groupMembers >= 0) {
    const Table& members = *tables[plan.tables[0].groupMembers];
    const Column& names = members.columns[plan.tables[0].groupField];
    std::map<std::string, int32_t, std::less<>> groups;
    bound.memberGroup.assign(members.rowCount, -1);
    for (size_t row = 0; row < members.rowCount; ++row) {
      if (!names.valid[row])
        continue;
      const std::string_view name = names.text(row);
      auto it = groups.find(name);
      if (it == groups.end()) {
        it = groups.emplace(std::string(name), static_cast<int32_t>(groupKeys.size())).first;
        groupKeys.emplace_back(name);
      }
      bound.memberGroup[row] = it->second;
    }
    bound.tableRows[0] = groupKeys.size();
  }
  if (plan.tables[0].isCompany) {
    groupKeys = {plan.tables[0].name}; // `company`, or the group's name
    bound.tableRows[0] = 1;
  }
  const bool synthesized = plan.tables[0].groupMembers >= 0 || plan.tables[0].isCompany;
  for (const BoundColumnSpec& spec : plan.columns) {
    if (spec.slotInput || plan.tables[spec.table].feed >= 0) {
      // A peer step's input, pointed at the slot when the step runs; another framework's
      // result, filled by each run (RunFeeds.cpp).
      bound.columnValues.push_back(nullptr);
      bound.columnValid.push_back(nullptr);
      continue;
    }
    if (spec.table == 0 && synthesized) {
      // The group's (or the company's) one field, its name, as pool codes.
      std::vector<int32_t>& codes = bound.ownedCodes.emplace_back();
      for (const std::string& key : groupKeys)
        codes.push_back(intern(bound, key));
      bound.columnValues.push_back(codes.data());
      bound.columnValid.push_back(bound.ownedValid.emplace_back(groupKeys.size(), 1).data());
      continue;
    }
    Column& column = tables[spec.table]->columns[spec.field];
    bound.columnValid.push_back(column.valid.data());
    switch (column.kind) {
    case ValueKind::Number:
      bound.columnValues.push_back(column.numberData());
      break;
    case ValueKind::Bool:
      bound.columnValues.push_back(column.bools.data());
      break;
    case ValueKind::Date:
      bound.columnValues.push_back(column.dayData());
      break;
    case ValueKind::Reference:
      bound.columnValues.push_back(column.rows.data());
      break;
    case ValueKind::Text: {
      // Column dictionary codes -> pool codes, in place, through a table the size of the
      // dictionary; the dictionary is then the pool's prefix, so its codes stay readable. A
      // column bound twice is re-coded by the identity the second time.
      std::vector<int32_t> recode(column.dictionary.size());
      for (size_t code = 0; code < recode.size(); ++code)
        recode[code] = intern(bound, column.dictionary.text(static_cast<int32_t>(code)));
      for (size_t row = 0; row < column.size(); ++row)
        if (column.valid[row])
          column.codes[row] = recode[static_cast<size_t>(column.codes[row])];
      Dictionary pooled;
      for (const std::string& text : bound.strings)
        pooled.intern(text);
      column.dictionary = std::move(pooled);
      bound.columnValues.push_back(column.codes.data());
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
  bound.ownedRowSubjects.reserve(plan.rowSubjects.size());
  for (const RowSubjectSpec& spec : plan.rowSubjects) {
    const size_t rows = bound.tableRows[spec.table];
    if (spec.path == SubjectPath::Reference) {
      // A missing reference holds -1 (Column), so the reference column is the map as it is.
      const Column& ref = tables[spec.table]->columns[spec.field];
      bound.rowSubjects.push_back(ref.rows.data());
      continue;
    }
    std::vector<int32_t>& map = bound.ownedRowSubjects.emplace_back(rows, -1);
    switch (spec.path) {
    case SubjectPath::Self:
      std::iota(map.begin(), map.end(), 0);
      break;
    case SubjectPath::Member:
      map = bound.memberGroup;
      break;
    case SubjectPath::Everything:
      std::fill(map.begin(), map.end(), 0);
      break;
    case SubjectPath::Reference:
      break;
    case SubjectPath::ReferenceToMember: {
      const Column& ref = tables[spec.table]->columns[spec.field];
      for (size_t row = 0; row < rows; ++row)
        if (ref.valid[row])
          map[row] = bound.memberGroup[static_cast<size_t>(ref.rows[row])];
      break;
    }
    }
    bound.rowSubjects.push_back(map.data());
  }
  bound.subjectRows.resize(bound.tableRows[0]);
  std::iota(bound.subjectRows.begin(), bound.subjectRows.end(), 0);
  if (synthesized) {
    bound.subjectKeys = std::move(groupKeys);
    return bound;
  }
  const Table& subjects = *tables[0];
  const int key = subjects.schema.keyField;
  if (key < 0) {
    bound.subjectKeys.resize(subjects.rowCount);
    return bound;
  }
  // A key of any type: a text key as written, any other as its canonical text (`1` for the
  // number 1.0), the text references are matched by.
  const FieldSchema& keyField = subjects.schema.fields[static_cast<size_t>(key)];
  const Column& keys = subjects.columns[static_cast<size_t>(key)];
  std::string keyText;
  for (size_t row = 0; row < subjects.rowCount; ++row) {
    if (keyField.kind == ValueKind::Text)
      bound.subjectKeys.emplace_back(keys.text(row));
    else
      bound.subjectKeys.emplace_back(rowKey(keys, keyField, row, keyText) ? keyText : "");
  }
  return bound;
}

} // namespace fulcrum::runtime
