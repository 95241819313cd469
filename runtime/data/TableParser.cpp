// First pass of loading: map a file's header, parse its body in ranges (on threads), join them.
#include "runtime/data/TableParser.h"

#include "runtime/data/Cells.h"
#include "runtime/data/CsvReader.h"
#include "runtime/data/LineBreaks.h"
#include "runtime/data/RangeMerge.h"
#include "runtime/data/RangeParser.h"
#include "runtime/data/RangeSplit.h"
#include "runtime/data/ShownText.h"
#include "support/Calendar.h"
#include "support/MemorySize.h"
#include "support/Money.h"
#include "support/Text.h"
#include "support/Threads.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <fmt/format.h>
#include <new>

namespace fulcrum::runtime {
namespace {

// Bytes of a file read before its header is parsed (more only if the header is longer).
constexpr size_t kHeadBytes = size_t{4} << 20;

// A message lists at most this many column names, and stops before its list passes this many
// bytes (a name of escaped bytes shows four bytes a byte), so that it stays a few lines long.
constexpr size_t kColumnsListed = 20, kColumnListBytes = 240;

std::string joinColumns(const std::vector<std::string>& header) {
  std::string out;
  size_t listed = 0;
  for (; listed < header.size() && listed < kColumnsListed; ++listed) {
    const std::string name = shown(header[listed], 40);
    if (listed > 0 && out.size() + 2 + name.size() > kColumnListBytes)
      break;
    out += (listed > 0 ? ", " : "") + name;
  }
  if (listed < header.size())
    out += fmt::format(" and {} more", header.size() - listed);
  return out;
}

// The separator a one-column header seems to use instead of commas, or 0.
// A separator other than the declared one in a one-column header, or 0.
char foreignSeparator(std::string_view header, char declared) {
  for (const char c : {',', ';', '\t', '|'})
    if (c != declared && header.find(c) != std::string_view::npos)
      return c;
  return 0;
}

std::string separatorName(char c) {
  return c == ';' ? "semicolons (;)" : c == '\t' ? "tabs" : c == ',' ? "commas (,)" : "bars (|)";
}

// A delimiter as `delimiter "..."` writes it.
std::string delimiterText(char c) {
  return c == '\t' ? "\\t" : std::string(1, c);
}

// Maps the header's columns to the schema's fields (out.fieldColumn); fatal issues for missing
// and doubled columns.
class HeaderMapper {
public:
  explicit HeaderMapper(ParsedTable& out) : out_(out), schema_(*out.schema) {}

  bool mapHeader(const CsvRecord& header);

private:
  LoadIssue issue(uint32_t line, uint32_t column, const FieldSchema* field, std::string_view value,
                  std::string message) const {
    return rowIssue(schema_, line, column, field, value, std::move(message));
  }

