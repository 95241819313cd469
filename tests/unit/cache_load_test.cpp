// The column cache: a hit gives the cached table, a file whose bytes changed re-parses (even
// behind an unchanged size and mtime, unless the stat-only match is opted into), a changed
// schema re-parses, a bad or hand-made cache is ignored with the run's tables equal to an
// uncached run's, and references from a cached table still resolve against the other tables.
#include "TempPaths.h"
#include "runtime/data/ColumnCache.h"
#include "runtime/data/Loader.h"

#include <atomic>
#include <chrono>
#include <cstdio>
#include <fcntl.h>
#include <filesystem>
#include <fmt/format.h>
#include <fstream>
#include <functional>
#include <gtest/gtest.h>
#include <limits>
#include <optional>
#include <random>
#include <string>
#include <sys/stat.h>
#include <thread>
#include <unistd.h>

namespace fulcrum::runtime {
namespace {

class ColumnCacheTest : public ::testing::Test {
protected:
  const std::string dir = tempPath("cache_" + currentTestName() + "/");
  const std::string reps = dir + "reps.csv";
  const std::string calls = dir + "calls.csv";

  void SetUp() override {
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    write(reps, "id,name\nR1,Ann\nR2,Bob\n");
    write(calls, "rep,day,kind,minutes\nR1,2017-01-02,dial,5\nR2,2017-01-03,demo,\n");
  }
  void TearDown() override { std::filesystem::remove_all(dir); }

  static void write(const std::string& path, const std::string& text) {
    std::ofstream(path, std::ios::binary) << text;
  }
  // Rewrites `path` keeping its size and mtime.
  static void rewriteKeepingStat(const std::string& path, const std::string& text) {
    struct stat before {};
    ASSERT_EQ(stat(path.c_str(), &before), 0);
    write(path, text);
    const timespec times[2] = {before.st_atim, before.st_mtim};
    ASSERT_EQ(utimensat(AT_FDCWD, path.c_str(), times, 0), 0);
  }

  std::vector<TableSchema> schemas(bool minutesOptional = true) const {
    auto field = [](std::string name, ValueKind kind, std::string typeName, bool optional) {
      std::string referenced = kind == ValueKind::Reference ? typeName : "";
      std::string column = name;
      return FieldSchema{std::move(name), std::move(column),   kind,
                         optional,        std::move(typeName), std::move(referenced)};
    };
    return {TableSchema{"rep",
                        reps,
                        true,
                        0,
                        {field("id", ValueKind::Text, "text", false),
                         field("name", ValueKind::Text, "text", false)}},
            TableSchema{"calls",
                        calls,
                        false,
                        -1,
                        {field("rep", ValueKind::Reference, "rep", false),
                         field("day", ValueKind::Date, "date", false),
                         field("kind", ValueKind::Text, "text", false),
                         field("minutes", ValueKind::Number, "count", minutesOptional)}}};
  }

  static LoadOptions cached(bool trustStat = false) {
    LoadOptions options;
    options.columnCache = true;
    options.cacheTrustsStat = trustStat;
    return options;
  }

  static std::string readBytes(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
  }

  // Every value of every loaded table, its lines and its key index, as text: two loads that
  // give the same description credit the same values to the same rows.
  static std::string describe(const LoadResult& result) {
    std::string out = fmt::format("ok={} issues={}\n", result.ok, result.issues.size());
    for (const Table& table : result.tables) {
      out += fmt::format("{} rows={}\n", table.schema.name, table.rowCount);
      for (size_t row = 0; row < table.rowCount; ++row) {
        out += fmt::format("  line {}:", table.lines[row]);
        for (const Column& column : table.columns) {
          if (!column.isValid(row)) {
            out += " -";
            continue;
          }
          switch (column.kind) {
          case ValueKind::Number:
            out += fmt::format(" {}", column.numberData()[row]);
            break;
          case ValueKind::Bool:
            out += fmt::format(" {}", column.bools[row]);
            break;
          case ValueKind::Text:
            out += fmt::format(" '{}'", column.text(row));
            break;
          case ValueKind::Date:
            out += fmt::format(" d{}", column.dayData()[row]);
            break;
          case ValueKind::Period:
            out += fmt::format(" p{}..{}", column.periodFirst[row], column.periodLast[row]);
            break;
          case ValueKind::Reference:
            out += fmt::format(" ->{}", column.rows[row]);
            break;
          }
        }
        out += "\n";
      }
      for (size_t i = 0; i < table.keyIndex.size(); ++i)
        out += fmt::format("  key {} -> {}\n", table.keyIndex.key(i), table.keyIndex.row(i));
    }
    return out;
  }

