// First pass of loading: read a file, map its header, and convert every cell to its column.
#include "runtime/data/TableParser.h"

#include "runtime/data/Cells.h"
#include "runtime/data/CsvReader.h"
#include "support/Calendar.h"
#include "support/Text.h"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fmt/format.h>

namespace fulcrum::runtime {
namespace {

bool readFile(const std::string& path, std::string& out, std::string& error) {
  std::FILE* file = std::fopen(path.c_str(), "rb");
  if (!file) {
    error = std::strerror(errno);
    return false;
  }
  char chunk[1 << 16];
  size_t got = 0;
  while ((got = std::fread(chunk, 1, sizeof chunk, file)) > 0)
    out.append(chunk, got);
  const bool failed = std::ferror(file) != 0;
  const int savedErrno = errno;
  std::fclose(file);
  if (failed) {
    error = std::strerror(savedErrno);
    return false;
  }
  return true;
}

std::string joinColumns(const std::vector<std::string>& header) {
  std::string out;
  for (const std::string& name : header) {
    if (!out.empty())
      out += ", ";
    out += name;
  }
  return out;
}

// Converts cells of one file into its columns.
class Converter {
public:
  explicit Converter(ParsedTable& out) : out_(out), schema_(*out.schema) {}

  bool mapHeader(const CsvRecord& header);
  void addRow(const CsvRecord& record);

private:
  LoadIssue issue(uint32_t line, uint32_t column, const FieldSchema* field, std::string_view value,
                  std::string message) const {
    return LoadIssue{schema_.path,
                     line,
                     column,
                     schema_.name,
                     field ? field->name : "",
                     std::string(value),
                     std::move(message),
                     false};
  }
  void addPlaceholders();
  void convert(int32_t row, size_t index, const CsvField& cell);
  void checkKey(int32_t row, const FieldSchema& field, const CsvField& cell);

