// The column cache (LoadOptions::columnCache): a parsed file's table in a binary file, used
// instead of parsing while the CSV file and the schema are unchanged.
#pragma once

#include "runtime/data/TableParser.h"

#include <cstdint>
#include <optional>
#include <string>

namespace fulcrum::runtime {

// What a cache is valid for: the CSV file's size and mtime, and the schema.
struct CacheKey {
  uint64_t size = 0, mtimeNs = 0, schemaHash = 0;
};

// The key of `schema`'s file as it is now; nullopt if the file cannot be examined.
std::optional<CacheKey> cacheKeyFor(const TableSchema& schema);

// Where the cache of `schema`'s file goes: next to it, or in `cacheDir`.
std::string cachePath(const TableSchema& schema, const std::string& cacheDir);

// Fills `out` (fresh) from the cache if it exists, holds `key` and is well-formed; false
// otherwise (a missing, stale, truncated or corrupt cache is ignored).
bool readColumnCache(const TableSchema& schema, const CacheKey& key, const std::string& cacheDir,
                     ParsedTable& out);

// Writes the cache of `parsed` (parsed with no issue, references still pending) atomically: a
// temporary file renamed over the cache. False if it cannot be written (nothing is left behind).
bool writeColumnCache(const ParsedTable& parsed, const CacheKey& key, const std::string& cacheDir);

} // namespace fulcrum::runtime
