// Arrow columns -> the loader's ParsedTable, cell by cell with the CSV loader's rules and
// messages (a row number where a file has a line), float64 and date32 columns borrowed.
#include "runtime/arrow/ArrowImport.h"

#include "runtime/data/Cells.h"
#include "runtime/data/HostRows.h"
#include "runtime/data/RangeMerge.h"
#include "runtime/data/ShownText.h"
#include "runtime/data/TableParser.h"
#include "support/Calendar.h"
#include "support/Money.h"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>

namespace fulcrum::runtime::arrow {
namespace {

const DayNumber kFirstDay = dayFromCivil(0, 1, 1);
const DayNumber kLastDay = dayFromCivil(9999, 12, 31);
constexpr int64_t kMaxExactInteger = 9007199254740991; // 2^53 - 1: a double holds it exactly

bool isInteger(ArrowType type) {
  return type == ArrowType::Int8 || type == ArrowType::Int16 || type == ArrowType::Int32 ||
         type == ArrowType::Int64;
}

// The formats a field takes, for messages; empty `accepted` when `type` fits.
bool fits(const FieldSchema& field, ArrowType type, std::string& accepted) {
  switch (field.kind) {
  case ValueKind::Number:
    if (field.typeName == "money") {
      accepted = "decimal128(18,4) `d:18,4` or int64 units of 1/10,000 `l`";
      return type == ArrowType::Decimal128 || type == ArrowType::Int64;
    }
    if (field.typeName == "count") {
      accepted = "int64 `l` or int32 `i`";
      return isInteger(type);
    }
    accepted = "float64 `g`";
    return type == ArrowType::Float64 || isInteger(type);
  case ValueKind::Bool:
    accepted = "bool `b`";
    return type == ArrowType::Bool;
  case ValueKind::Date:
    accepted = "date32 `tdD`";
    return type == ArrowType::Date32;
  case ValueKind::Text:
  case ValueKind::Period:
  case ValueKind::Reference:
    accepted = "utf8 `u`, large utf8 `U` or a dictionary of utf8";
    return type == ArrowType::Utf8 || type == ArrowType::LargeUtf8 || type == ArrowType::Dictionary;
  }
  return false;
}

// Per field: its child in the struct, or -1.
std::vector<int> childIndexes(const TableSchema& schema, const ArrowStruct& columns) {
  std::vector<int> index(schema.fields.size(), -1);
  for (size_t f = 0; f < schema.fields.size(); ++f)
    for (size_t c = 0; c < columns.columns.size(); ++c)
      if (columns.columns[c].name == schema.fields[f].name)
        index[f] = static_cast<int>(c);
  return index;
}

// Converts one child into the column of one field.
class FieldReader {
public:
  FieldReader(const TableSchema& schema, size_t field, const ArrowColumn* source,
              std::shared_ptr<const void> keepAlive, std::vector<HostRowIssue>& problems)
      : schema_(schema), field_(schema.fields[field]), index_(field), source_(source),
        keepAlive_(std::move(keepAlive)), problems_(problems),
        isKey_(static_cast<int>(field) == schema.keyField) {}

  void read(Column& column, int64_t rows);

private:
  void reject(int64_t row, std::string message) {
    problems_.push_back(HostRowIssue{
        row, index_, rowIssue(schema_, 0, 0, &field_, source_->shown(row), std::move(message))});
  }
  // A null (or empty text) cell: missing if the field may be; else the row is rejected.
  void absent(int64_t row) {
    if (isKey_)
      reject(row, fmt::format("empty key {}: every {} row needs one", describeField(field_),
                              schema_.name));
    else if (!field_.optional)
      reject(row, fmt::format("empty {}: expected {} (declare it `{}?` if it may be missing)",
                              describeField(field_), expectedForm(field_), typeLabel(field_)));
  }
  bool inRange(int64_t row, double value) {
    if ((field_.minimum && value < *field_.minimum) ||
        (field_.maximum && value > *field_.maximum)) {
      reject(row, fmt::format("{}: expected {} in {}, found `{}`", describeField(field_),
                              typeLabel(field_), rangeText(field_), source_->shown(row)));
      return false;
    }
    return true;
  }
  std::optional<double> number(int64_t row);
  // The text of a text cell, checked as the CSV loader checks it; nullopt when rejected or
  // absent (reported).
  std::optional<std::string_view> text(int64_t row);
  bool borrowable() const {
    return !source_->validity &&
           (source_->type == ArrowType::Float64 || source_->type == ArrowType::Date32);
  }

