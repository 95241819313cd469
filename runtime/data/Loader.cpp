// loadTables: parse every file, resolve references, drop rejected rows, report and summarise.
#include "runtime/data/Loader.h"

#include "runtime/data/ColumnCache.h"
#include "runtime/data/References.h"
#include "runtime/data/Rejects.h"
#include "runtime/data/TableParser.h"
#include "support/TimeZones.h"

#include <algorithm>
#include <fmt/format.h>
#include <new>

namespace fulcrum::runtime {
namespace {

// Per row of a parsed file: its index among the loaded rows, or -1 if rejected.
std::vector<int32_t> loadedIndexes(const ParsedTable& parsed) {
  std::vector<int32_t> index(parsed.rowsInFile, -1);
  if (parsed.unusable)
    return index;
  int32_t next = 0;
  for (size_t row = 0; row < parsed.rowsInFile; ++row)
    if (!parsed.rejected[row])
      index[row] = next++;
  return index;
}

size_t findTable(const std::vector<ParsedTable>& all, const std::string& name) {
  size_t index = 0;
  while (all[index].schema->name != name)
    ++index;
  return index;
}

// The loaded rows of one parsed file, with references renumbered to the loaded rows. A file
// without rejected rows gives up its columns as they are.
Table compact(ParsedTable& parsed, const std::vector<ParsedTable>& all,
              const std::vector<std::vector<int32_t>>& indexes,
              const std::vector<uint8_t>& anyRejected, size_t self) {
  Table table;
  table.schema = parsed.table.schema;
  const std::vector<int32_t>& index = indexes[self];
  if (parsed.unusable) {
    for (const FieldSchema& field : table.schema.fields)
      table.columns.emplace_back(field.kind);
    return table;
  }
  if (!anyRejected[self]) {
    table.rowCount = parsed.rowsInFile;
    table.columns = std::move(parsed.table.columns);
    table.lines = std::move(parsed.table.lines);
    table.keyIndex = std::move(parsed.firstSeen);
  } else {
    std::vector<uint32_t> keep;
    for (size_t row = 0; row < index.size(); ++row)
      if (index[row] >= 0)
        keep.push_back(static_cast<uint32_t>(row));
    table.rowCount = keep.size();
    for (const Column& column : parsed.table.columns)
      table.columns.push_back(column.select(keep));
    table.lines = parsed.table.lines.select(keep);
    for (size_t i = 0; i < parsed.firstSeen.size(); ++i)
      if (const int32_t loaded = index[static_cast<size_t>(parsed.firstSeen.row(i))]; loaded >= 0)
        table.keyIndex.insert(parsed.firstSeen.key(i), loaded);
  }
  for (size_t f = 0; f < table.schema.fields.size(); ++f) {
    const FieldSchema& field = table.schema.fields[f];
    if (field.kind != ValueKind::Reference)
      continue;
    const size_t target = findTable(all, field.referencedTable);
    if (!anyRejected[target])
      continue; // row indexes in the file are the loaded row indexes
    Column& column = table.columns[f];
    for (size_t row = 0; row < column.rows.size(); ++row)
      if (column.valid[row])
        column.rows[row] = indexes[target][static_cast<size_t>(column.rows[row])];
  }
  return table;
}

// Fatal issues first, then by table and position in the file.
std::vector<LoadIssue> collectIssues(std::vector<ParsedTable>& parsed) {
  std::vector<LoadIssue> fatal, rows;
  for (ParsedTable& table : parsed) {
    const size_t first = rows.size();
    for (size_t i = 0; i < table.issues.size(); ++i)
      (table.issues[i].fatal ? fatal : rows).push_back(std::move(table.issues[i]));
    std::stable_sort(rows.begin() + static_cast<std::ptrdiff_t>(first), rows.end(),
                     [](const LoadIssue& a, const LoadIssue& b) {
                       if (a.row != b.row) // a host table's rows (0 for a file's issues)
                         return a.row < b.row;
                       return a.line != b.line ? a.line < b.line : a.column < b.column;
                     });
  }
  fatal.insert(fatal.end(), std::make_move_iterator(rows.begin()),
               std::make_move_iterator(rows.end()));
  return fatal;
}

// Empties a table whose parse ran out of memory, leaving its columns' shapes.
void forgetRows(const TableSchema& schema, ParsedTable& out) {
  out.table = Table();
  out.table.schema = schema;
  out.references.clear();
  for (size_t i = 0; i < schema.fields.size(); ++i) {
    out.table.columns.emplace_back(schema.fields[i].kind);
    if (schema.fields[i].kind == ValueKind::Reference)
      out.references.push_back(PendingReference{i, {}});
  }
  std::vector<uint8_t>().swap(out.rejected);
  out.firstSeen = KeyIndex();
  out.issues.clear();
  out.issueRows.clear();
  out.rowsInFile = 0;
}

// Why `schema` cannot be read from a host table (an Arrow or PostgreSQL one), or empty. A field's
// `format` and the file options describe the text of a CSV file; a host table's columns are typed
// (a date is a date, money a decimal), so there is no text for them to describe. They are refused
// rather than ignored: a timestamp's `in zone` ignored would give the UTC day without a word.
std::string textOptionOfHostTable(const TableSchema& schema) {
  for (const FieldSchema& field : schema.fields)
    if (field.format)
      return fmt::format(
          "the field `{}` has `format \"{}\"{}`, which describes the text of a CSV "
          "file; the columns of {} are typed and take no format (hint: declare the "
          "table without formats for this source)",
          field.name, field.format->text,
          field.format->zone ? fmt::format(" in zone \"{}\"", field.format->zone->name()) : "",
          schema.path);
  if (schema.detectDelimiter || schema.delimiter != ',' || schema.looseHeaders)
    return fmt::format("the table `{}` declares `{}`, which describes the text of a CSV file; {} "
                       "has typed columns and no delimiter or header row (hint: declare the table "
                       "without file options for this source)",
                       schema.name, schema.looseHeaders ? "headers loose" : "delimiter",
                       schema.path);
  return {};
}

// Parses `schema`'s file, or takes it from the column cache when that is on and current; a file
// parsed with no issue then refreshes its cache. The key is taken before the parse (its content
// hashed unless the stat-only match was opted into) and checked again after: a file changed in
// between gets no cache, since what was parsed may not be what was hashed.
void loadOrParse(const TableSchema& schema, const LoadOptions& options, MemoryBudget& budget,
                 ParsedTable& out) {
  if (auto host = options.hostTables.find(schema.name); host != options.hostTables.end()) {
    if (const std::string problem = textOptionOfHostTable(schema); !problem.empty()) {
      out.schema = &schema;
      forgetRows(schema, out);
      out.addFatal(LoadIssue{schema.path, 0, 0, schema.name, "", "", problem, true});
      return;
    }
    return host->second->load(schema, out, &budget, options.cancel);
  }
  std::optional<CacheKey> key =
      options.columnCache ? cacheKeyFor(schema, !options.cacheTrustsStat) : std::nullopt;
  if (key && readColumnCache(schema, *key, options.cacheDir, out))
    return;
  const size_t usedBefore = budget.used();
  try {
    parseTable(schema, out, options.threads, options.minBytesPerRange, &budget, options.cancel);
  } catch (const std::bad_alloc&) {
    // What was parsed is dropped (which frees what the report needs) and the file is unusable;
    // what its rows took from the budget goes back with them.
    forgetRows(schema, out);
    budget.give(budget.used() - usedBefore);
    out.addFatal(LoadIssue{schema.path, 0, 0, schema.name, "", "",
                           fmt::format("out of memory while loading {} (the file of {}); "
                                       "--memory-limit sets what a run may take",
                                       schema.path, schema.name),
                           true});
    return;
  }
  if (!key || !out.issues.empty() || out.unusable)
    return;
  if (!key->hashed) {
    const std::optional<CacheKey> hashed = cacheKeyFor(schema, true);
    if (!hashed || hashed->size != key->size || hashed->mtimeNs != key->mtimeNs)
      return;
    key = hashed;
  }
  const std::optional<CacheKey> now = cacheKeyFor(schema, false);
  if (now && now->size == key->size && now->mtimeNs == key->mtimeNs)
    writeColumnCache(out, *key, options.cacheDir); // skipped silently if it cannot be written
}

// A load LoadOptions::cancel stopped while at `schema`'s file: nothing of any file loads.
LoadResult cancelledLoad(const TableSchema& schema) {
  LoadResult cancelled;
  cancelled.cancelled = true;
  cancelled.issues.push_back(
      LoadIssue{schema.path, 0, 0, schema.name, "", "", "the load was cancelled", true});
  return cancelled;
}

} // namespace

LoadResult loadTables(const std::vector<TableSchema>& schemas, const LoadOptions& options) {
  std::vector<ParsedTable> parsed(schemas.size());
  MemoryBudget budget(options.memoryLimit); // one for the run: every file's rows draw on it
  for (size_t i = 0; i < schemas.size(); ++i) {
    if (options.cancel && options.cancel->load(std::memory_order_relaxed))
      return cancelledLoad(schemas[i]);
    loadOrParse(schemas[i], options, budget, parsed[i]);
    if (parsed[i].cancelled)
      return cancelledLoad(schemas[i]);
    for (size_t j = 0; j < i; ++j)
      if (schemas[j].name == schemas[i].name)
        parsed[i].addFatal(LoadIssue{schemas[i].path, 0, 0, schemas[i].name, "", schemas[i].name,
                                     fmt::format("{} is declared twice", schemas[i].name), true});
  }
  resolveReferences(parsed);

  LoadResult result;
  bool fatal = false;
  std::vector<std::vector<int32_t>> indexes;
  std::vector<uint8_t> anyRejected;
  for (const ParsedTable& table : parsed) {
    anyRejected.push_back(std::find(table.rejected.begin(), table.rejected.end(), 1) !=
                          table.rejected.end());
    // Without rejected rows, row indexes in the file are the loaded ones: no index needed.
    indexes.push_back(anyRejected.back() ? loadedIndexes(table) : std::vector<int32_t>());
    fatal = fatal || table.unusable;
  }
  // The rejects file first: it reads the parsed tables before compaction moves their columns.
  // Only when some row was rejected: a clean run leaves an existing file as it was.
  bool rejectsWritten = true;
  const bool anyRowRejected =
      std::find(anyRejected.begin(), anyRejected.end(), 1) != anyRejected.end();
  if (options.skipBadRows && !options.rejectsPath.empty() && anyRowRejected) {
    std::string error;
    if (!writeRejects(options.rejectsPath, parsed, error)) {
      rejectsWritten = false;
      result.issues.push_back(LoadIssue{options.rejectsPath, 0, 0, "", "", "",
                                        fmt::format("cannot write the rejects file: {}", error),
                                        true});
    }
  }
  // A file read again for a message (a rejected row's record, a cell) that changed since it was
  // parsed: what was parsed can no longer be shown or trusted, so nothing of it loads.
  for (ParsedTable& table : parsed) {
    if (table.rereadError()) {
      table.addFatal(*table.rereadError());
      fatal = true;
    }
  }
  for (size_t i = 0; i < parsed.size(); ++i) {
    result.tables.push_back(compact(parsed[i], parsed, indexes, anyRejected, i));
    const size_t loaded = result.tables.back().rowCount;
    result.summaries.push_back(
        LoadSummary{schemas[i].name, schemas[i].path, parsed[i].rowsInFile, loaded,
                    parsed[i].rowsInFile - loaded, parsed[i].stoppedAtLimit,
                    parsed[i].delimiterDetected ? parsed[i].delimiter : '\0'});
  }
  std::vector<LoadIssue> issues = collectIssues(parsed);
  result.issues.insert(result.issues.end(), std::make_move_iterator(issues.begin()),
                       std::make_move_iterator(issues.end()));
  result.ok = options.skipBadRows ? !fatal && rejectsWritten : result.issues.empty();
  return result;
}

} // namespace fulcrum::runtime