  ParsedTable& out_;
  const TableSchema& schema_;
  std::vector<size_t> fieldColumn_; // per field: its index in the file's columns
};

bool Converter::mapHeader(const CsvRecord& header) {
  for (const CsvError& error : header.errors)
    out_.addFatal(issue(error.line, error.column, nullptr, header.raw,
                        fmt::format("in the header: {}", error.message)));
  std::vector<std::string> names;
  for (const CsvField& cell : header.fields)
    names.emplace_back(trimSpaces(cell.text));
  for (const FieldSchema& field : schema_.fields) {
    size_t found = names.size();
    for (size_t i = 0; i < names.size(); ++i) {
      if (names[i] != field.column)
        continue;
      if (found == names.size()) {
        found = i;
        continue;
      }
      out_.addFatal(issue(header.fields[i].line, header.fields[i].column, &field, field.column,
                          fmt::format("column `{}` (for `{}`) appears twice in the header, as "
                                      "column {} and column {}",
                                      field.column, field.name, found + 1, i + 1)));
    }
    if (found == names.size()) {
      std::string message = fmt::format("no column `{}` for `{}` of {}; the file has columns: {}",
                                        field.column, field.name, schema_.name, joinColumns(names));
      const std::string suggestion = closestMatch(field.column, names);
      if (!suggestion.empty())
        message += fmt::format(" (did you mean `{}`?)", suggestion);
      out_.addFatal(issue(header.line, 0, &field, field.column, std::move(message)));
    }
    fieldColumn_.push_back(found);
  }
  return !out_.unusable;
}

void Converter::addPlaceholders() {
  for (Column& column : out_.table.columns)
    column.appendMissing();
  for (PendingReference& reference : out_.references) {
    reference.codes.push_back(-1);
    reference.lines.push_back(0);
    reference.columns.push_back(0);
  }
}

void Converter::addRow(const CsvRecord& record) {
  const auto row = static_cast<int32_t>(out_.rowsInFile++);
  out_.rejected.push_back(0);
  out_.rawStart.push_back(static_cast<size_t>(record.raw.data() - out_.content.data()));
  out_.rawLength.push_back(record.raw.size());
  out_.table.lines.push_back(record.line);
  if (out_.unusable)
    return;
  addPlaceholders(); // every cell starts missing; convert() fills in the values
  if (!record.ok()) {
    for (const CsvError& error : record.errors)
      out_.addRowIssue(row, issue(error.line, error.column, nullptr, record.raw, error.message));
    return;
  }
  for (size_t i = 0; i < schema_.fields.size(); ++i)
    convert(row, i, record.fields[fieldColumn_[i]]);
}

void Converter::convert(int32_t row, size_t index, const CsvField& cell) {
  const FieldSchema& field = schema_.fields[index];
  Column& column = out_.table.columns[index];
  const bool isKey = static_cast<int>(index) == schema_.keyField;
  const std::string_view text = field.kind == ValueKind::Text ? cell.text : trimSpaces(cell.text);
  auto reject = [&](std::string message) {
    out_.addRowIssue(row, issue(cell.line, cell.column, &field, cell.text, std::move(message)));
  };
  if (text.empty()) {
    if (isKey)
      reject(
          fmt::format("empty key {}: every {} row needs one", describeField(field), schema_.name));
    else if (!field.optional)
      reject(fmt::format("empty {}: expected {} (declare it `{}?` if it may be missing)",
                         describeField(field), expectedForm(field), typeLabel(field)));
    return; // stays missing
  }
  auto malformed = [&] {
    reject(fmt::format("{}: expected {}, found `{}`", describeField(field), expectedForm(field),
                       text));
  };
  const auto at = static_cast<size_t>(row);
  switch (field.kind) {
  case ValueKind::Number:
    if (auto value = parseNumberCell(text, field.typeName)) {
      column.valid[at] = 1;
      column.numbers[at] = *value;
    } else {
      return malformed();
    }
    break;
  case ValueKind::Bool:
    if (auto value = parseBoolCell(text)) {
      column.valid[at] = 1;
      column.bools[at] = *value ? 1 : 0;
    } else {
      return malformed();
    }
    break;
  case ValueKind::Text:
    column.valid[at] = 1;
    column.codes[at] = column.dictionary.intern(text);
    break;
  case ValueKind::Date:
    if (auto day = parseDate(text)) {
      column.valid[at] = 1;
      column.days[at] = *day;
    } else {
      return malformed();
    }
    break;
  case ValueKind::Period:
    if (auto period = parsePeriod(text)) {
      column.valid[at] = 1;
      column.periodFirst[at] = period->start();
      column.periodLast[at] = period->end();
    } else {
      return malformed();
    }
    break;
  case ValueKind::Reference:
    for (PendingReference& reference : out_.references) {
      if (reference.field != index)
        continue;
      reference.codes[at] = reference.keys.intern(text);
      reference.lines[at] = cell.line;
      reference.columns[at] = cell.column;
    }
    break; // stays missing until the reference is resolved
  }
  if (column.valid[at])
    --column.missing;
  if (isKey)
    checkKey(row, field, cell);
}

void Converter::checkKey(int32_t row, const FieldSchema& field, const CsvField& cell) {
  auto key = canonicalKey(field.kind, field.typeName, cell.text);
  if (!key)
    return;
  const int32_t first = out_.firstSeen.insert(*key, row);
  if (first == row)
    return;
  const uint32_t firstLine = out_.table.lines[static_cast<size_t>(first)];
  out_.addRowIssue(row, issue(cell.line, cell.column, &field, cell.text,
                              fmt::format("duplicate key `{}` in {}: the first {} row with it is "
                                          "at line {}",
                                          trimSpaces(cell.text), describeField(field), schema_.name,
                                          firstLine)));
}

} // namespace

void ParsedTable::addRowIssue(int32_t row, LoadIssue issue) {
  rejected[static_cast<size_t>(row)] = 1;
  issues.push_back(std::move(issue));
  issueRows.push_back(row);
}

void ParsedTable::addFatal(LoadIssue issue) {
  issue.fatal = true;
  unusable = true;
  issues.push_back(std::move(issue));
  issueRows.push_back(-1);
}

std::string typeLabel(const FieldSchema& field) {
  if (!field.typeName.empty())
    return field.typeName;
  return field.kind == ValueKind::Reference ? field.referencedTable : valueKindName(field.kind);
}

std::string describeField(const FieldSchema& field) {
  if (field.name == field.column)
    return fmt::format("`{}`", field.name);
  return fmt::format("`{}` (column `{}`)", field.name, field.column);
}

void parseTable(const TableSchema& schema, ParsedTable& out) {
  out.schema = &schema;
  out.table.schema = schema;
  for (size_t i = 0; i < schema.fields.size(); ++i) {
    out.table.columns.emplace_back(schema.fields[i].kind);
    if (schema.fields[i].kind == ValueKind::Reference)
      out.references.push_back(PendingReference{i, {}, {}, {}, {}});
  }
  auto fatal = [&](std::string message) {
    out.addFatal(LoadIssue{schema.path, 0, 0, schema.name, "", "", std::move(message), true});
  };
  if (schema.keyField >= static_cast<int>(schema.fields.size()))
    return fatal(fmt::format("the key of {} is field {}, but it has {} fields", schema.name,
                             schema.keyField, schema.fields.size()));
  std::string error;
  if (!readFile(schema.path, out.content, error))
    return fatal(fmt::format("cannot read the file of {}: {}", schema.name, error));

  CsvReader reader(out.content);
  CsvRecord record;
  if (!reader.next(record)) {
    std::vector<std::string> columns;
    for (const FieldSchema& field : schema.fields)
      columns.push_back(field.column);
    return fatal(fmt::format("the file of {} is empty: expected a header line with the columns {}",
                             schema.name, joinColumns(columns)));
  }
  Converter converter(out);
  converter.mapHeader(record);
  // Records cannot outnumber lines: reserve that once rather than regrow every column.
  const auto lines = static_cast<size_t>(std::count(out.content.begin(), out.content.end(), '\n'));
  const size_t estimate = lines + 1;
  for (Column& column : out.table.columns)
    column.reserve(estimate);
  while (reader.next(record))
    converter.addRow(record);
  out.table.rowCount = out.rowsInFile;
}

} // namespace fulcrum::runtime
