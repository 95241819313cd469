// Host table rows: keys, row issues in order, and rows given as cell texts.
#include "runtime/data/HostRows.h"

#include "runtime/data/Cells.h"
#include "runtime/data/RangeMerge.h"
#include "runtime/data/RangeParser.h"
#include "runtime/data/ShownText.h"

#include <algorithm>
#include <fmt/format.h>

namespace fulcrum::runtime {

void indexHostKeys(const TableSchema& schema, ParsedTable& out,
                   std::vector<HostRowIssue>& problems) {
  if (schema.keyField < 0)
    return;
  const auto keyField = static_cast<size_t>(schema.keyField);
  const FieldSchema& field = schema.fields[keyField];
  const Column& column = out.table.columns[keyField];
  std::string key;
  for (size_t row = 0; row < out.rowsInFile; ++row) {
    if (!rowKey(column, field, row, key))
      continue;
    const auto at = static_cast<int32_t>(row);
    const int32_t first = out.firstSeen.insert(key, at);
    if (first == at)
      continue;
    const std::string written = out.hostCell(row, keyField);
    problems.push_back(HostRowIssue{
        static_cast<int64_t>(row), keyField,
        rowIssue(schema, 0, 0, &field, written,
                 fmt::format("duplicate key `{}` in {}: the first {} row with it is row {}",
                             shown(trimSpaces(written)), describeField(field), schema.name,
                             first + 1))});
  }
}

void addHostRowIssues(ParsedTable& out, std::vector<HostRowIssue>& problems) {
  std::stable_sort(problems.begin(), problems.end(),
                   [](const HostRowIssue& a, const HostRowIssue& b) {
                     return a.row != b.row ? a.row < b.row : a.field < b.field;
                   });
  for (HostRowIssue& problem : problems)
    out.addRowIssue(static_cast<int32_t>(problem.row), std::move(problem.issue));
}

void parseHostCells(const TableSchema& schema, const std::vector<std::string_view>& cells,
                    ParsedTable& out) {
  ParsedRange range;
  parseCells(schema, cells, range);
  const size_t rows = schema.fields.empty() ? 0 : cells.size() / schema.fields.size();
  out.schema = &schema;
  out.table.schema = schema;
  out.table.columns = std::move(range.columns);
  out.rowsInFile = rows;
  out.table.rowCount = rows;
  out.rejected = std::move(range.rejected);
  out.rejected.resize(rows, 0);
  out.table.lines = RowLines::numbered(rows); // rows stand for lines
  std::vector<HostRowIssue> problems;
  for (size_t i = 0; i < range.issues.size(); ++i) {
    LoadIssue issue = std::move(range.issues[i]);
    issue.line = issue.column = 0; // the row and the field name it
    problems.push_back(HostRowIssue{range.issueRows[i],
                                    static_cast<size_t>(std::max(range.issueFields[i], 0)),
                                    std::move(issue)});
  }
  indexHostKeys(schema, out, problems);
  for (size_t f = 0; f < schema.fields.size(); ++f)
    if (schema.fields[f].kind == ValueKind::Reference)
      out.references.push_back(PendingReference{f, std::move(out.table.columns[f].dictionary)});
  addHostRowIssues(out, problems);
}

} // namespace fulcrum::runtime
