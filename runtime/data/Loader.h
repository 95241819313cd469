// Loading declared tables from CSV files: typed columns, resolved references, every issue named.
#pragma once

#include "runtime/data/HostTable.h"
#include "runtime/data/Schema.h"
#include "runtime/data/Table.h"

#include <atomic>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace fulcrum::runtime {

struct LoadOptions {
  bool skipBadRows = false; // `--on-error skip`: load without bad rows instead of failing
  std::string rejectsPath;  // with skipBadRows: where rejected rows go (CSV); empty for none
  // Threads parsing one file (byte ranges split at line breaks, merged in order); 0 = all cores.
  // The tables and issues are the same for any number.
  unsigned threads = 0;
  // `--cache`: after a load of a file with no issues, write its parsed table to a binary cache
  // (`FILE.fulcrum-cache`, or under cacheDir) and use it on later loads while the file's bytes
  // (a content hash) and the table's schema are unchanged. A cache that cannot be written is
  // skipped; one that is stale, damaged or unsound is ignored (ColumnCache.h).
  bool columnCache = false;
  // FULCRUM_CACHE=trust-stat: match a cache on the file's size and mtime only, without reading
  // the file to hash it (for users who own their files: a same-size edit that keeps the mtime,
  // as `cp -p` or `rsync -a` may leave it, then goes unseen).
  bool cacheTrustsStat = false;
  std::string cacheDir; // where caches go; empty: next to each CSV file
  // `--memory-limit`: what the parsed rows of all files together may take (an estimate a row, see
  // RowCost in RangeParser.cpp); a row past it stops the load with a fatal issue at its line.
  size_t memoryLimit = SIZE_MAX;
  // Testing knob: a file is split into at most size / minBytesPerRange ranges, so tests can make
  // tiny files split.
  size_t minBytesPerRange = size_t{4} << 20;
  // Tables the host holds in memory (HostTable.h): read from there instead of their files, never
  // cached, and not charged to memoryLimit (the host's memory, mostly used without a copy).
  HostTables hostTables;
  // Set from another thread, it stops the load soon (between files, and every few MiB of a
  // file): LoadResult::cancelled, nothing loaded. Null: no cancelling.
  const std::atomic<bool>* cancel = nullptr;
};

// One problem, at a cell (line and column 1-based), a record, a header (line 1) or a whole file
// (line 0). `value` is the offending cell, key or column name (its first 1 MiB).
struct LoadIssue {
  std::string file;
  uint32_t line = 0;
  uint32_t column = 0;
  std::string table, field, value;
  std::string message;  // says what was expected
  bool fatal = false;   // the whole file or a column is unusable (not just one row)
  uint32_t row = 0;     // a host table's row, 1-based (its `line` is 0: it has no file)
  std::string key = {}; // a database table's row: its key as written (`id `1C1I7A6R``), or empty
};

// Every data row of a file is either loaded or rejected: loaded + rejected == rowsInFile. A load
// the memory budget stopped counts no row at all (its rows were not all read).
struct LoadSummary {
  std::string table, path;
  size_t rowsInFile = 0, loaded = 0, rejected = 0;
  bool stoppedAtLimit = false;
  char detectedDelimiter = 0; // `delimiter auto`: what the header showed; 0 otherwise
};

struct LoadResult {
  // Default: no issue at all. skipBadRows: no fatal issue, and the rejects file was written.
  bool ok = false;
  // One per schema, in the same order. Rows with issues are left out (also when !ok).
  std::vector<Table> tables;
  std::vector<LoadIssue> issues; // fatal ones first, then by table and position
  std::vector<LoadSummary> summaries;
  bool cancelled = false; // LoadOptions::cancel stopped it: nothing is loaded (ok is false)

  const Table* table(std::string_view name) const;
  Table* table(std::string_view name);
};

// Loads every table. References are resolved after all files are read, so entities may refer to
// entities (themselves included) in any order; a row referring to a rejected row is rejected.
LoadResult loadTables(const std::vector<TableSchema>& schemas, const LoadOptions& options);

// `file:line:column: error: message` (line and column left out when 0).
std::string formatIssue(const LoadIssue& issue);
// `deals: 8800 rows, 8800 loaded, 0 rejected`, or `deals: not loaded, stopped at the memory limit`.
std::string formatSummary(const LoadSummary& summary);

} // namespace fulcrum::runtime
