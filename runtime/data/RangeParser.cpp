// One range of a file: a fast path for plain lines (no quote, the header's field count) and the
// careful RFC 4180 reader for everything else; cells convert by type, with a fast path for
// plain numbers, and every message is the one the careful path gives.
#include "runtime/data/RangeParser.h"

#include "runtime/data/ByteScan.h"
#include "runtime/data/Cells.h"
#include "runtime/data/CsvReader.h"
#include "runtime/data/LineBreaks.h"
#include "runtime/data/ShownText.h"
#include "runtime/data/TableParser.h"
#include "support/Calendar.h"
#include "support/CellFormat.h"
#include "support/Money.h"

#include <algorithm>
#include <array>
#include <fmt/format.h>
#include <utility>

namespace fulcrum::runtime {
namespace {

// Bytes parsed between page releases: a huge page, the unit FileText keeps for reuse.
constexpr size_t kReleaseEvery = size_t{2} << 20;

// An upper bound on the records starting in [start, end): its lines that are not blank + 1, so
// blank lines and line breaks inside a quoted cell reserve no rows. The pages stay: the range is
// parsed next, and a released page of the file's copy would read as zeros.
size_t countRecords(const FileText& file, size_t start, size_t end) {
  return countTextLineStarts(file.text(), start, end) + 1;
}

// What one row costs the memory budget: its columns' bytes (validity, value, rejected mark;
// 16 more a text or reference field for a dictionary entry), charged before the row is added, and
// the bytes of each text its cells add to a dictionary, charged after. Both twice: the range's
// piece and the merged table coexist while they are concatenated. Repeated texts and the cells of
// rejected rows cost nothing past the fixed part.
struct RowCost {
  size_t fixed = 0; // per row, whatever its text

  explicit RowCost(const TableSchema& schema) {
    size_t bytes = 1; // its rejected mark (its line is in a run: RowLines.h)
    for (const FieldSchema& field : schema.fields) {
      bytes += 1; // valid
      switch (field.kind) {
      case ValueKind::Number:
        bytes += sizeof(double);
        break;
      case ValueKind::Bool:
        bytes += 1;
        break;
      case ValueKind::Period:
        bytes += 2 * sizeof(int32_t);
        break;
      case ValueKind::Text:
      case ValueKind::Reference:
        bytes += sizeof(int32_t) + 16;
        break;
      case ValueKind::Date:
        bytes += sizeof(int32_t);
        break;
      }
    }
    fixed = 2 * bytes;
  }
  static size_t ofNewText(size_t bytes) { return 2 * bytes; }
};

// Where the line break at `pos` (LF, CRLF or a lone CR) ends.
size_t afterLineBreak(std::string_view text, size_t pos) {
  return pos + (text[pos] == '\r' && pos + 1 < text.size() && text[pos + 1] == '\n' ? 2 : 1);
}

bool isContinuationByte(char c) {
  return (static_cast<unsigned char>(c) & 0xC0) == 0x80;
}

// A cell to convert. `column` is 0 until a message needs it; it is then counted in characters
// from `lineStart` (fast-path cells are unquoted and on one line).
struct Cell {
  std::string_view text;
  uint32_t line = 0;
  uint32_t column = 0;
  const char* lineStart = nullptr;

  uint32_t columnNumber() {
    if (column == 0) {
      column = 1;
      for (const char* p = lineStart; p < text.data(); ++p)
        column += isContinuationByte(*p) ? 0 : 1;
    }
    return column;
  }
};

// `[-]digits[.digits]` with at most 15 digits: the quotient of two exactly held doubles, which
// is the correctly rounded value from_chars gives. False for anything else (and for a count
// with a fraction part), which the careful parser then handles.
bool parsePlainNumber(std::string_view text, std::string_view typeName, double& value) {
  static constexpr std::array<double, 16> kPowers = {1e0, 1e1, 1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                                     1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};
  size_t i = 0;
  const bool negative = !text.empty() && text[0] == '-';
  i += negative ? 1 : 0;
  uint64_t mantissa = 0;
  size_t digits = 0, fraction = 0;
  bool dot = false;
  for (; i < text.size(); ++i) {
    const char c = text[i];
    if (c >= '0' && c <= '9') {
      mantissa = mantissa * 10 + static_cast<uint64_t>(c - '0');
      ++digits;
      fraction += dot ? 1 : 0;
    } else if (c == '.' && !dot && digits > 0) {
      dot = true;
    } else {
      return false;
    }
  }
  if (digits == 0 || digits > 15 || (dot && fraction == 0) || (dot && typeName == "count"))
    return false;
  value = static_cast<double>(mantissa) / kPowers[fraction];
  if (negative)
    value = -value;
  return true;
}

// `YYYY-MM-DD` with a day up to 28 (valid in every month); anything else goes to parseDate.
bool parsePlainDate(std::string_view text, int32_t& day) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-')
    return false;
  int digits[8];
  static constexpr int kAt[8] = {0, 1, 2, 3, 5, 6, 8, 9};
  for (int i = 0; i < 8; ++i) {
    digits[i] = text[static_cast<size_t>(kAt[i])] - '0';
    if (digits[i] < 0 || digits[i] > 9)
      return false;
  }
  const int year = digits[0] * 1000 + digits[1] * 100 + digits[2] * 10 + digits[3];
  const int month = digits[4] * 10 + digits[5];
  const int dayOfMonth = digits[6] * 10 + digits[7];
  if (month < 1 || month > 12 || dayOfMonth < 1 || dayOfMonth > 28)
    return false;
  day = dayFromCivil(year, month, dayOfMonth);
  return true;
}

class RangeConverter {
public:
  RangeConverter(const RangeContext& context, ParsedRange& out)
      : context_(context), schema_(*context.schema), out_(out) {}