  // Parses `schema`'s file as the loader does, lets `tamper` change the parsed table, and writes
  // it as the file's cache with the file's true key: a hand-made cache with a valid checksum.
  static void writeTamperedCache(const TableSchema& schema,
                                 const std::function<void(ParsedTable&)>& tamper) {
    ParsedTable parsed;
    parseTable(schema, parsed, 1, size_t{1} << 20);
    ASSERT_TRUE(parsed.issues.empty());
    tamper(parsed);
    const std::optional<CacheKey> key = cacheKeyFor(schema, true);
    ASSERT_TRUE(key);
    ASSERT_TRUE(writeColumnCache(parsed, *key, ""));
  }

  // Whether the cache of `schema`'s file is taken as it stands.
  static bool cacheIsUsed(const TableSchema& schema) {
    const std::optional<CacheKey> key = cacheKeyFor(schema, true);
    ParsedTable read;
    return key && readColumnCache(schema, *key, "", read);
  }

  // calls' kind column, as text.
  static std::string kinds(const LoadResult& result) {
    std::string out;
    const Table* table = result.table("calls");
    for (size_t row = 0; table && row < table->rowCount; ++row)
      out += std::string(table->columns[2].text(row)) + ";";
    return out;
  }
};

TEST_F(ColumnCacheTest, HitUsesTheCacheAndResolvesReferences) {
  const std::vector<TableSchema> all = schemas();
  const LoadResult first = loadTables(all, cached());
  ASSERT_TRUE(first.ok);
  EXPECT_TRUE(std::filesystem::exists(calls + ".fulcrum-cache"));
  EXPECT_TRUE(cacheIsUsed(all[1]));
  const LoadResult second = loadTables(all, cached());
  ASSERT_TRUE(second.ok);
  EXPECT_EQ(describe(second), describe(first));
  EXPECT_EQ(describe(second), describe(loadTables(all, {})));
  EXPECT_EQ(kinds(second), "dial;demo;");
  const Table* table = second.table("calls");
  ASSERT_NE(table, nullptr);
  EXPECT_EQ(table->columns[0].rows, (std::vector<int32_t>{0, 1}));
  EXPECT_EQ(table->lines.all(), (std::vector<uint32_t>{2, 3}));
  EXPECT_FALSE(table->columns[3].isValid(1));
  // Issue 24: a warm load's dates and numbers are the cache's bytes, not a copy of them.
  EXPECT_NE(table->columns[1].borrowedDays, nullptr);
  EXPECT_TRUE(table->columns[1].days.empty());
  EXPECT_NE(table->columns[3].borrowedNumbers, nullptr);
  EXPECT_TRUE(table->columns[3].numbers.empty());
  EXPECT_EQ(reinterpret_cast<uintptr_t>(table->columns[3].borrowedNumbers) % alignof(double), 0u);
}

// Issue 28: a same-size edit with the mtime put back (as `cp -p`, `rsync -a` or `touch -r`
// leave it) is seen: the cache is keyed on the file's bytes.
TEST_F(ColumnCacheTest, SameSizeEditWithTheMtimeRestoredIsSeen) {
  ASSERT_TRUE(loadTables(schemas(), cached()).ok);
  rewriteKeepingStat(calls, "rep,day,kind,minutes\nR1,2017-01-02,DIAL,5\nR2,2017-01-03,DEMO,\n");
  EXPECT_EQ(kinds(loadTables(schemas(), cached())), "DIAL;DEMO;");
  EXPECT_EQ(kinds(loadTables(schemas(), {})), "DIAL;DEMO;");
  // The cache was refreshed for the new bytes and is used again.
  EXPECT_TRUE(cacheIsUsed(schemas()[1]));
}

// FULCRUM_CACHE=trust-stat: size and mtime alone, as before issue 28; the same edit goes unseen,
// which is the documented price of not reading the file.
TEST_F(ColumnCacheTest, StatOnlyMatchTrustsSizeAndMtime) {
  ASSERT_TRUE(loadTables(schemas(), cached(true)).ok);
  rewriteKeepingStat(calls, "rep,day,kind,minutes\nR1,2017-01-02,DIAL,5\nR2,2017-01-03,DEMO,\n");
  EXPECT_EQ(kinds(loadTables(schemas(), cached(true))), "dial;demo;");
  // The hashing mode is not fooled by the cache the stat-only mode used.
  EXPECT_EQ(kinds(loadTables(schemas(), cached())), "DIAL;DEMO;");
  // A changed mtime is seen by the stat-only mode too.
  write(calls, "rep,day,kind,minutes\nR1,2017-01-02,email,5\n");
  EXPECT_EQ(kinds(loadTables(schemas(), cached(true))), "email;");
}

// Issue 28: a hand-made cache (valid checksum, the file's true key) whose table could not come
// from a parse is refused, and the run's tables are those of an uncached run.
TEST_F(ColumnCacheTest, HandMadeCachesThatMeanNothingAreRefused) {
  const std::vector<TableSchema> all = schemas();
  const std::string uncached = describe(loadTables(all, {}));
  struct Case {
    const char* what;
    size_t table; // 0 reps, 1 calls
    std::function<void(ParsedTable&)> tamper;
  };
  const std::vector<Case> cases = {
      {"a duplicate key: row 2's id made row 1's", 0,
       [](ParsedTable& t) { t.table.columns[0].codes[1] = t.table.columns[0].codes[0]; }},
      {"a key index that credits R1's rows to R2 and R2's to R1", 0,
       [](ParsedTable& t) {
         KeyIndex swapped;
         swapped.insert(t.firstSeen.key(0), t.firstSeen.row(1));
         swapped.insert(t.firstSeen.key(1), t.firstSeen.row(0));
         t.firstSeen = std::move(swapped);
       }},
      {"a key index with a key no row has", 0, [](ParsedTable& t) { t.firstSeen.insert("R9", 0); }},
      // The same two, with the index written as the key column's own dictionary (format 6).
      {"the key column's dictionary as index, crediting R1's row to R2 and R2's to R1", 0,
       [](ParsedTable& t) {
         t.firstSeen =
             KeyIndex(t.table.columns[0].dictionary, {t.firstSeen.row(1), t.firstSeen.row(0)});
       }},
      {"the key column's dictionary as index, with a key no row has", 0,
       [](ParsedTable& t) {
         Dictionary& ids = t.table.columns[0].dictionary;
         ids.intern("R9");
         t.firstSeen = KeyIndex(ids, {t.firstSeen.row(0), t.firstSeen.row(1), 0});
       }},
      {"the key column's dictionary as index, a key with a space around it", 0,
       [](ParsedTable& t) {
         Dictionary ids;
         ids.intern(" R1");
         ids.intern("R2");
         t.table.columns[0].dictionary = ids;
         t.firstSeen = KeyIndex(ids, {t.firstSeen.row(0), t.firstSeen.row(1)});
       }},
      {"a reference beyond its keys", 1, [](ParsedTable& t) { t.table.columns[0].rows[0] = 7; }},
      {"a reference below the missing marker", 1,
       [](ParsedTable& t) { t.table.columns[0].rows[1] = -5; }},
      {"an empty reference in a required field", 1,
       [](ParsedTable& t) { t.table.columns[0].rows[1] = -1; }},
      {"a reference marked resolved", 1,
       [](ParsedTable& t) {
         t.table.columns[0].valid[0] = 1;
         --t.table.columns[0].missing;
       }},
      {"a date past the year 9999", 1,
       [](ParsedTable& t) { t.table.columns[1].days[0] = 4'000'000; }},
      {"a date before the year 0", 1,
       [](ParsedTable& t) { t.table.columns[1].days[1] = -800'000; }},
      {"a missing number that holds a value", 1,
       [](ParsedTable& t) { t.table.columns[3].numbers[1] = 7; }},
      {"a missing number that holds -0", 1,
       [](ParsedTable& t) { t.table.columns[3].numbers[1] = -0.0; }},
      {"a validity bit set without its count", 1,
       [](ParsedTable& t) { t.table.columns[3].valid[1] = 1; }},
      {"a validity byte of 2", 1, [](ParsedTable& t) { t.table.columns[3].valid[0] = 2; }},
      {"a missing count that disagrees", 1, [](ParsedTable& t) { ++t.table.columns[3].missing; }},
      {"a missing cell in a required field", 1,
       [](ParsedTable& t) {
         t.table.columns[2].valid[0] = 0;
         t.table.columns[2].codes[0] = -1;
         ++t.table.columns[2].missing;
       }},
      {"a missing text that holds a code", 1,
       [](ParsedTable& t) {
         t.table.columns[2].valid[0] = 0;
         ++t.table.columns[2].missing;
       }},
      {"a number that is not finite", 1,
       [](ParsedTable& t) {
         t.table.columns[3].numbers[0] = std::numeric_limits<double>::infinity();
       }},
      {"a row on the header's line", 1,
       [](ParsedTable& t) {
         RowLines lines;
         for (const uint32_t line : t.table.lines.all())
           lines.push_back(line - 1);
         t.table.lines = lines;
       }},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.what);
    std::filesystem::remove(reps + ".fulcrum-cache");
    std::filesystem::remove(calls + ".fulcrum-cache");
    // Untampered, the same path writes a cache that is used: the refusal below is the tamper's.
    writeTamperedCache(all[c.table], [](ParsedTable&) {});
    EXPECT_TRUE(cacheIsUsed(all[c.table]));
    writeTamperedCache(all[c.table], c.tamper);
    EXPECT_FALSE(cacheIsUsed(all[c.table]));
    EXPECT_EQ(describe(loadTables(all, cached())), uncached);
  }
}

// Arbitrary damage to a cache: as it stands, its checksum refuses it, so every load equals the
// CSV's; resealed (as by hand), the checks of its header and meaning run over it and the load
// must still finish, with each reference it yields in range. The same property as
// fuzz/column_cache_fuzz.cpp, over a few hundred mutations, so the release suite checks it too.
// A text key's index is its column's dictionary, in the parsed table and in the one read from
// its cache: the cache stores the index as the rows of the column's codes, and reading it hashes
// no key again (docs/performance.md, the warm cache on the deals shape).
TEST_F(ColumnCacheTest, TextKeyIndexIsTheKeyColumnsDictionary) {
  const std::vector<TableSchema> all = schemas();
  const std::string uncached = describe(loadTables(all, {}));
  ParsedTable parsed;
  parseTable(all[0], parsed, 1, size_t{1} << 20);
  ASSERT_TRUE(parsed.firstSeen.keys().sharesStorageWith(parsed.table.columns[0].dictionary));
  ASSERT_TRUE(loadTables(all, cached()).ok); // writes the caches
  const std::optional<CacheKey> key = cacheKeyFor(all[0], true);
  ASSERT_TRUE(key);
  ParsedTable read;
  ASSERT_TRUE(readColumnCache(all[0], *key, "", read));
  EXPECT_TRUE(read.firstSeen.keys().sharesStorageWith(read.table.columns[0].dictionary));
  ASSERT_EQ(read.firstSeen.size(), parsed.firstSeen.size());
  for (size_t i = 0; i < read.firstSeen.size(); ++i) {
    EXPECT_EQ(read.firstSeen.key(i), parsed.firstSeen.key(i));
    EXPECT_EQ(read.firstSeen.row(i), parsed.firstSeen.row(i));
  }
  EXPECT_EQ(describe(loadTables(all, cached())), uncached);
}

TEST_F(ColumnCacheTest, MutatedCachesAreRefusedOrSound) {
  write(reps, "id,name,active\nR1,Ann,true\nR2,Bob,false\nR3,Cy,1\n");
  write(calls, "rep,day,kind,minutes\nR1,2017-01-02,dial,5\nR2,2017-01-03,demo,\n"
               "R3,2017-02-03,dial,12\nR1,2017-03-01,demo,1\n");
  std::vector<TableSchema> all = schemas();
  all[0].fields.push_back(FieldSchema{"active", "active", ValueKind::Bool, false, "bool", ""});
  const LoadResult plain = loadTables(all, {});
  ASSERT_TRUE(plain.ok) << (plain.issues.empty() ? "" : formatIssue(plain.issues[0]));
  const std::string uncached = describe(plain);
  ASSERT_EQ(describe(loadTables(all, cached())), uncached);
  std::mt19937_64 random(28);
  size_t resealed = 0, resealedUsed = 0;
  for (int i = 0; i < 400; ++i) {
    const std::string path = (i % 2 ? reps : calls) + ".fulcrum-cache";
    const TableSchema& schema = all[i % 2 ? 0 : 1];
    // Fresh, valid caches of both files (a resealed cache taken last time is not left over).
    std::filesystem::remove(reps + ".fulcrum-cache");
    std::filesystem::remove(calls + ".fulcrum-cache");
    ASSERT_TRUE(loadTables(all, cached()).ok);
    const std::string original = readBytes(path);
    std::string bytes = original;
    ASSERT_GT(bytes.size(), 64u);
    const size_t at = random() % bytes.size();
    switch (random() % 4) {
    case 0: // flip bits
      bytes[at] = static_cast<char>(bytes[at] ^ static_cast<char>(1 + random() % 255));
      break;
    case 1: // cut short
      bytes.resize(at);
      break;
    case 2: { // a random 8-byte value: a length, a count, a row, a day...
      const uint64_t value = random() % 3 == 0 ? random() : random() % 16 - 2;
      bytes.replace(at, std::min<size_t>(8, bytes.size() - at),
                    std::string(reinterpret_cast<const char*>(&value), 8));
      break;
    }
    default: // bytes inserted
      bytes.insert(at, std::string(1 + random() % 9, static_cast<char>(random())));
      break;
    }
    const bool reseal = i % 3 == 0;
    if (reseal)
      sealColumnCache(bytes);
    if (bytes == original)
      continue; // a value written over itself
    write(path, bytes);
    SCOPED_TRACE(fmt::format("mutation {} (resealed: {})", i, reseal));
    if (!reseal) {
      EXPECT_FALSE(cacheIsUsed(schema));
      EXPECT_EQ(describe(loadTables(all, cached())), uncached);
      continue;
    }
    ++resealed;
    if (cacheIsUsed(schema))
      ++resealedUsed;
    const LoadResult result = loadTables(all, cached());
    ASSERT_EQ(result.tables.size(), 2u);
    const Table& loaded = result.tables[1];
    for (size_t row = 0; row < loaded.rowCount; ++row)
      if (loaded.columns[0].isValid(row))
        EXPECT_LT(static_cast<size_t>(loaded.columns[0].rows[row]), result.tables[0].rowCount);
  }
  // Some resealed mutations change only a value the checks cannot know (a minute count): that
  // is what the content key and checksum are for, and why they come first.
  std::printf("resealed mutations used: %zu of %zu\n", resealedUsed, resealed);
}

TEST_F(ColumnCacheTest, ChangedFileIsParsedAgain) {
  ASSERT_TRUE(loadTables(schemas(), cached()).ok);
  write(calls, "rep,day,kind,minutes\nR1,2017-01-02,email,5\n"); // size and mtime change
  EXPECT_EQ(kinds(loadTables(schemas(), cached())), "email;");
  // Same size, new mtime.
  rewriteKeepingStat(calls, "rep,day,kind,minutes\nR2,2017-01-02,meets,5\n");
  struct stat info {};
  ASSERT_EQ(stat(calls.c_str(), &info), 0);
  timespec times[2] = {info.st_atim, info.st_mtim};
  times[1].tv_nsec = (times[1].tv_nsec + 1) % 1'000'000'000;
  ASSERT_EQ(utimensat(AT_FDCWD, calls.c_str(), times, 0), 0);
  EXPECT_EQ(kinds(loadTables(schemas(), cached())), "meets;");
}

TEST_F(ColumnCacheTest, ChangedSchemaIsParsedAgain) {
  ASSERT_TRUE(loadTables(schemas(), cached()).ok);
  rewriteKeepingStat(calls, "rep,day,kind,minutes\nR1,2017-01-02,DIAL,5\nR2,2017-01-03,DEMO,\n");
  const LoadResult result = loadTables(schemas(false), cached()); // minutes now required
  EXPECT_FALSE(result.ok);
  EXPECT_EQ(result.issues.size(), 1u);
}

TEST_F(ColumnCacheTest, CorruptOrTruncatedCacheIsIgnored) {
  ASSERT_TRUE(loadTables(schemas(), cached()).ok);
  const std::string cache = calls + ".fulcrum-cache";
  std::string bytes;
  {
    std::ifstream in(cache, std::ios::binary);
    bytes.assign(std::istreambuf_iterator<char>(in), {});
  }
  rewriteKeepingStat(calls, "rep,day,kind,minutes\nR1,2017-01-02,DIAL,5\nR2,2017-01-03,DEMO,\n");
  for (size_t cut = 0; cut < bytes.size(); cut += 7) {
    write(cache, bytes.substr(0, cut));
    ASSERT_EQ(kinds(loadTables(schemas(), cached())), "DIAL;DEMO;") << cut;
    write(cache, bytes);
    std::string flipped = bytes;
    flipped[cut] = static_cast<char>(flipped[cut] ^ 0x5A);
    write(cache, flipped);
    ASSERT_EQ(kinds(loadTables(schemas(), cached())), "DIAL;DEMO;") << cut; // the checksum
  }
}

TEST_F(ColumnCacheTest, ReadOnlyDirectoryIsSkipped) {
  LoadOptions options = cached();
  options.cacheDir = dir + "missing/dir";
  const LoadResult result = loadTables(schemas(), options);
  EXPECT_TRUE(result.ok);
  EXPECT_EQ(kinds(result), "dial;demo;");
}

// A data path that is a FIFO has no cache key, and is not even opened: opening it for reading
// would let a writer blocked on opening it go on (and write to a reader that is gone).
TEST_F(ColumnCacheTest, AFifoDataPathIsNotOpened) {
  const std::string fifo = dir + "fifo.csv";
  ASSERT_EQ(mkfifo(fifo.c_str(), 0600), 0);
  std::atomic<bool> writerOpened{false};
  std::thread writer([&] {
    const int fd = ::open(fifo.c_str(), O_WRONLY | O_CLOEXEC); // blocks until a reader opens
    writerOpened = true;
    if (fd >= 0)
      ::close(fd);
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(200)); // the writer is in open()
  TableSchema schema;
  schema.name = "rep";
  schema.path = fifo;
  EXPECT_FALSE(cacheKeyFor(schema, true));
  EXPECT_FALSE(cacheKeyFor(schema, false));
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  EXPECT_FALSE(writerOpened.load());
  const int reader = ::open(fifo.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC); // lets it go
  writer.join();
  if (reader >= 0)
    ::close(reader);
}

} // namespace
} // namespace fulcrum::runtime