  ParsedTable& out_;
  const TableSchema& schema_;
};

// A column name as `headers loose` compares it: ASCII letters in lower case, and each run of
// spaces, `_` and `-` as one `_` (`Close Date`, `close_date` and `CLOSE-DATE` are one name).
std::string looseName(std::string_view name) {
  std::string out;
  bool gap = false;
  for (const char c : trimSpaces(name)) {
    if (c == ' ' || c == '_' || c == '-' || c == '\t') {
      gap = true;
      continue;
    }
    if (gap && !out.empty())
      out += '_';
    gap = false;
    out += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  }
  return out;
}

bool HeaderMapper::mapHeader(const CsvRecord& header) {
  for (const CsvError& error : header.errors)
    out_.addFatal(issue(error.line, error.column, nullptr, header.raw,
                        fmt::format("in the header: {}", error.message)));
  std::vector<std::string> names;
  for (const CsvField& cell : header.fields)
    names.emplace_back(trimSpaces(cell.text));
  // A file separated by something else has a one-column header: one issue says so, instead of a
  // missing column for every field. The separator is never guessed.
  const char separator = names.size() == 1 && !schema_.detectDelimiter
                             ? foreignSeparator(names[0], schema_.delimiter)
                             : 0;
  if (separator != 0 && std::any_of(schema_.fields.begin(), schema_.fields.end(),
                                    [&](const FieldSchema& f) { return f.column != names[0]; })) {
    const CsvField& cell = header.fields[0];
    std::vector<std::string> columns;
    for (const FieldSchema& field : schema_.fields)
      columns.push_back(field.column);
    const std::string declared =
        schema_.delimiter == ','
            ? std::string("CSV files are read with commas between fields (RFC 4180) unless the "
                          "table declares")
            : fmt::format("the table declares `delimiter \"{}\"`; declare",
                          delimiterText(schema_.delimiter));
    out_.addFatal(issue(
        cell.line, cell.column, nullptr, cell.text,
        fmt::format("the header is one column, `{}`: the file seems to be separated by {}, "
                    "but {} `delimiter \"{}\"` (or `delimiter auto`); expected the columns {}",
                    shown(cell.text), separatorName(separator), declared, delimiterText(separator),
                    joinColumns(columns))));
    out_.fieldColumn.assign(schema_.fields.size(), names.size());
    return false;
  }
  std::vector<std::string> loose;
  if (schema_.looseHeaders)
    for (const std::string& name : names)
      loose.push_back(looseName(name));
  for (const FieldSchema& field : schema_.fields) {
    size_t found = names.size();
    const std::string wanted = schema_.looseHeaders ? looseName(field.column) : "";
    for (size_t i = 0; i < names.size(); ++i) {
      if (schema_.looseHeaders ? loose[i] != wanted : names[i] != field.column)
        continue;
      if (found == names.size()) {
        found = i;
        continue;
      }
      // With `headers loose`, the two as the file writes them (`Closed` and ` closed `).
      out_.addFatal(issue(
          header.fields[i].line, header.fields[i].column, &field, field.column,
          schema_.looseHeaders
              ? fmt::format("columns `{}` and `{}` (columns {} and {}) are both `{}` (for `{}`) "
                            "under `headers loose`",
                            shown(header.fields[found].text), shown(header.fields[i].text),
                            found + 1, i + 1, field.column, field.name)
              : fmt::format("column `{}` (for `{}`) appears twice in the header, as "
                            "column {} and column {}",
                            field.column, field.name, found + 1, i + 1)));
    }
    if (found == names.size()) {
      std::string message = fmt::format("no column `{}` for `{}` of {}; the file has columns: {}",
                                        field.column, field.name, schema_.name, joinColumns(names));
      const std::string suggestion = closestMatch(field.column, names);
      if (!suggestion.empty())
        message += fmt::format(" (did you mean `{}`?)", shown(suggestion));
      out_.addFatal(issue(header.line, 0, &field, field.column, std::move(message)));
    }
    out_.fieldColumn.push_back(found);
  }
  return !out_.unusable;
}

// Why a file is not CSV text at all, judged by its first bytes: a UTF-16 byte order mark, a zip
// archive (an .xlsx workbook), gzip, or a NUL byte in the first 64 KiB (text has none). Empty if
// it may be text; `at` is then left alone, else set to the offending byte.
std::string notTextReason(std::string_view text, const std::string& table, size_t& at) {
  at = 0;
  if (text.starts_with("\xFF\xFE") || text.starts_with("\xFE\xFF"))
    return fmt::format("the file of {} is UTF-16 text (it starts with a UTF-16 byte order mark); "
                       "expected UTF-8: save or export it as CSV UTF-8",
                       table);
  if (text.starts_with("PK\x03\x04"))
    return fmt::format("the file of {} is a zip archive (an Excel .xlsx workbook is one), not a "
                       "CSV file: export the sheet as CSV UTF-8",
                       table);
  if (text.starts_with("\x1F\x8B"))
    return fmt::format("the file of {} is gzip-compressed: decompress it first", table);
  constexpr size_t kSniffed = size_t{64} << 10;
  const std::string_view start = text.substr(0, kSniffed);
  if (const size_t nul = start.find('\0'); nul != std::string_view::npos) {
    at = nul;
    return fmt::format("the file of {} is not text: it holds a NUL byte (0x00), which no CSV "
                       "text has; expected a CSV file in UTF-8",
                       table);
  }
  return {};
}

// The 1-based line and column (in characters) of byte `at`, lines ending as the reader ends them.
std::pair<uint32_t, uint32_t> positionOf(std::string_view text, size_t at) {
  const auto line = static_cast<uint32_t>(countLineBreaks(text, 0, at) + 1);
  size_t lineStart = at;
  while (lineStart > 0 && text[lineStart - 1] != '\n' && text[lineStart - 1] != '\r')
    --lineStart;
  uint32_t column = 1;
  for (size_t i = lineStart; i < at; ++i)
    column += (static_cast<unsigned char>(text[i]) & 0xC0) == 0x80 ? 0 : 1;
  return {line, column};
}

} // namespace

void ParsedTable::addRowIssue(int32_t row, LoadIssue issue) {
  if (hostCell) {
    issue.row = static_cast<uint32_t>(row) + 1;
    issue.line = issue.column = 0;
    if (issuesNameKeys && schema && schema->keyField >= 0) {
      const auto keyField = static_cast<size_t>(schema->keyField);
      const std::string written = hostCell(static_cast<size_t>(row), keyField);
      if (!trimSpaces(written).empty())
        issue.key =
            fmt::format("{} `{}`", schema->fields[keyField].name, shown(trimSpaces(written)));
    }
  }
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

LoadIssue rowIssue(const TableSchema& schema, uint32_t line, uint32_t column,
                   const FieldSchema* field, std::string_view value, std::string message) {
  // A bad record or cell can be as big as the file: the issue keeps its first 1 MiB, not a copy.
  return LoadIssue{schema.path,
                   line,
                   column,
                   schema.name,
                   field ? field->name : "",
                   std::string(value.substr(0, kMaxCellBytes)),
                   std::move(message),
                   false};
}

std::string typeLabel(const FieldSchema& field) {
  if (!field.typeName.empty())
    return field.typeName;
  return field.kind == ValueKind::Reference ? field.referencedTable : valueKindName(field.kind);
}

std::string rangeText(const FieldSchema& field) {
  auto bound = [&](const std::optional<double>& value) -> std::string {
    if (!value)
      return "";
    if (field.typeName == "percent")
      return fmt::format("{:g}%", *value * 100);
    if (field.typeName == "money") // held in units of 1/10,000
      return fmt::format("{}${}", *value < 0 ? "-" : "", plainMoney(std::fabs(*value)));
    return fmt::format("{:g}", *value);
  };
  return bound(field.minimum) + ".." + bound(field.maximum);
}

std::string describeField(const FieldSchema& field) {
  if (field.name == field.column)
    return fmt::format("`{}`", field.name);
  return fmt::format("`{}` (column `{}`)", field.name, field.column);
}

std::string_view ParsedTable::raw(size_t row) const {
  if (hostCell)
    return {}; // no record as written: the rejects file names the row
  return read(row, record_) ? record_.raw : std::string_view();
}

WrittenCell ParsedTable::cell(size_t row, size_t field) const {
  if (hostCell)
    return WrittenCell{hostCell(row, field), 0, 0};
  if (!read(row, record_) || fieldColumn[field] >= record_.fields.size())
    return {};
  const CsvField& cell = record_.fields[fieldColumn[field]];
  return WrittenCell{std::string(cell.text), cell.line, cell.column};
}

bool ParsedTable::read(size_t row, CsvRecord& record) const {
  if (rereadError_)
    return false;
  if (finder_.empty()) {
    // Parsing gave the file's pages back: its bytes are read again, if it is still the same.
    if (FileTextError error; !file().restore(error)) {
      rereadError_ = fileIssue(*schema, error);
      return false;
    }
    finder_ = RecordFinder(file().text(), headerFields, fileDelimiter(*schema, file().text()));
  }
  return finder_.read(table.lines[row], record);
}

char fileDelimiter(const TableSchema& schema, std::string_view text) {
  if (!schema.detectDelimiter)
    return schema.delimiter;
  if (text.starts_with("\xEF\xBB\xBF"))
    text.remove_prefix(3);
  size_t counts[4] = {0, 0, 0, 0};
  static constexpr char kCandidates[4] = {',', ';', '\t', '|'};
  bool quoted = false;
  for (const char c : text) {
    if (c == '"')
      quoted = !quoted;
    if (!quoted && (c == '\n' || c == '\r'))
      break;
    for (size_t k = 0; k < 4; ++k)
      counts[k] += !quoted && c == kCandidates[k] ? 1 : 0;
  }
  size_t best = 0;
  for (size_t k = 1; k < 4; ++k)
    best = counts[k] > counts[best] ? k : best;
  return kCandidates[best];
}

LoadIssue fileIssue(const TableSchema& schema, const FileTextError& error) {
  std::string message =
      error.kind == FileTextError::Kind::Changed
          ? fmt::format("the file of {} changed while it was being read ({}): nothing of it is "
                        "loaded; load it again once it is completely written",
                        schema.name, error.message)
          : fmt::format("cannot read the file of {}: {}", schema.name, error.message);
  return LoadIssue{schema.path, 0, 0, schema.name, "", "", std::move(message), true};
}

const FileText& ParsedTable::file() const {
  if (!fileOpened_) {
    fileOpened_ = true;
    std::string error;
    if (!file_.open(schema->path, error))
      file_ = FileText();
  }
  return file_;
}

void ParsedTable::setFile(FileText file) {
  file_ = std::move(file);
  fileOpened_ = true;
}

namespace {

// Bytes of one range when the file is read on demand: each range is read into the copy just
// before it is parsed, and there are enough of them that only a few ranges' bytes (one a
// thread) are resident at a time, not the whole file.
constexpr size_t kBytesPerFilledRange = size_t{64} << 20;

// Parses the body [bodyStart, end of file) in ranges on threads, each thread taking the next
// range. Line offsets chain from range to range, so lines are those of one sequential pass.
// When a range's last record runs past the next range's start (a quoted line break fooled the
// split; the range stops at its end, ranPastEnd), the body is parsed again in one range: the ranges
// gave back their pages while parsing (which then read as zeros, FileText.h), so the whole file is
// read again first. The file must still be the one opened at the end, or nothing of it loads.
void parseBody(const RangeContext& context, size_t bodyStart, uint32_t bodyLine, unsigned threads,
               size_t minBytesPerRange, ParsedTable& out) {
  const FileText& file = *context.file;
  const std::string_view text = file.text();
  threads = threadsFor(threads);
  const size_t bodyBytes = text.size() - std::min(bodyStart, text.size());
  const size_t most = std::max<size_t>(1, bodyBytes / std::max<size_t>(1, minBytesPerRange));
  size_t wanted = std::min<size_t>(threads, most);
  if (file.readsOnDemand())
    wanted = std::min(most, std::max(wanted, bodyBytes / kBytesPerFilledRange + 1));
  std::vector<size_t> starts;
  FileTextError error;
  // Only this file's ranges draw on the budget while it is parsed (files load one at a time).
  const size_t usedBefore = context.budget ? context.budget->used() : 0;
  if (!splitRanges(file, bodyStart, wanted, starts, error))
    return out.addFatal(fileIssue(*context.schema, error));
  std::vector<size_t> ends(starts.begin() + 1, starts.end());
  ends.push_back(text.size());
  std::vector<ParsedRange> ranges(starts.size());
  std::vector<FileTextError> errors(starts.size());
  std::vector<uint8_t> unread(starts.size(), 0);
  // An allocation that fails on a worker thread must not escape it (that would abort): the range
  // is marked and the file reported as out of memory.
  std::vector<uint8_t> outOfMemory(starts.size(), 0);
  {
    std::atomic<size_t> next{0};
    auto work = [&] {
      for (size_t k = next++; k < starts.size(); k = next++) {
        try {
          if (file.fill(starts[k], ends[k], errors[k]))
            ranges[k] = parseRange(context, starts[k], ends[k]);
          else
            unread[k] = 1;
        } catch (const std::bad_alloc&) {
          ranges[k] = ParsedRange();
          outOfMemory[k] = 1;
        }
      }
    };
    onThreads(std::min<size_t>(threads, starts.size()), [&](size_t) { work(); });
  }
  file.dropSpare(); // the pages kept for the next range's bytes: there is none
  if (std::find(outOfMemory.begin(), outOfMemory.end(), 1) != outOfMemory.end())
    throw std::bad_alloc(); // the loader reports it for the file (loadOrParse)
  if (std::any_of(ranges.begin(), ranges.end(), [](const ParsedRange& r) { return r.cancelled; }) ||
      (context.cancel && context.cancel->load(std::memory_order_relaxed))) {
    ranges.clear();
    if (context.budget)
      context.budget->give(context.budget->used() - usedBefore);
    out.cancelled = true;
    return out.addFatal(LoadIssue{context.schema->path, 0, 0, context.schema->name, "", "",
                                  "the load was cancelled", true});
  }
  for (size_t k = 0; k < starts.size(); ++k)
    if (unread[k])
      return out.addFatal(fileIssue(*context.schema, errors[k]));
  for (size_t k = 1; k < ranges.size(); ++k) {
    if (!ranges[k - 1].ranPastEnd && ranges[k - 1].stop <= starts[k])
      continue;
    if (!file.restore(error))
      return out.addFatal(fileIssue(*context.schema, error));
    ranges.clear();
    // The discarded ranges' rows are paid for again by the re-parse: what they took goes back.
    if (context.budget)
      context.budget->give(context.budget->used() - usedBefore);
    ranges.push_back(parseRange(context, bodyStart, text.size()));
    break;
  }
  // Ranges pay the budget from chunks: one can find it spent while another still holds an unused
  // chunk. Before the file is reported over the limit, it is parsed again in one range that pays
  // row by row, so whether it fits never depends on the threads' timing.
  const auto overBudget = [](const ParsedRange& r) { return r.overBudgetLine != 0; };
  if (std::any_of(ranges.begin(), ranges.end(), overBudget) &&
      std::any_of(ranges.begin(), ranges.end(),
                  [](const ParsedRange& r) { return r.tookBudgetChunks; })) {
    if (!file.restore(error))
      return out.addFatal(fileIssue(*context.schema, error));
    ranges.clear();
    context.budget->give(context.budget->used() - usedBefore);
    RangeContext exact = context;
    exact.exactBudget = true;
    ranges.push_back(parseRange(exact, bodyStart, text.size()));
  }
  if (!file.unchanged(error))
    return out.addFatal(fileIssue(*context.schema, error));
  // A range the budget could not pay for stops the load of the whole file. Which range stopped
  // first, and where, depends on the order the threads drew on the budget, so the issue names the
  // file and the limit, not a line, and no row counts as found or rejected: the result is the
  // same for any thread count (Loader.h). What the ranges took goes back, so that the run's
  // other files meet the same budget whatever the timing was.
  if (std::any_of(ranges.begin(), ranges.end(),
                  [](const ParsedRange& r) { return r.overBudgetLine != 0; })) {
    ranges.clear();
    context.budget->give(context.budget->used() - usedBefore);
    out.stoppedAtLimit = true;
    return out.addFatal(LoadIssue{
        context.schema->path, 0, 0, context.schema->name, "", "",
        fmt::format("the rows of {} need more than the memory limit allows (--memory-limit {}); "
                    "nothing of the file is loaded",
                    context.schema->name, formatMemorySize(context.budget->limit())),
        true});
  }
  std::vector<uint32_t> offsets(ranges.size());
  offsets[0] = bodyLine - 1;
  for (size_t k = 1; k < ranges.size(); ++k) {
    const ParsedRange& previous = ranges[k - 1];
    offsets[k] = offsets[k - 1] + previous.stopLine - 1 +
                 static_cast<uint32_t>(countLineBreaks(text, previous.stop, starts[k]));
  }
  mergeRanges(ranges, offsets, out);
}

} // namespace

void parseTable(const TableSchema& schema, ParsedTable& out, unsigned threads,
                size_t minBytesPerRange, MemoryBudget* budget, const std::atomic<bool>* cancel) {
  out.schema = &schema;
  out.table.schema = schema;
  for (size_t i = 0; i < schema.fields.size(); ++i) {
    out.table.columns.emplace_back(schema.fields[i].kind);
    if (schema.fields[i].kind == ValueKind::Reference)
      out.references.push_back(PendingReference{i, {}});
  }
  auto fatal = [&](std::string message) {
    out.addFatal(LoadIssue{schema.path, 0, 0, schema.name, "", "", std::move(message), true});
  };
  if (schema.keyField >= static_cast<int>(schema.fields.size()))
    return fatal(fmt::format("the key of {} is field {}, but it has {} fields", schema.name,
                             schema.keyField, schema.fields.size()));
  FileTextError error;
  FileText file;
  if (!file.open(schema.path, error, FileText::Reading::OnDemand))
    return out.addFatal(fileIssue(schema, error));
  out.setFile(std::move(file));

  // The header is read from the file's first bytes; one that runs past them (or a file of
  // blank lines) has the whole file read.
  const FileText& copy = out.file();
  const std::string_view text = copy.text();
  const size_t head = std::min(text.size(), kHeadBytes);
  if (!copy.fill(0, head, error))
    return out.addFatal(fileIssue(schema, error));
  out.delimiter = fileDelimiter(schema, text.substr(0, head));
  out.delimiterDetected = schema.detectDelimiter;
  CsvReader reader(text);
  reader.setDelimiter(out.delimiter);
  CsvRecord record;
  bool headerRead = reader.next(record);
  if (headerRead && reader.position() >= head && head < text.size()) {
    if (!copy.restore(error))
      return out.addFatal(fileIssue(schema, error));
    out.delimiter = fileDelimiter(schema, text);
    reader = CsvReader(text);
    reader.setDelimiter(out.delimiter);
    headerRead = reader.next(record);
  }
  if (!headerRead) {
    std::vector<std::string> columns;
    for (const FieldSchema& field : schema.fields)
      columns.push_back(field.column);
    return fatal(fmt::format(
        "the file of {} {}: expected a header line with the columns {}", schema.name,
        text.empty() ? "is empty (0 bytes)" : "holds only blank lines", joinColumns(columns)));
  }
  size_t at = 0;
  if (std::string reason = notTextReason(text, schema.name, at); !reason.empty()) {
    // Not parsed: its records are only counted, so the summary still adds up.
    const auto [line, column] = positionOf(text, at);
    out.addFatal(
        rowIssue(schema, line, column, nullptr, shown(text.substr(at, 16)), std::move(reason)));
    out.fieldColumn.assign(schema.fields.size(), record.fields.size());
  } else {
    HeaderMapper(out).mapHeader(record);
  }
  out.headerFields = reader.headerFieldCount();
  const RangeContext context{&schema,      &out.file(), out.fieldColumn, out.headerFields,
                             out.unusable, budget,      cancel,          out.delimiter};
  parseBody(context, reader.position(), reader.line(), threads, minBytesPerRange, out);
}

} // namespace fulcrum::runtime