  void addRecord(const CsvRecord& record);
  // A plain line: `starts[i]` is where file column i starts; the line ends at `lineEnd`.
  void addPlainLine(uint32_t line, const char* lineStart, const std::vector<const char*>& starts,
                    const char* lineEnd);
  // A row given as its cells' texts, one per schema field in order (an embedder's row).
  void addCells(const std::string_view* cells, uint32_t line) {
    const int32_t row = startRow(line);
    for (size_t i = 0; i < schema_.fields.size(); ++i) {
      Cell cell{cells[i], line, static_cast<uint32_t>(i + 1), nullptr};
      convert(row, i, cell);
    }
  }
  // Bytes of the texts added to dictionaries since the last call.
  size_t takeNewText() { return std::exchange(newText_, 0); }

private:
  int32_t startRow(uint32_t line);
  // `cell` by reference: a copy of it by value was stored as words and reloaded as a vector,
  // which stalls store-to-load forwarding once a cell (the largest single cost of the line loop
  // in a `perf` profile of the deals load).
  void convert(int32_t row, size_t index, Cell& cell);
  void addIssue(int32_t row, int32_t field, LoadIssue issue) {
    out_.rejected[static_cast<size_t>(row)] = 1;
    out_.issues.push_back(std::move(issue));
    out_.issueRows.push_back(row);
    out_.issueFields.push_back(field);
  }
  LoadIssue issue(uint32_t line, uint32_t column, const FieldSchema* field, std::string_view value,
                  std::string message) const {
    return rowIssue(schema_, line, column, field, value, std::move(message));
  }

  int32_t intern(Dictionary& dictionary, std::string_view text) {
    const size_t before = dictionary.size();
    const int32_t code = dictionary.intern(text);
    newText_ += dictionary.size() > before ? text.size() : 0;
    return code;
  }