  const TableSchema& schema_;
  const FieldSchema& field_;
  size_t index_;
  const ArrowColumn* source_;
  std::shared_ptr<const void> keepAlive_;
  std::vector<HostRowIssue>& problems_;
  bool isKey_;
};

std::optional<double> FieldReader::number(int64_t row) {
  const ArrowType type = source_->type;
  if (field_.typeName == "money") {
    int64_t units = 0;
    bool fitsRange = true;
    if (type == ArrowType::Decimal128) {
      int64_t unscaled = 0;
      int64_t scale = 1;
      for (int i = source_->decimalScale; i < kMoneyDecimals; ++i)
        scale *= 10;
      fitsRange = source_->decimal(row, unscaled) && unscaled <= kMaxExactInteger / scale &&
                  unscaled >= -kMaxExactInteger / scale;
      units = fitsRange ? unscaled * scale : 0;
    } else {
      units = source_->integer(row);
      fitsRange = units <= kMaxExactInteger && units >= -kMaxExactInteger;
    }
    if (!fitsRange) {
      reject(row, fmt::format("{}: `{}` is beyond the range of money, {}900,719,925,474.0991 "
                              "either side of zero",
                              describeField(field_), source_->shown(row), field_.currencySign));
      return std::nullopt;
    }
    return static_cast<double>(units);
  }
  if (isInteger(type)) {
    const int64_t value = source_->integer(row);
    if (value > kMaxExactInteger || value < -kMaxExactInteger) {
      reject(row, fmt::format("{}: `{}` is beyond the whole numbers a number holds exactly "
                              "(2^53 either side of zero)",
                              describeField(field_), value));
      return std::nullopt;
    }
    return static_cast<double>(value);
  }
  const double value = source_->float64(row);
  if (!std::isfinite(value)) {
    reject(row, fmt::format("{}: expected {}, found `{}`", describeField(field_),
                            expectedForm(field_), source_->shown(row)));
    return std::nullopt;
  }
  return value;
}

std::optional<std::string_view> FieldReader::text(int64_t row) {
  const std::string_view written = source_->text(row);
  // As in a file: text is kept as written, other kinds trimmed; an empty cell is a missing one.
  const std::string_view value = field_.kind == ValueKind::Text ? written : trimSpaces(written);
  if (value.empty()) {
    absent(row);
    return std::nullopt;
  }
  if (written.size() > kMaxCellBytes) {
    reject(row, fmt::format("{}: a cell of {} bytes, more than a cell may hold ({} bytes, 1 MiB)",
                            describeField(field_), written.size(), kMaxCellBytes));
    return std::nullopt;
  }
  if (const size_t bad = badTextByte(value); bad != std::string_view::npos) {
    const auto byte = static_cast<unsigned char>(value[bad]);
    reject(row, byte == 0 ? fmt::format("{}: expected text, found a NUL byte (byte {} of the "
                                        "cell): `{}`",
                                        describeField(field_), bad + 1, shown(value))
                          : fmt::format("{}: expected UTF-8 text, found byte 0x{:02X} (byte {} "
                                        "of the cell), which is not UTF-8: `{}`",
                                        describeField(field_), byte, bad + 1, shown(value)));
    return std::nullopt;
  }
  return value;
}

void FieldReader::read(Column& column, int64_t rows) {
  const auto n = static_cast<size_t>(rows);
  if (!source_) { // an optional field the host left out: every cell missing
    column.resizeMissing(n);
    return;
  }
  if (borrowable()) {
    // Zero copy: the column reads the host's buffer (offset applied); the validity is bytes.
    column.valid.assign(n, 1);
    column.missing = 0;
    if (source_->type == ArrowType::Float64) {
      column.borrowedNumbers = static_cast<const double*>(source_->values) + source_->start;
      for (int64_t row = 0; row < rows; ++row) {
        const double value = column.borrowedNumbers[row];
        if (!std::isfinite(value))
          reject(row, fmt::format("{}: expected {}, found `{}`", describeField(field_),
                                  expectedForm(field_), source_->shown(row)));
        else
          inRange(row, value);
      }
    } else {
      column.borrowedDays = static_cast<const int32_t*>(source_->values) + source_->start;
      for (int64_t row = 0; row < rows; ++row)
        if (column.borrowedDays[row] < kFirstDay || column.borrowedDays[row] > kLastDay)
          reject(row, fmt::format("{}: expected a date in the years 0000 to 9999, found day {}",
                                  describeField(field_), column.borrowedDays[row]));
    }
    column.borrowed = keepAlive_;
    return;
  }
  column.resizeMissing(n);
  // A dictionary's entries are converted once each: their codes, by index.
  std::vector<int32_t> codeOfEntry;
  if (source_->type == ArrowType::Dictionary)
    codeOfEntry.assign(static_cast<size_t>(source_->dictionary[0].rows), -2);
  for (int64_t row = 0; row < rows; ++row) {
    const auto at = static_cast<size_t>(row);
    if (!source_->valid(row)) {
      absent(row);
      continue;
    }
    switch (field_.kind) {
    case ValueKind::Number: {
      const std::optional<double> value = number(row);
      if (!value || !inRange(row, *value))
        continue;
      column.numbers[at] = *value;
      break;
    }
    case ValueKind::Bool:
      column.bools[at] = source_->boolean(row) ? 1 : 0;
      break;
    case ValueKind::Date: {
      const auto day = static_cast<int32_t>(source_->integer(row));
      if (day < kFirstDay || day > kLastDay) {
        reject(row, fmt::format("{}: expected a date in the years 0000 to 9999, found day {}",
                                describeField(field_), day));
        continue;
      }
      column.days[at] = day;
      break;
    }
    case ValueKind::Period: {
      const std::optional<std::string_view> value = text(row);
      if (!value)
        continue;
      const std::optional<Period> period = parsePeriod(*value);
      if (!period) {
        reject(row, fmt::format("{}: expected {}, found `{}`", describeField(field_),
                                expectedForm(field_), shown(*value)));
        continue;
      }
      column.periodFirst[at] = period->start();
      column.periodLast[at] = period->end();
      break;
    }
    case ValueKind::Text:
    case ValueKind::Reference: {
      // -2: not converted yet (an entry that is rejected stays so, and each of its rows gets
      // the message).
      int32_t* cached =
          codeOfEntry.empty() ? nullptr : &codeOfEntry[static_cast<size_t>(source_->integer(row))];
      int32_t code = cached ? *cached : -2;
      if (code == -2) {
        const std::optional<std::string_view> value = text(row);
        if (!value)
          continue;
        code = column.dictionary.intern(*value);
        if (cached)
          *cached = code;
      }
      if (field_.kind == ValueKind::Reference) {
        column.rows[at] = code; // the key's code until references are resolved (still missing)
        continue;
      }
      column.codes[at] = code;
      break;
    }
    }
    column.valid[at] = 1;
    --column.missing;
  }
}

} // namespace

ArrowOwned::~ArrowOwned() {
  if (array.release)
    array.release(&array);
  if (schema.release)
    schema.release(&schema);
}

std::shared_ptr<const ArrowHostTable> ArrowHostTable::take(const std::string& table,
                                                           ArrowSchema* schema, ArrowArray* array,
                                                           std::string& error) {
  auto owned = std::make_shared<ArrowOwned>();
  // The specification's move: copy the struct, mark the source released.
  if (schema) {
    owned->schema = *schema;
    schema->release = nullptr;
  }
  if (array) {
    owned->array = *array;
    array->release = nullptr;
  }
  if (!schema || !array) {
    error =
        fmt::format("the Arrow columns of {}: the {} is null", table, !schema ? "schema" : "array");
    return nullptr;
  }
  auto host = std::shared_ptr<ArrowHostTable>(new ArrowHostTable());
  if (!readArrowStruct(owned->schema, owned->array, host->struct_, error)) {
    error = fmt::format("the Arrow columns of {}: {}", table, error);
    return nullptr; // `owned` goes, and releases both structs
  }
  host->owned_ = std::move(owned);
  return host;
}

std::string ArrowHostTable::mismatch(const TableSchema& schema) const {
  std::vector<std::string> extra, problems;
  for (const ArrowColumn& column : struct_.columns)
    if (std::none_of(schema.fields.begin(), schema.fields.end(),
                     [&](const FieldSchema& f) { return f.name == column.name; }))
      extra.push_back(fmt::format("`{}`", shown(column.name)));
  if (!extra.empty()) {
    std::vector<std::string> names;
    for (const FieldSchema& field : schema.fields)
      names.push_back(field.name);
    problems.push_back(fmt::format("{} {} no field of {} (its fields are {})",
                                   fmt::join(extra, ", "), extra.size() == 1 ? "is" : "are",
                                   schema.name, fmt::join(names, ", ")));
  }
  const std::vector<int> child = childIndexes(schema, struct_);
  for (size_t f = 0; f < schema.fields.size(); ++f) {
    const FieldSchema& field = schema.fields[f];
    if (child[f] < 0) {
      if (!field.optional || static_cast<int>(f) == schema.keyField)
        problems.push_back(fmt::format("no column for the field `{}` ({}), which every row needs",
                                       field.name, typeLabel(field)));
      continue;
    }
    const ArrowColumn& column = struct_.columns[static_cast<size_t>(child[f])];
    std::string accepted;
    if (!fits(field, column.type, accepted))
      problems.push_back(fmt::format("column `{}` has format `{}`, but `{}` is {}: expected {}",
                                     field.name, describeFormat(*owned_->schema.children[child[f]]),
                                     field.name, typeLabel(field), accepted));
  }
  if (problems.empty())
    return {};
  return fmt::format("the Arrow columns of {}: {}", schema.name, fmt::join(problems, "; "));
}

void ArrowHostTable::parse(const TableSchema& schema, ParsedTable& out) const {
  out.schema = &schema;
  out.table.schema = schema;
  const auto rows = static_cast<size_t>(struct_.rows);
  for (size_t f = 0; f < schema.fields.size(); ++f) {
    out.table.columns.emplace_back(schema.fields[f].kind);
    if (schema.fields[f].kind == ValueKind::Reference)
      out.references.push_back(PendingReference{f, {}});
  }
  const std::vector<int> child = childIndexes(schema, struct_);
  out.hostCell = [owned = owned_, columns = struct_.columns, child](size_t row, size_t field) {
    return child[field] < 0
               ? std::string()
               : columns[static_cast<size_t>(child[field])].shown(static_cast<int64_t>(row));
  };
  out.rowsInFile = rows;
  out.table.rowCount = rows;
  out.rejected.assign(rows, 0);
  out.table.lines = RowLines::numbered(rows); // rows stand for lines
  if (const std::string problem = mismatch(schema); !problem.empty()) {
    for (Column& column : out.table.columns)
      column.resizeMissing(rows);
    return out.addFatal(LoadIssue{schema.path, 0, 0, schema.name, "", "", problem, true});
  }
  std::vector<HostRowIssue> problems;
  for (size_t f = 0; f < schema.fields.size(); ++f) {
    const ArrowColumn* source =
        child[f] < 0 ? nullptr : &struct_.columns[static_cast<size_t>(child[f])];
    FieldReader(schema, f, source, owned_, problems).read(out.table.columns[f], struct_.rows);
  }
  indexHostKeys(schema, out, problems);
  for (PendingReference& reference : out.references)
    reference.keys = std::move(out.table.columns[reference.field].dictionary);
  addHostRowIssues(out, problems);
}

} // namespace fulcrum::runtime::arrow
