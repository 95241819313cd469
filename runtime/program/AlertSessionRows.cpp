// An alert session's rows: fed cells parsed by the loader's rules (runtime/data/RangeParser.h),
// or a host's rows in memory by its table's own parse (runtime/data/HostTable.h); either way
// references resolved against the loaded entities, keys checked, then appended to the events
// table's columns, and the bound arrays pointed at the columns again (they may have moved).
#include "runtime/data/Cells.h"
#include "runtime/data/HostTable.h"
#include "runtime/data/RangeParser.h"
#include "runtime/data/ShownText.h"
#include "runtime/data/TableParser.h"
#include "runtime/program/AlertSession.h"
#include "runtime/program/Run.h"

#include <fmt/format.h>
#include <unordered_set>

namespace fulcrum::runtime {

namespace {

// `events row 3 of the feed: <the loader's message>`: the row's place among the fed rows.
std::string feedIssueText(const LoadIssue& issue) {
  return fmt::format("{} row {} of the feed: {}", issue.table, issue.line, issue.message);
}

} // namespace

bool AlertSession::parseRows(const std::vector<std::string_view>& cells, ParsedRange& parsed,
                             NewKeys& newKeys, AlertSessionResult& result) const {
  const TableSchema& schema = events_->schema;
  const size_t fields = schema.fields.size();
  if (fields == 0 || cells.size() % fields != 0) {
    result.status = RunStatus::UsageError;
    result.errors.push_back(fmt::format("{} has {} fields a row, so the cells fed must be a "
                                        "multiple of {}; {} were given",
                                        schema.name, fields, fields, cells.size()));
    return false;
  }
  parseCells(schema, cells, parsed);
  const CellText written = [&](size_t row, size_t field) {
    return std::string(cells[row * fields + field]);
  };
  return checkRows(parsed, written, false, newKeys, result);
}

bool AlertSession::parseRows(const HostTable& rows, ParsedRange& parsed, NewKeys& newKeys,
                             AlertSessionResult& result) const {
  const TableSchema& schema = events_->schema;
  ParsedTable table;
  rows.parse(schema, table);
  if (table.unusable) { // columns that do not fit the fields: no row can be read
    result.status = RunStatus::UsageError;
    for (const LoadIssue& issue : table.issues)
      if (issue.fatal)
        result.errors.push_back(issue.message);
    return false;
  }
  // The parsed table as the cell path's range: the same columns, rows and issues.
  parsed = ParsedRange{};
  parsed.rows = table.rowsInFile;
  parsed.columns = std::move(table.table.columns);
  for (Column& column : parsed.columns)
    column.ownValues(); // appended to the session's columns: nothing may borrow the host's
  // parse keeps a reference column's key texts apart (PendingReference); checkRows reads them
  // from the column's dictionary, where the cell path leaves them.
  for (PendingReference& reference : table.references)
    parsed.columns[reference.field].dictionary = std::move(reference.keys);
  parsed.rejected = std::move(table.rejected);
  // A host table's issues name the 1-based row (LoadIssue::row); a feed's name it as the line,
  // with the field's place as the column (AlertSessionResult::issues).
  for (size_t i = 0; i < table.issues.size(); ++i) {
    LoadIssue issue = std::move(table.issues[i]);
    issue.line = static_cast<uint32_t>(table.issueRows[i] + 1);
    issue.row = 0;
    for (size_t f = 0; f < schema.fields.size(); ++f)
      if (schema.fields[f].name == issue.field)
        issue.column = static_cast<uint32_t>(f + 1);
    parsed.issues.push_back(std::move(issue));
  }
  // parse has named each key repeated within the rows (with the row that has it first).
  return checkRows(parsed, table.hostCell, true, newKeys, result);
}

bool AlertSession::checkRows(ParsedRange& parsed, const CellText& written, bool feedKeysChecked,
                             NewKeys& newKeys, AlertSessionResult& result) const {
  const TableSchema& schema = events_->schema;
  const size_t fields = schema.fields.size();
  std::vector<LoadIssue> issues = std::move(parsed.issues);
  for (LoadIssue& issue : issues)
    issue.file.clear();
  // References: the key of a loaded row of the referenced entity.
  for (size_t f = 0; f < fields; ++f) {
    const FieldSchema& field = schema.fields[f];
    if (field.kind != ValueKind::Reference)
      continue;
    Column& column = parsed.columns[f];
    const Table* target = data_->loaded.table(field.referencedTable);
    for (size_t row = 0; row < parsed.rows; ++row) {
      if (column.rows[row] < 0)
        continue; // empty (or rejected) cell
      const std::string_view key = column.dictionary.text(column.rows[row]);
      const int32_t found = target ? target->findRow(key) : -1;
      if (found < 0) {
        const std::string path = target ? target->schema.path : field.referencedTable;
        const TableSchema* targetSchema = target ? &target->schema : nullptr;
        const std::string keyName =
            targetSchema && targetSchema->keyField >= 0
                ? targetSchema->fields[static_cast<size_t>(targetSchema->keyField)].name
                : "key";
        issues.push_back(rowIssue(
            schema, static_cast<uint32_t>(row + 1), static_cast<uint32_t>(f + 1), &field, key,
            fmt::format("{}: unknown {} `{}`: {} has no {} with {} `{}`", describeField(field),
                        field.referencedTable, shown(key), path, field.referencedTable, keyName,
                        shown(key))));
        issues.back().file.clear();
        column.rows[row] = -1;
        continue;
      }
      column.rows[row] = found;
      column.valid[row] = 1;
      --column.missing;
    }
  }
  // Keys: new to the table and to the feed.
  if (schema.keyField >= 0) {
    const auto f = static_cast<size_t>(schema.keyField);
    const FieldSchema& field = schema.fields[f];
    std::unordered_set<std::string> seen;
    for (size_t row = 0; row < parsed.rows; ++row) {
      if (!parsed.columns[f].valid[row])
        continue; // its cell's own issue says why
      const std::string cell = written(row, f);
      const std::string_view text = trimSpaces(cell);
      const std::optional<std::string> key = canonicalKey(field.kind, field.typeName, text);
      if (!key)
        continue;
      if (events_->keyIndex.find(*key) >= 0 || (!seen.insert(*key).second && !feedKeysChecked)) {
        issues.push_back(rowIssue(schema, static_cast<uint32_t>(row + 1),
                                  static_cast<uint32_t>(f + 1), &field, text,
                                  fmt::format("duplicate key {} `{}`: {} already has a row with it",
                                              describeField(field), shown(text), schema.name)));
        issues.back().file.clear();
      }
      newKeys.emplace_back(static_cast<int32_t>(row), *key);
    }
  }
  if (issues.empty())
    return true;
  std::stable_sort(issues.begin(), issues.end(), [](const LoadIssue& a, const LoadIssue& b) {
    return a.line != b.line ? a.line < b.line : a.column < b.column;
  });
  result.status = RunStatus::DataError;
  for (const LoadIssue& issue : issues)
    result.errors.push_back(feedIssueText(issue));
  result.issues = std::move(issues);
  return false;
}

bool AlertSession::appendRows(ParsedRange& parsed, const NewKeys& newKeys) {
  BoundData& bound = data_->bound;
  const size_t begin = events_->rowCount;
  const size_t poolBefore = bound.strings.size();
  const TableSchema& schema = events_->schema;
  std::vector<size_t> poolColumns; // text columns the plan reads: their codes are the pool's
  for (size_t f = 0; f < schema.fields.size(); ++f) {
    Column& from = parsed.columns[f];
    Column& to = events_->columns[f];
    to.ownValues(); // a host's column (zero copy) cannot grow in place
    to.valid.insert(to.valid.end(), from.valid.begin(), from.valid.end());
    to.missing += from.missing;
    switch (to.kind) {
    case ValueKind::Number:
      to.numbers.insert(to.numbers.end(), from.numbers.begin(), from.numbers.end());
      break;
    case ValueKind::Bool:
      to.bools.insert(to.bools.end(), from.bools.begin(), from.bools.end());
      break;
    case ValueKind::Date:
      to.days.insert(to.days.end(), from.days.begin(), from.days.end());
      break;
    case ValueKind::Period:
      to.periodFirst.insert(to.periodFirst.end(), from.periodFirst.begin(), from.periodFirst.end());
      to.periodLast.insert(to.periodLast.end(), from.periodLast.begin(), from.periodLast.end());
      break;
    case ValueKind::Reference:
      to.rows.insert(to.rows.end(), from.rows.begin(), from.rows.end());
      break;
    case ValueKind::Text: {
      // Bound text columns hold pool codes (Binder.h): a new text joins the pool. A column the
      // plan does not read keeps its own dictionary's codes.
      bool boundColumn = false;
      for (const BoundColumnSpec& spec : plan_.columns)
        boundColumn = boundColumn || (!spec.slotInput && spec.table == table_ && spec.field == f);
      for (size_t row = 0; row < parsed.rows; ++row) {
        int32_t code = 0;
        if (from.valid[row] && !boundColumn) {
          code = to.dictionary.intern(from.dictionary.text(from.codes[row]));
        } else if (from.valid[row]) {
          const std::string_view text = from.dictionary.text(from.codes[row]);
          auto it = bound.stringCodes.find(text);
          if (it == bound.stringCodes.end()) {
            it = bound.stringCodes.emplace(text, static_cast<int32_t>(bound.strings.size())).first;
            bound.strings.emplace_back(text);
          }
          code = it->second;
        }
        to.codes.push_back(code);
      }
      if (boundColumn)
        poolColumns.push_back(f);
      break;
    }
    }
  }
  // The columns' dictionaries stay the pool (Binder.h), so text(row) reads the new rows too.
  for (const size_t f : poolColumns) {
    Dictionary& dictionary = events_->columns[f].dictionary;
    for (size_t before = 0;
         dictionary.size() < bound.strings.size() && dictionary.size() != before;) {
      before = dictionary.size();
      dictionary.intern(bound.strings[dictionary.size()]);
    }
  }
  for (const auto& [row, key] : newKeys)
    events_->keyIndex.insert(key, static_cast<int32_t>(begin) + row);
  if (!events_->lines.empty())
    events_->lines.extendWithoutLines(begin + parsed.rows);
  events_->rowCount = begin + parsed.rows;
  // Period columns are bound as codes the binder owns.
  for (size_t c = 0; c < plan_.columns.size(); ++c)
    if (ownedPeriods_[c] >= 0) {
      const Column& column = events_->columns[plan_.columns[c].field];
      std::vector<double>& codes = bound.ownedNumbers[static_cast<size_t>(ownedPeriods_[c])];
      for (size_t row = begin; row < events_->rowCount; ++row)
        codes.push_back(
            column.valid[row] ? periodCode(column.periodFirst[row], column.periodLast[row]) : 0.0);
    }
  // Row -> subject maps the binder owns (the reference column itself is the map otherwise).
  for (const uint32_t r : eventRowSubjects_) {
    if (ownedRowSubjects_[r] < 0)
      continue;
    const RowSubjectSpec& spec = plan_.rowSubjects[r];
    std::vector<int32_t>& map = bound.ownedRowSubjects[static_cast<size_t>(ownedRowSubjects_[r])];
    for (size_t row = begin; row < events_->rowCount; ++row) {
      int32_t subject = -1;
      if (spec.path == SubjectPath::Everything)
        subject = 0;
      else if (spec.path == SubjectPath::ReferenceToMember) {
        const Column& ref = events_->columns[spec.field];
        if (ref.valid[row])
          subject = bound.memberGroup[static_cast<size_t>(ref.rows[row])];
      }
      map.push_back(subject);
    }
  }
  return bound.strings.size() > poolBefore;
}

void AlertSession::pointAtColumns() {
  BoundData& bound = data_->bound;
  bound.tableRows[table_] = events_->rowCount;
  for (size_t c = 0; c < plan_.columns.size(); ++c) {
    const BoundColumnSpec& spec = plan_.columns[c];
    if (spec.slotInput || spec.table != table_)
      continue;
    Column& column = events_->columns[spec.field];
    const void* values = nullptr;
    switch (column.kind) {
    case ValueKind::Number:
      values = column.numberData();
      break;
    case ValueKind::Bool:
      values = column.bools.data();
      break;
    case ValueKind::Date:
      values = column.dayData();
      break;
    case ValueKind::Reference:
      values = column.rows.data();
      break;
    case ValueKind::Text:
      values = column.codes.data();
      break;
    case ValueKind::Period:
      values = bound.ownedNumbers[static_cast<size_t>(ownedPeriods_[c])].data();
      break;
    }
    bound.columnValues[c] = values;
    bound.columnValid[c] = column.valid.data();
    if (run_) {
      run_->columnValues[c] = values;
      run_->columnValid[c] = column.valid.data();
    }
  }
  for (const uint32_t r : eventRowSubjects_)
    bound.rowSubjects[r] =
        ownedRowSubjects_[r] >= 0
            ? bound.ownedRowSubjects[static_cast<size_t>(ownedRowSubjects_[r])].data()
            : events_->columns[plan_.rowSubjects[r].field].rows.data();
}

} // namespace fulcrum::runtime