  const RangeContext& context_;
  const TableSchema& schema_;
  ParsedRange& out_;
  size_t newText_ = 0;
};

int32_t RangeConverter::startRow(uint32_t line) {
  const auto row = static_cast<int32_t>(out_.rows++);
  out_.lines.push_back(line); // every cell starts missing (see parseRange)
  return row;
}

void RangeConverter::addRecord(const CsvRecord& record) {
  const int32_t row = startRow(record.line);
  if (context_.countOnly)
    return;
  if (!record.ok()) {
    for (const CsvError& error : record.errors)
      addIssue(row, -1, issue(error.line, error.column, nullptr, record.raw, error.message));
    return;
  }
  for (size_t i = 0; i < schema_.fields.size(); ++i) {
    const CsvField& field = record.fields[context_.fieldColumn[i]];
    Cell cell{field.text, field.line, field.column, nullptr};
    convert(row, i, cell);
  }
}

void RangeConverter::addPlainLine(uint32_t line, const char* lineStart,
                                  const std::vector<const char*>& starts, const char* lineEnd) {
  const int32_t row = startRow(line);
  if (context_.countOnly)
    return;
  for (size_t i = 0; i < schema_.fields.size(); ++i) {
    const size_t c = context_.fieldColumn[i];
    const char* end = c + 1 < starts.size() ? starts[c + 1] - 1 : lineEnd;
    Cell cell{std::string_view(starts[c], static_cast<size_t>(end - starts[c])), line, 0,
              lineStart};
    convert(row, i, cell);
  }
}

void RangeConverter::convert(int32_t row, size_t index, Cell& cell) {
  const FieldSchema& field = schema_.fields[index];
  Column& column = out_.columns[index];
  const bool isKey = static_cast<int>(index) == schema_.keyField;
  const std::string_view text = field.kind == ValueKind::Text ? cell.text : trimSpaces(cell.text);
  const auto fieldIndex = static_cast<int32_t>(index);
  auto reject = [&](std::string message) {
    addIssue(row, fieldIndex,
             issue(cell.line, cell.columnNumber(), &field, cell.text, std::move(message)));
  };
  if (cell.text.size() > kMaxCellBytes) {
    const size_t breaks = countLineBreaks(cell.text, 0, cell.text.size());
    return reject(fmt::format("{}: a cell of {} bytes{}, more than a cell may hold ({} bytes, 1 "
                              "MiB); it starts `{}…`{}",
                              describeField(field), cell.text.size(),
                              breaks ? fmt::format(" over {} lines", breaks + 1) : "",
                              kMaxCellBytes, shown(cell.text.substr(0, 40)),
                              breaks ? " (is a quote left open?)" : ""));
  }
  if (text.empty()) {
    if (isKey)
      reject(
          fmt::format("empty key {}: every {} row needs one", describeField(field), schema_.name));
    else if (!field.optional)
      reject(fmt::format("empty {}: expected {} (declare it `{}?` if it may be missing)",
                         describeField(field), expectedForm(field), typeLabel(field)));
    return; // stays missing
  }
  if (field.presenceOnly)
    return; // present; its value is never read
  auto malformed = [&] {
    reject(fmt::format("{}: expected {}, found `{}`", describeField(field), expectedForm(field),
                       shown(text)));
  };
  // Text and references must be UTF-8 without NUL bytes: anything else is another encoding or
  // not text at all.
  if (field.kind == ValueKind::Text || field.kind == ValueKind::Reference) {
    if (const size_t bad = badTextByte(text); bad != std::string_view::npos) {
      const auto byte = static_cast<unsigned char>(text[bad]);
      if (byte == 0)
        return reject(fmt::format("{}: expected text, found a NUL byte (byte {} of the cell): `{}`",
                                  describeField(field), bad + 1, shown(text)));
      return reject(fmt::format("{}: expected UTF-8 text, found byte 0x{:02X} (byte {} of the "
                                "cell), which is not UTF-8: `{}` (is the file Latin-1 or "
                                "Windows-1252? save it as UTF-8)",
                                describeField(field), byte, bad + 1, shown(text)));
    }
  }
  const auto at = static_cast<size_t>(row);
  switch (field.kind) {
  case ValueKind::Number: {
    double value = 0;
    // An amount written right that money cannot hold, plain or formatted: one message each.
    auto tooManyDecimals = [&] {
      reject(fmt::format("{}: expected an amount of money with at most four decimals, found `{}`",
                         describeField(field), shown(text)));
    };
    auto beyondMoney = [&] {
      reject(fmt::format("{}: `{}` is beyond the range of money, {}900,719,925,474.0991 either "
                         "side of zero",
                         describeField(field), shown(text), field.currencySign));
    };
    if (field.format) { // `format "1.234,56 €"`: read by it alone
      const FormattedNumber read = readNumberCell(*field.format, text, field.typeName);
      if (read.error == FormattedCellError::TooManyDecimals)
        return tooManyDecimals();
      if (read.error == FormattedCellError::OutOfRange)
        return beyondMoney();
      if (read.error != FormattedCellError::None)
        return malformed();
      column.numbers[at] = read.value;
    } else if (field.typeName == "money") {
      // Exact, in units of 1/10,000 (support/Money.h).
      const MoneyText money = parseMoneyText(text, MoneySyntax::Cell, field.currencySign);
      if (money.error == MoneyTextError::Malformed)
        return malformed();
      if (money.error == MoneyTextError::TooManyDecimals)
        return tooManyDecimals();
      if (money.error == MoneyTextError::OutOfRange)
        return beyondMoney();
      column.numbers[at] = money.units;
    } else if (parsePlainNumber(text, field.typeName, value)) {
      column.numbers[at] = value;
    } else if (auto parsed = parseNumberCell(text, field.typeName)) {
      column.numbers[at] = *parsed;
    } else {
      return malformed();
    }
    if ((field.minimum && column.numbers[at] < *field.minimum) ||
        (field.maximum && column.numbers[at] > *field.maximum))
      return reject(fmt::format("{}: expected {} in {}, found `{}`", describeField(field),
                                typeLabel(field), rangeText(field), shown(text)));
    column.valid[at] = 1;
    break;
  }
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
    column.codes[at] = intern(column.dictionary, text);
    break;
  case ValueKind::Date:
    if (field.format) { // `format "MM/DD/YYYY"`: read by it alone
      const FormattedDate read = readDateCell(*field.format, text);
      if (read.error == FormattedCellError::NoSuchDay)
        return reject(fmt::format("{}: `{}` is written in the format \"{}\" but is no day of the "
                                  "calendar",
                                  describeField(field), shown(text), field.format->text));
      if (read.error == FormattedCellError::NoSuchTime)
        return reject(fmt::format("{}: `{}` is written in the format \"{}\" but is no time of "
                                  "a day: {}",
                                  describeField(field), shown(text), field.format->text,
                                  read.problem));
      if (read.error != FormattedCellError::None)
        return malformed();
      column.valid[at] = 1;
      column.days[at] = read.day;
    } else if (int32_t day = 0; parsePlainDate(text, day)) {
      column.valid[at] = 1;
      column.days[at] = day;
    } else if (auto parsed = parseDate(text)) {
      column.valid[at] = 1;
      column.days[at] = *parsed;
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
    // The key's code until references are resolved; the cell stays missing until then.
    column.rows[at] = intern(column.dictionary, text);
    break;
  }
  if (column.valid[at])
    --column.missing;
}

} // namespace

void parseCells(const TableSchema& schema, const std::vector<std::string_view>& cells,
                ParsedRange& out) {
  const size_t fields = schema.fields.size();
  const size_t rows = fields == 0 ? 0 : cells.size() / fields;
  RangeContext context;
  context.schema = &schema;
  context.headerFields = fields;
  for (size_t i = 0; i < fields; ++i)
    context.fieldColumn.push_back(i);
  out.stop = 0;
  out.stopLine = 1;
  out.ranPastEnd = false;
  out.rows = 0;
  out.rejected.assign(rows, 0);
  out.lines.clear();
  out.issues.clear();
  out.issueRows.clear();
  out.issueFields.clear();
  out.overBudgetLine = 0;
  out.cancelled = false;
  bool sameKinds = out.columns.size() == fields;
  for (size_t f = 0; sameKinds && f < fields; ++f)
    sameKinds = out.columns[f].kind == schema.fields[f].kind;
  if (!sameKinds) {
    out.columns.clear();
    for (const FieldSchema& field : schema.fields)
      out.columns.emplace_back(field.kind);
  }
  for (Column& column : out.columns) {
    column.clearRows();
    column.resizeMissing(rows);
  }
  RangeConverter converter(context, out);
  for (size_t row = 0; row < rows; ++row)
    converter.addCells(cells.data() + row * fields, static_cast<uint32_t>(row + 1));
}

ParsedRange parseRange(const RangeContext& context, size_t start, size_t end) {
  // The range reads no byte past its end: another thread may be filling the next range's bytes
  // (or have given their pages back, which then read as zeros). A range start is a line start
  // that never splits a CRLF, so a CR just before `end` is a line break of its own; a record
  // still in quotes at `end` means the split guessed wrong (ranPastEnd).
  const std::string_view fullText = context.file->text();
  const std::string_view text = fullText.substr(0, std::max(start, end));
  const size_t n = text.size();
  ParsedRange out;
  const RowCost cost(*context.schema);
  size_t capacity = start < end ? countRecords(*context.file, start, end) : 0;
  // The budget stops the range before it holds more rows than it can pay for.
  if (context.budget)
    capacity = std::min(capacity, context.budget->left() / cost.fixed + 1);
  // Pre-sized, every cell missing: rows are filled in by index, then the unused tail is cut.
  out.rejected.resize(capacity, 0);
  if (!context.countOnly) {
    for (const FieldSchema& field : context.schema->fields) {
      out.columns.emplace_back(field.kind);
      out.columns.back().resizeMissing(capacity);
    }
    // A text key is mostly distinct: room for a key a row (at a guessed 16 bytes a key) spares
    // the dictionary its regrowing.
    const int key = context.schema->keyField;
    if (key >= 0 && context.schema->fields[static_cast<size_t>(key)].kind == ValueKind::Text)
      out.columns[static_cast<size_t>(key)].dictionary.reserve(capacity, capacity * 16);
  }
  RangeConverter converter(context, out);
  BudgetAllowance allowance(context.budget, context.exactBudget);
  auto pay = [&](size_t bytes) { return allowance.pay(bytes); };
  // A range that pays from chunks can be given more rows than `capacity` allowed for when
  // another range gives its chunk back: it stops there as over budget (and is parsed again
  // exactly, parseBody).
  auto payRow = [&] { return out.rows < capacity && pay(cost.fixed); };
  CsvReader reader(text, start, 1, context.headerFields);
  reader.setDelimiter(context.delimiter);
  CsvRecord record;
  std::vector<const char*> starts;
  // The next plain line, scanned while this one converts so that its key's dictionary slot is
  // fetched ahead (`aheadEnd` is null when no line was scanned ahead).
  std::vector<const char*> ahead;
  const char* aheadEnd = nullptr;
  const int keyField = context.schema->keyField;
  Dictionary* keys =
      !context.countOnly && keyField >= 0 &&
              context.schema->fields[static_cast<size_t>(keyField)].kind == ValueKind::Text
          ? &out.columns[static_cast<size_t>(keyField)].dictionary
          : nullptr;
  const size_t keyColumn = keys ? context.fieldColumn[static_cast<size_t>(keyField)] : 0;
  size_t pos = start, released = start;
  uint32_t line = 1;
  for (;;) {
    out.stop = pos;
    out.stopLine = line;
    while (pos < n && (text[pos] == '\n' || text[pos] == '\r')) { // blank lines
      pos = afterLineBreak(text, pos);
      ++line;
    }
    if (pos >= end || pos >= n)
      break;
    if (pos - released >= kReleaseEvery) {
      // Up to a huge page's boundary: whole huge pages are kept for reuse (FileText::release).
      const size_t upTo = std::max(released, pos / kReleaseEvery * kReleaseEvery);
      context.file->release(released, upTo);
      released = upTo;
      if (context.cancel && context.cancel->load(std::memory_order_relaxed)) {
        out.cancelled = true;
        break;
      }
    }
    const char* lineStart = text.data() + pos;
    const char* textEnd = text.data() + n;
    const char* p = nullptr;
    if (aheadEnd != nullptr && ahead.front() == lineStart) {
      std::swap(starts, ahead);
      p = aheadEnd;
    } else {
      starts.clear();
      starts.push_back(lineStart);
      p = scanPlainLine(lineStart, textEnd, context.headerFields, context.delimiter, starts);
    }
    aheadEnd = nullptr;
    // A quoted field, or a field count other than the header's (whose error the careful reader
    // gives): the careful reader takes the line.
    if ((p < textEnd && *p == '"') || starts.size() != context.headerFields) {
      reader.seek(pos, line);
      reader.next(record);
      if (reader.ranOutInQuotes() && n < fullText.size()) {
        out.ranPastEnd = true; // the record runs into the next range: the caller re-parses
        break;
      }
      if (!payRow()) {
        out.overBudgetLine = line;
        break;
      }
      converter.addRecord(record);
      if (!pay(RowCost::ofNewText(converter.takeNewText()))) {
        out.overBudgetLine = line; // added, but the load stops here
        break;
      }
      pos = reader.position();
      line = reader.line();
      continue;
    }
    if (!payRow()) {
      out.overBudgetLine = line;
      break;
    }
    if (keys != nullptr && p < textEnd) {
      const size_t next = afterLineBreak(text, static_cast<size_t>(p - text.data()));
      if (next < n && text[next] != '\n' && text[next] != '\r') {
        ahead.clear();
        ahead.push_back(text.data() + next);
        aheadEnd =
            scanPlainLine(ahead.front(), textEnd, context.headerFields, context.delimiter, ahead);
        if ((aheadEnd == textEnd || *aheadEnd != '"') && ahead.size() == context.headerFields) {
          const char* keyEnd = keyColumn + 1 < ahead.size() ? ahead[keyColumn + 1] - 1 : aheadEnd;
          keys->prefetch(
              std::string_view(ahead[keyColumn], static_cast<size_t>(keyEnd - ahead[keyColumn])));
        }
      }
    }
    converter.addPlainLine(line, lineStart, starts, p);
    if (!pay(RowCost::ofNewText(converter.takeNewText()))) {
      out.overBudgetLine = line; // added, but the load stops here
      break;
    }
    pos = static_cast<size_t>(p - text.data());
    if (pos < n) {
      pos = afterLineBreak(text, pos);
      ++line;
    }
  }
  context.file->release(released, out.stop);
  allowance.finish();
  out.tookBudgetChunks = allowance.tookChunks();
  out.rejected.resize(out.rows);
  for (Column& column : out.columns)
    column.resizeMissing(out.rows);
  return out;
}

} // namespace fulcrum::runtime
