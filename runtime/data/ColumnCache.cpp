// The cache format: a header (magic, version, key), then the table's vectors as raw arrays with
// their lengths, each array at an offset that is a multiple of 8; dictionaries as lengths then
// characters; last, the xxh3-128 of every byte before it. Reading checks the checksum, every
// length against the bytes left, then the table's meaning (CachedTableCheck.h), so a bad cache is
// ignored, never trusted. Number and date columns are not copied out of the cache's bytes: the
// columns borrow them (Column::borrowedNumbers, borrowedDays), and keep the bytes alive; every
// other array is copied and its pages given back as it is read, so a warm load holds the file
// once, not the file and its copy.
#include "runtime/data/ColumnCache.h"

#include "runtime/data/CachedTableCheck.h"
#include "runtime/data/FileText.h"
#include "runtime/data/RangeMerge.h"
#include "runtime/data/TableParser.h"
#include "support/AtomicFile.h"
#include "support/TimeZones.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <fmt/format.h>
#include <functional>
#include <memory>
#include <sys/stat.h>
#include <unistd.h>
#include <xxhash.h>

namespace fulcrum::runtime {
namespace {

constexpr char kMagic[8] = {'F', 'U', 'L', 'C', 'A', 'C', 'H', 'E'};
// 2: money cells are held in units of 1/10,000 (support/Money.h), no longer in dollars.
// 3: keyed on the CSV's content hash; a checksum of the cache's own bytes at its end.
// 4: rows' lines as runs of consecutive lines (RowLines.h), not a line a row.
// 5: every array starts at a multiple of 8 bytes (zeros before it), so columns can borrow it.
constexpr uint32_t kVersion = 6;
constexpr size_t kArrayAlignment = 8;
constexpr size_t kChecksumBytes = 16;

uint64_t mtimeNs(const struct stat& info) {
  return static_cast<uint64_t>(info.st_mtim.tv_sec) * 1'000'000'000ull +
         static_cast<uint64_t>(info.st_mtim.tv_nsec);
}

struct StateDeleter {
  void operator()(XXH3_state_t* state) const { XXH3_freeState(state); }
};
using HashState = std::unique_ptr<XXH3_state_t, StateDeleter>;

HashState newHashState() {
  HashState state(XXH3_createState());
  if (state)
    XXH3_128bits_reset(state.get());
  return state;
}

// The xxh3-128 of the regular file open as `fd`, `size` bytes by its stat, read in one sequential
// pass with pread (never mapped: a file truncated meanwhile must not fault the process). False
// if it cannot be read or its length is not `size`.
bool hashFile(int fd, uint64_t size, XXH128_hash_t& hash) {
  const HashState state = newHashState();
  if (!state)
    return false;
  constexpr size_t kChunk = size_t{1} << 20;
  std::unique_ptr<char[]> buffer(new char[kChunk]);
  uint64_t offset = 0;
  for (;;) {
    const ssize_t got = pread(fd, buffer.get(), kChunk, static_cast<off_t>(offset));
    if (got < 0 && errno == EINTR)
      continue;
    if (got < 0)
      return false;
    if (got == 0)
      break;
    XXH3_128bits_update(state.get(), buffer.get(), static_cast<size_t>(got));
    offset += static_cast<uint64_t>(got);
    if (offset > size)
      return false; // it grew while it was read
  }
  hash = XXH3_128bits_digest(state.get());
  return offset == size;
}

uint64_t mix(uint64_t h, std::string_view text) {
  for (char c : text)
    h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ull;
  return (h ^ 0xFF) * 1099511628211ull; // a separator, so ("ab","c") and ("a","bc") differ
}

uint64_t schemaHash(const TableSchema& schema) {
  uint64_t h = mix(1469598103934665603ull, schema.isEntity ? "entity" : "table");
  h = mix(h, std::to_string(schema.keyField));
  for (const FieldSchema& field : schema.fields) {
    h = mix(h, field.name);
    h = mix(h, field.column);
    h = mix(h, valueKindName(field.kind));
    h = mix(h, field.optional ? "?" : "!");
    // A presence-only field keeps no values: a framework that reads them needs another copy.
    h = mix(h, field.presenceOnly ? "presence" : "values");
    h = mix(h, field.typeName);
    h = mix(h, field.currencySign); // `€500` reads under EUR only
    h = mix(h, field.referencedTable);
    // A range rejects cells: a copy loaded under another range would skip the check.
    h = mix(h, field.minimum ? fmt::format("{}", *field.minimum) : "-");
    h = mix(h, field.maximum ? fmt::format("{}", *field.maximum) : "-");
    // A format (and its zone) reads the same cells as other values.
    h = mix(h, field.format ? field.format->text : "-");
    h = mix(h, field.format && field.format->zone ? field.format->zone->name() : "-");
    // ... by the offsets of the tz database it was read under (tzdata updates change them).
    h = mix(h, field.format && field.format->zone ? TimeZone::databaseVersion() : "-");
  }
  h = mix(h, std::string(1, schema.delimiter));
  h = mix(h, schema.detectDelimiter ? "auto" : "-");
  h = mix(h, schema.looseHeaders ? "loose" : "exact");
  return h;
}

class Writer {
public:
  explicit Writer(std::FILE* file) : file_(file), checksum_(newHashState()) { ok_ = !!checksum_; }
  bool ok() const { return ok_; }
  void bytes(const void* data, size_t size) {
    if (ok_ && size > 0) {
      XXH3_128bits_update(checksum_.get(), data, size);
      ok_ = std::fwrite(data, 1, size, file_) == size;
      written_ += size;
    }
  }
  // Zeros up to the next multiple of kArrayAlignment.
  void align() {
    static constexpr char kZeros[kArrayAlignment] = {};
    bytes(kZeros, (kArrayAlignment - written_ % kArrayAlignment) % kArrayAlignment);
  }
  // Ends the file with the checksum of every byte written before it.
  void checksum() {
    if (!ok_)
      return;
    const XXH128_hash_t hash = XXH3_128bits_digest(checksum_.get());
    ok_ = std::fwrite(&hash.low64, 1, 8, file_) == 8 && std::fwrite(&hash.high64, 1, 8, file_) == 8;
  }
  void u64(uint64_t value) { bytes(&value, sizeof value); }
  template <typename T> void vector(const std::vector<T>& values) {
    u64(values.size());
    align();
    bytes(values.data(), values.size() * sizeof(T));
  }
  template <typename T> void array(const T* values, size_t size) {
    u64(size);
    align();
    bytes(values, size * sizeof(T));
  }
  void dictionary(const Dictionary& dictionary) {
    u64(dictionary.size());
    std::vector<uint32_t> lengths;
    for (size_t code = 0; code < dictionary.size(); ++code)
      lengths.push_back(static_cast<uint32_t>(dictionary.text(static_cast<int32_t>(code)).size()));
    bytes(lengths.data(), lengths.size() * sizeof(uint32_t));
    for (size_t code = 0; code < dictionary.size(); ++code) {
      const std::string_view text = dictionary.text(static_cast<int32_t>(code));
      bytes(text.data(), text.size());
    }
  }

private:
  std::FILE* file_;
  HashState checksum_;
  bool ok_ = true;
  size_t written_ = 0;
};

// The bytes of a cache before its checksum, if the checksum at its end holds; else empty.
std::string_view checkedBody(std::string_view data) {
  if (data.size() < kChecksumBytes)
    return {};
  const std::string_view body = data.substr(0, data.size() - kChecksumBytes);
  const XXH128_hash_t hash = XXH3_128bits(body.data(), body.size());
  uint64_t stored[2] = {};
  std::memcpy(stored, data.data() + body.size(), kChecksumBytes);
  if (stored[0] != hash.low64 || stored[1] != hash.high64)
    return {};
  return body;
}

class Reader {
public:
  // `release` gives back the pages of bytes that were copied out and are not read again.
  explicit Reader(std::string_view data, std::function<void(size_t, size_t)> release = {})
      : data_(data), release_(std::move(release)) {}
  bool ok() const { return ok_; }
  bool bytes(void* out, size_t size) {
    if (!ok_ || size > data_.size() - pos_)
      return ok_ = false;
    if (size > 0)
      std::memcpy(out, data_.data() + pos_, size);
    pos_ += size;
    return true;
  }
  uint64_t u64() {
    uint64_t value = 0;
    bytes(&value, sizeof value);
    return value;
  }
  // A vector of exactly `expected` elements, copied.
  template <typename T> bool vector(std::vector<T>& out, size_t expected) {
    const size_t begin = arrayStart(expected, sizeof(T));
    if (!ok_)
      return false;
    out.resize(expected);
    if (!bytes(out.data(), expected * sizeof(T)))
      return false;
    if (release_)
      release_(begin, pos_);
    return true;
  }
  // An array of exactly `expected` elements where it lies in the cache's bytes; null if it is
  // not there (or not aligned for T, which a cache this loader wrote never is).
  template <typename T> const T* borrow(size_t expected) {
    const size_t begin = arrayStart(expected, sizeof(T));
    if (!ok_ || reinterpret_cast<uintptr_t>(data_.data() + begin) % alignof(T) != 0) {
      ok_ = false;
      return nullptr;
    }
    pos_ += expected * sizeof(T);
    return reinterpret_cast<const T*>(data_.data() + begin);
  }
  bool dictionary(Dictionary& out) {
    const uint64_t count = u64();
    if (!ok_ || count > (data_.size() - pos_) / sizeof(uint32_t))
      return ok_ = false;
    std::vector<uint32_t> lengths(count);
    bytes(lengths.data(), count * sizeof(uint32_t));
    size_t chars = 0;
    for (const uint32_t length : lengths)
      chars += length;
    if (!ok_ || chars > data_.size() - pos_)
      return ok_ = false;
    out.reserve(count, chars); // grown once, not rehashed as it fills
    for (const uint32_t length : lengths) {
      if (!ok_ || length > data_.size() - pos_)
        return ok_ = false;
      if (static_cast<size_t>(out.intern(data_.substr(pos_, length))) != out.size() - 1)
        return ok_ = false; // a repeated string: not a dictionary this loader wrote
      pos_ += length;
    }
    return ok_;
  }
  bool atEnd() const { return ok_ && pos_ == data_.size(); }

private:
  // Reads an array's length (which must be `expected`) and its alignment zeros; the offset of
  // its first element, with `size` bytes an element there to be read.
  size_t arrayStart(size_t expected, size_t size) {
    const size_t padding = (kArrayAlignment - (pos_ + 8) % kArrayAlignment) % kArrayAlignment;
    if (u64() != expected || !ok_ || padding > data_.size() - pos_ ||
        data_.substr(pos_, padding).find_first_not_of('\0') != std::string_view::npos) {
      ok_ = false;
      return 0;
    }
    pos_ += padding;
    if (expected > (data_.size() - pos_) / size) {
      ok_ = false;
      return 0;
    }
    return pos_;
  }

