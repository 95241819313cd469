// Concatenating column pieces (re-coding text and pending reference keys into one dictionary),
// then the duplicate-key check, whose issues go where the sequential reader put them.
#include "runtime/data/RangeMerge.h"

#include "runtime/data/Cells.h"
#include "runtime/data/ShownText.h"
#include "support/Calendar.h"

#include <fmt/format.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

namespace fulcrum::runtime {
namespace {

template <typename T> void appendAll(std::vector<T>& into, std::vector<T>& piece) {
  into.insert(into.end(), piece.begin(), piece.end());
  std::vector<T>().swap(piece);
}

// Room for the texts of every piece of a column: the merged dictionary grows once, not once a
// range (each growth rehashed every text so far, 7% of a 5M-row deals load on 2 threads).
struct TextRoom {
  size_t texts = 0, bytes = 0;
};

// Codes into `pieceDictionary` become codes into `into`'s dictionary (-1 stays -1). The first
// piece's dictionary is taken as it is (its codes already are the merged ones), so a mostly
// distinct column, such as a text key, is interned once less.
void appendCodes(std::vector<int32_t>& into, Dictionary& dictionary, std::vector<int32_t>& piece,
                 Dictionary& pieceDictionary, TextRoom room) {
  if (dictionary.size() == 0) {
    dictionary = std::move(pieceDictionary);
    pieceDictionary = Dictionary();
    dictionary.reserve(room.texts, room.bytes);
    into.insert(into.end(), piece.begin(), piece.end());
    std::vector<int32_t>().swap(piece);
    return;
  }
  std::vector<int32_t> recode(pieceDictionary.size());
  // A few texts ahead, their slots are fetched (a key's table outgrows the caches).
  constexpr size_t kAhead = 8;
  for (size_t code = 0; code < recode.size(); ++code) {
    if (code + kAhead < recode.size())
      dictionary.prefetch(pieceDictionary.text(static_cast<int32_t>(code + kAhead)));
    recode[code] = dictionary.intern(pieceDictionary.text(static_cast<int32_t>(code)));
  }
  for (const int32_t code : piece)
    into.push_back(code < 0 ? code : recode[static_cast<size_t>(code)]);
  std::vector<int32_t>().swap(piece);
}

void appendColumn(Column& into, Column& piece, TextRoom room) {
  appendAll(into.valid, piece.valid);
  into.missing += piece.missing;
  switch (into.kind) {
  case ValueKind::Number:
    appendAll(into.numbers, piece.numbers);
    break;
  case ValueKind::Bool:
    appendAll(into.bools, piece.bools);
    break;
  case ValueKind::Text:
    appendCodes(into.codes, into.dictionary, piece.codes, piece.dictionary, room);
    break;
  case ValueKind::Date:
    appendAll(into.days, piece.days);
    break;
  case ValueKind::Period:
    appendAll(into.periodFirst, piece.periodFirst);
    appendAll(into.periodLast, piece.periodLast);
    break;
  case ValueKind::Reference:
    appendCodes(into.rows, into.dictionary, piece.rows, piece.dictionary, room);
    break;
  }
  piece = Column(into.kind);
}

// The period with these bounds (the unit is the one whose period containing `first` fits).
Period periodFromBounds(int32_t first, int32_t last) {
  for (const PeriodUnit unit : {PeriodUnit::Day, PeriodUnit::Week, PeriodUnit::Month,
                                PeriodUnit::Quarter, PeriodUnit::Year}) {
    const Period period = periodContaining(first, unit);
    if (period.start() == first && period.end() == last)
      return period;
  }
  return periodContaining(first, PeriodUnit::Day);
}

struct Duplicate {
  int32_t row;
  LoadIssue issue;
};

// The key index of a text key column whose texts are canonical: its dictionary (codes are in
// order of first row, as the index's would be; a copy that shares the column's strings and table
// until one of them changes) with each code's first row. `isDuplicate[row]`
// is set for every later row with a key already seen.
KeyIndex indexTextKeys(const Column& column, size_t rowCount, std::vector<uint8_t>& isDuplicate) {
  std::vector<int32_t> firstRows(column.dictionary.size(), -1);
  isDuplicate.assign(rowCount, 0);
  for (size_t row = 0; row < rowCount; ++row) {
    if (!column.valid[row])
      continue;
    int32_t& first = firstRows[static_cast<size_t>(column.codes[row])];
    if (first < 0)
      first = static_cast<int32_t>(row);
    else
      isDuplicate[row] = 1;
  }
  return KeyIndex(column.dictionary, std::move(firstRows));
}

std::vector<Duplicate> findDuplicates(ParsedTable& out) {
  std::vector<Duplicate> duplicates;
  const TableSchema& schema = *out.schema;
  if (schema.keyField < 0 || out.unusable)
    return duplicates;
  const auto keyField = static_cast<size_t>(schema.keyField);
  const FieldSchema& field = schema.fields[keyField];
  const Column& column = out.table.columns[keyField];
  const bool fromDictionary = field.kind == ValueKind::Text && textsAreCanonical(column);
  std::vector<uint8_t> isDuplicate;
  if (fromDictionary)
    out.firstSeen = indexTextKeys(column, out.rowsInFile, isDuplicate);
  std::string key;
  for (size_t row = 0; row < out.rowsInFile; ++row) {
    const auto at = static_cast<int32_t>(row);
    int32_t first = at;
    if (fromDictionary) {
      if (!isDuplicate[row])
        continue;
      first = out.firstSeen.find(column.dictionary.text(column.codes[row]));
    } else {
      if (!rowKey(column, field, row, key))
        continue;
      first = out.firstSeen.insert(key, at);
      if (first == at)
        continue;
    }
    const WrittenCell cell = out.cell(row, keyField);
    const uint32_t firstLine = out.table.lines[static_cast<size_t>(first)];
    duplicates.push_back(
        {at, LoadIssue{schema.path, cell.line, cell.column, schema.name, field.name, cell.text,
                       fmt::format("duplicate key `{}` in {}: the first {} row with it is at "
                                   "line {}",
                                   shown(trimSpaces(cell.text)), describeField(field), schema.name,
                                   firstLine),
                       false}});
  }
  return duplicates;
}

} // namespace

bool textsAreCanonical(const Column& column) {
  for (size_t code = 0; code < column.dictionary.size(); ++code) {
    const std::string_view text = column.dictionary.text(static_cast<int32_t>(code));
    if (trimSpaces(text).size() != text.size())
      return false;
  }
  return true;
}

// The canonical key of `row` (see canonicalKey), or false if the row has none to check: the
// sequential reader checks a key only once its cell converted.
bool rowKey(const Column& column, const FieldSchema& field, size_t row, std::string& key) {
  switch (field.kind) {
  case ValueKind::Text:
    if (!column.valid[row])
      return false;
    key = trimSpaces(column.dictionary.text(column.codes[row]));
    return true;
  case ValueKind::Reference:
    if (column.rows[row] < 0)
      return false;
    key = column.dictionary.text(column.rows[row]);
    return true;
  case ValueKind::Number:
    if (!column.valid[row])
      return false;
    key = fmt::format("{}", column.numberData()[row]);
    return true;
  case ValueKind::Bool:
    if (!column.valid[row])
      return false;
    key = column.bools[row] ? "true" : "false";
    return true;
  case ValueKind::Date:
    if (!column.valid[row])
      return false;
    key = formatDate(column.dayData()[row]);
    return true;
  case ValueKind::Period:
    if (!column.valid[row])
      return false;
    key = formatPeriod(periodFromBounds(column.periodFirst[row], column.periodLast[row]));
    return true;
  }
  return false;
}

namespace {

// Gives the pages of the pieces just freed back to the system. A range's arrays (a few MB each)
// come from malloc's heaps, several of them when ranges are parsed on several threads, and
// freeing them there keeps their pages: without this, a 50M-row table's pieces stayed resident
// under the merged columns (1.7 GB peak against 1.0 GB for 780 MB of columns, 2 threads).
void returnFreedPages() {
#ifdef __GLIBC__
  malloc_trim(0);
#endif
}

} // namespace

void mergeRanges(std::vector<ParsedRange>& ranges, const std::vector<uint32_t>& lineOffsets,
                 ParsedTable& out) {
  const TableSchema& schema = *out.schema;
  size_t total = 0;
  for (const ParsedRange& range : ranges)
    total += range.rows;
  out.rowsInFile = total;
  out.table.rowCount = total;
  out.table.columns.clear();
  for (size_t f = 0; f < schema.fields.size(); ++f) {
    const bool parsed = !ranges.empty() && ranges[0].columns.size() == schema.fields.size();
    if (parsed && ranges.size() == 1) { // nothing to join: keep the piece
      out.table.columns.push_back(std::move(ranges[0].columns[f]));
      continue;
    }
    Column& column = out.table.columns.emplace_back(schema.fields[f].kind);
    if (!parsed)
      continue;
    column.reserve(total); // one column at a time, freeing its pieces: little beyond the result
    TextRoom room;
    for (const ParsedRange& range : ranges) {
      room.texts += range.columns[f].dictionary.size();
      room.bytes += range.columns[f].dictionary.textBytes();
    }
    for (ParsedRange& range : ranges)
      appendColumn(column, range.columns[f], room);
    returnFreedPages();
  }
  out.rejected.reserve(total);
  std::vector<int32_t> issueFields;
  size_t rowOffset = 0;
  for (size_t k = 0; k < ranges.size(); ++k) {
    ParsedRange& range = ranges[k];
    appendAll(out.rejected, range.rejected);
    out.table.lines.append(range.lines, lineOffsets[k]);
    range.lines.release();
    for (size_t i = 0; i < range.issues.size(); ++i) {
      LoadIssue& issue = range.issues[i];
      if (issue.line != 0)
        issue.line += lineOffsets[k];
      out.issues.push_back(std::move(issue));
      out.issueRows.push_back(range.issueRows[i] + static_cast<int32_t>(rowOffset));
      issueFields.push_back(range.issueFields[i]);
    }
    rowOffset += range.rows;
  }
  std::vector<Duplicate> duplicates = findDuplicates(out);
  for (PendingReference& reference : out.references)
    reference.keys = std::move(out.table.columns[reference.field].dictionary);
  if (duplicates.empty())
    return;
  // A row's duplicate key goes after the issues of the fields before the key (fields convert in
  // order and the key is checked right after its own).
  std::vector<LoadIssue> issues;
  std::vector<int32_t> issueRows;
  const int32_t keyField = schema.keyField;
  size_t i = 0;
  for (Duplicate& duplicate : duplicates) {
    while (i < out.issues.size() &&
           (out.issueRows[i] < duplicate.row ||
            (out.issueRows[i] == duplicate.row && issueFields[i] < keyField))) {
      issues.push_back(std::move(out.issues[i]));
      issueRows.push_back(out.issueRows[i++]);
    }
    out.rejected[static_cast<size_t>(duplicate.row)] = 1;
    issues.push_back(std::move(duplicate.issue));
    issueRows.push_back(duplicate.row);
  }
  for (; i < out.issues.size(); ++i) {
    issues.push_back(std::move(out.issues[i]));
    issueRows.push_back(out.issueRows[i]);
  }
  out.issues = std::move(issues);
  out.issueRows = std::move(issueRows);
}

} // namespace fulcrum::runtime
