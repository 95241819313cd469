// The column cache (LoadOptions::columnCache): a parsed file's table in a binary file, used
// instead of parsing while the CSV file's bytes and the schema are unchanged. A cache is
// untrusted input: it is used only if its own checksum holds, it was made from a file with the
// same content hash (or, opted into, the same size and mtime), and the table in it means what
// a parse could have given (CachedTableCheck.h); otherwise the CSV is parsed.
#pragma once

#include "runtime/data/TableParser.h"

#include <cstdint>
#include <optional>
#include <string>

namespace fulcrum::runtime {

// What a cache is valid for: the CSV file's bytes (xxh3-128 of the whole file), its size and
// mtime, and the schema.
struct CacheKey {
  uint64_t size = 0, mtimeNs = 0, schemaHash = 0;
  uint64_t contentLow = 0, contentHigh = 0; // the content hash, when `hashed`
  bool hashed = false;
};

// The key of `schema`'s file as it is now, its content hashed if `hashContent` (one sequential
// read of the file); nullopt if the file cannot be examined or read, or changed while hashed.
std::optional<CacheKey> cacheKeyFor(const TableSchema& schema, bool hashContent);

// Where the cache of `schema`'s file goes: next to it, or in `cacheDir`.
std::string cachePath(const TableSchema& schema, const std::string& cacheDir);

// Fills `out` (fresh) from the cache if it exists, its checksum holds, it was made for `key`
// (the same content hash if `key.hashed`, else the same size and mtime: the opt-in stat-only
// match) and its table is sound; false otherwise (a missing, stale, truncated, corrupt or
// hand-made cache is ignored).
bool readColumnCache(const TableSchema& schema, const CacheKey& key, const std::string& cacheDir,
                     ParsedTable& out);

// Writes the cache of `parsed` (parsed with no issue, references still pending) for `key` (which
// must be `hashed`) atomically: a temporary file renamed over the cache. False if it cannot be
// written (nothing is left behind).
bool writeColumnCache(const ParsedTable& parsed, const CacheKey& key, const std::string& cacheDir);

// Replaces the checksum that ends a cache's `bytes` with the one of the bytes before it. For
// tests and the fuzz target: a cache sealed so gets past the checksum to the checks of its
// header and meaning, as one made by hand would.
void sealColumnCache(std::string& bytes);

} // namespace fulcrum::runtime