  std::string_view data_;
  std::function<void(size_t, size_t)> release_;
  size_t pos_ = 0;
  bool ok_ = true;
};

// Every code is -1 or below `size`.
bool codesInRange(const std::vector<int32_t>& codes, size_t size) {
  for (const int32_t code : codes)
    if (code < -1 || (code >= 0 && static_cast<size_t>(code) >= size))
      return false;
  return true;
}

} // namespace

std::optional<CacheKey> cacheKeyFor(const TableSchema& schema, bool hashContent) {
  struct stat info {};
  // Stat before open: only a regular file has a key, and opening anything else (a FIFO would
  // let a writer blocked on it go on, a device may act on open) is not harmless.
  if (stat(schema.path.c_str(), &info) != 0 || !S_ISREG(info.st_mode))
    return std::nullopt;
  if (!hashContent)
    return CacheKey{static_cast<uint64_t>(info.st_size), mtimeNs(info), schemaHash(schema)};
  const int fd = ::open(schema.path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
  if (fd < 0)
    return std::nullopt;
  CacheKey key;
  XXH128_hash_t hash{};
  struct stat after {};
  const bool hashed = fstat(fd, &info) == 0 && S_ISREG(info.st_mode) &&
                      hashFile(fd, static_cast<uint64_t>(info.st_size), hash) &&
                      fstat(fd, &after) == 0 && mtimeNs(after) == mtimeNs(info) &&
                      after.st_size == info.st_size;
  ::close(fd);
  if (!hashed)
    return std::nullopt; // unreadable, or it changed while it was hashed: no cache this time
  key.size = static_cast<uint64_t>(info.st_size);
  key.mtimeNs = mtimeNs(info);
  key.schemaHash = schemaHash(schema);
  key.contentLow = hash.low64;
  key.contentHigh = hash.high64;
  key.hashed = true;
  return key;
}

std::string cachePath(const TableSchema& schema, const std::string& cacheDir) {
  if (cacheDir.empty())
    return schema.path + ".fulcrum-cache";
  // One directory for files from anywhere: the file's name and a hash of its absolute path.
  std::error_code error;
  const std::filesystem::path absolute = std::filesystem::absolute(schema.path, error);
  const uint64_t h = mix(1469598103934665603ull, absolute.string());
  char suffix[24];
  std::snprintf(suffix, sizeof suffix, "-%016llx", static_cast<unsigned long long>(h));
  return (std::filesystem::path(cacheDir) /
          (absolute.filename().string() + suffix + ".fulcrum-cache"))
      .string();
}

bool readColumnCache(const TableSchema& schema, const CacheKey& key, const std::string& cacheDir,
                     ParsedTable& out) {
  // Shared with the columns that borrow from it.
  auto file = std::make_shared<FileText>();
  std::string error;
  if (!file->open(cachePath(schema, cacheDir), error))
    return false;
  Reader in(checkedBody(file->text()),
            [&file = *file](size_t begin, size_t end) { file.release(begin, end); });
  char magic[8] = {};
  in.bytes(magic, sizeof magic);
  const uint64_t version = in.u64();
  if (!in.ok() || std::memcmp(magic, kMagic, sizeof magic) != 0 || version != kVersion)
    return false;
  const uint64_t size = in.u64(), mtime = in.u64(), schemaSeen = in.u64();
  const uint64_t contentLow = in.u64(), contentHigh = in.u64();
  if (!in.ok() || size != key.size || schemaSeen != key.schemaHash)
    return false;
  // The content hash; or, in the opt-in stat-only mode, the mtime in its place.
  if (key.hashed ? contentLow != key.contentLow || contentHigh != key.contentHigh
                 : mtime != key.mtimeNs)
    return false;
  ParsedTable table;
  table.schema = &schema;
  table.table.schema = schema;
  const uint64_t rows = in.u64();
  table.headerFields = in.u64();
  if (!in.vector(table.fieldColumn, schema.fields.size()))
    return false;
  const uint64_t runs = in.u64();
  std::vector<uint32_t> runRows, runLines;
  if (runs > rows || !in.vector(runRows, runs) || !in.vector(runLines, runs) ||
      !RowLines::fromRuns(rows, std::move(runRows), std::move(runLines), table.table.lines))
    return false;
  for (const size_t column : table.fieldColumn)
    if (column >= table.headerFields)
      return false;
  for (size_t f = 0; f < schema.fields.size(); ++f) {
    const ValueKind kind = schema.fields[f].kind;
    Column& column = table.table.columns.emplace_back(kind);
    column.missing = in.u64();
    if (!in.vector(column.valid, rows))
      return false;
    bool read = false;
    switch (kind) {
    case ValueKind::Number:
      column.borrowedNumbers = in.borrow<double>(rows);
      column.borrowed = file;
      read = column.borrowedNumbers != nullptr;
      break;
    case ValueKind::Bool:
      read = in.vector(column.bools, rows);
      break;
    case ValueKind::Text:
      read = in.vector(column.codes, rows) && in.dictionary(column.dictionary) &&
             codesInRange(column.codes, column.dictionary.size());
      break;
    case ValueKind::Date:
      column.borrowedDays = in.borrow<int32_t>(rows);
      column.borrowed = file;
      read = column.borrowedDays != nullptr;
      break;
    case ValueKind::Period:
      read = in.vector(column.periodFirst, rows) && in.vector(column.periodLast, rows);
      break;
    case ValueKind::Reference: {
      PendingReference& reference = table.references.emplace_back(PendingReference{f, {}});
      read = in.vector(column.rows, rows) && in.dictionary(reference.keys) &&
             codesInRange(column.rows, reference.keys.size());
      break;
    }
    }
    if (!read)
      return false;
  }
  const uint64_t keys = in.u64();
  const uint64_t keysAreKeyColumn = in.u64();
  if (!in.ok() || keys > rows || keysAreKeyColumn > 1)
    return false;
  Dictionary keyTexts;
  std::vector<int32_t> keyRows;
  if (keysAreKeyColumn == 1) {
    // The key index is the text key column's own dictionary (as the parser made it): no key is
    // hashed again. cachedTableIsSound checks every row against it by code.
    if (schema.keyField < 0)
      return false;
    const Column& keyColumn = table.table.columns[static_cast<size_t>(schema.keyField)];
    if (keyColumn.kind != ValueKind::Text || keyColumn.dictionary.size() != keys ||
        !textsAreCanonical(keyColumn))
      return false;
    keyTexts = keyColumn.dictionary; // shares its storage
  } else if (!in.dictionary(keyTexts) || keyTexts.size() != keys) {
    return false;
  }
  if (!in.vector(keyRows, keys))
    return false;
  for (const int32_t row : keyRows)
    if (row < 0 || static_cast<uint64_t>(row) >= rows)
      return false;
  table.firstSeen = KeyIndex(std::move(keyTexts), std::move(keyRows));
  if (!in.atEnd())
    return false;
  table.rowsInFile = rows;
  table.table.rowCount = rows;
  table.rejected.assign(rows, 0);
  table.fromCache = true;
  std::string why;
  if (!cachedTableIsSound(table, why))
    return false; // a hand-made or damaged cache: parse the file
  if (schema.detectDelimiter) {
    // `delimiter auto`: the load summary says what the header shows, from a cache too; the
    // header is read again (mapped, up to its first line end) rather than kept in the cache.
    FileText csv;
    if (!csv.open(schema.path, error))
      return false;
    table.delimiter = fileDelimiter(schema, csv.text());
    table.delimiterDetected = true;
  }
  out = std::move(table);
  return true;
}

bool writeColumnCache(const ParsedTable& parsed, const CacheKey& key, const std::string& cacheDir) {
  // All or nothing, through a fresh private name: a link planted beside the CSV is not followed.
  if (!key.hashed)
    return false; // a cache is always made for the file's bytes
  AtomicFile file(cachePath(*parsed.schema, cacheDir), AtomicFile::Access::SharedCache);
  if (!file.stream())
    return false; // a read-only directory: no cache
  Writer out(file.stream());
  out.bytes(kMagic, sizeof kMagic);
  for (const uint64_t value :
       {uint64_t{kVersion}, key.size, key.mtimeNs, key.schemaHash, key.contentLow, key.contentHigh,
        uint64_t{parsed.rowsInFile}, uint64_t{parsed.headerFields}})
    out.u64(value);
  out.vector(parsed.fieldColumn);
  out.u64(parsed.table.lines.runRows().size());
  out.vector(parsed.table.lines.runRows());
  out.vector(parsed.table.lines.runLines());
  for (size_t f = 0; f < parsed.table.columns.size(); ++f) {
    const Column& column = parsed.table.columns[f];
    out.u64(column.missing);
    out.vector(column.valid);
    switch (column.kind) {
    case ValueKind::Number:
      out.array(column.numberData(), column.size());
      break;
    case ValueKind::Bool:
      out.vector(column.bools);
      break;
    case ValueKind::Text:
      out.vector(column.codes);
      out.dictionary(column.dictionary);
      break;
    case ValueKind::Date:
      out.array(column.dayData(), column.size());
      break;
    case ValueKind::Period:
      out.vector(column.periodFirst);
      out.vector(column.periodLast);
      break;
    case ValueKind::Reference:
      out.vector(column.rows);
      for (const PendingReference& reference : parsed.references)
        if (reference.field == f)
          out.dictionary(reference.keys);
      break;
    }
  }
  std::vector<int32_t> keyRows;
  for (size_t i = 0; i < parsed.firstSeen.size(); ++i)
    keyRows.push_back(parsed.firstSeen.row(i));
  const int keyField = parsed.schema->keyField;
  const Column* keyColumn =
      keyField >= 0 ? &parsed.table.columns[static_cast<size_t>(keyField)] : nullptr;
  const bool keysAreKeyColumn = keyColumn && keyColumn->kind == ValueKind::Text &&
                                parsed.firstSeen.keys().sharesStorageWith(keyColumn->dictionary);
  out.u64(keyRows.size());
  out.u64(keysAreKeyColumn ? 1 : 0);
  if (!keysAreKeyColumn)
    out.dictionary(parsed.firstSeen.keys());
  out.vector(keyRows);
  out.checksum();
  return out.ok() && file.commit();
}

void sealColumnCache(std::string& bytes) {
  if (bytes.size() < kChecksumBytes)
    return;
  const size_t body = bytes.size() - kChecksumBytes;
  const XXH128_hash_t hash = XXH3_128bits(bytes.data(), body);
  std::memcpy(bytes.data() + body, &hash.low64, 8);
  std::memcpy(bytes.data() + body + 8, &hash.high64, 8);
}

} // namespace fulcrum::runtime
