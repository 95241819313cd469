// The column cache: a hit gives the cached table (even if the file's bytes changed behind an
// unchanged size and mtime), a changed file or schema re-parses, a bad cache is ignored, and
// references from a cached table still resolve against the other tables of the load.
#include "TempPaths.h"
#include "runtime/data/ColumnCache.h"
#include "runtime/data/Loader.h"

#include <cstdio>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <string>
#include <sys/stat.h>

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

  static LoadOptions cached() {
    LoadOptions options;
    options.columnCache = true;
    return options;
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
  const LoadResult first = loadTables(schemas(), cached());
  ASSERT_TRUE(first.ok);
  EXPECT_TRUE(std::filesystem::exists(calls + ".fulcrum-cache"));
  // Same size and mtime: the cache is trusted, so the old text shows.
  rewriteKeepingStat(calls, "rep,day,kind,minutes\nR1,2017-01-02,DIAL,5\nR2,2017-01-03,DEMO,\n");
  const LoadResult second = loadTables(schemas(), cached());
  ASSERT_TRUE(second.ok);
  EXPECT_EQ(kinds(second), "dial;demo;");
  const Table* table = second.table("calls");
  ASSERT_NE(table, nullptr);
  EXPECT_EQ(table->columns[0].rows, (std::vector<int32_t>{0, 1}));
  EXPECT_EQ(table->lines, (std::vector<uint32_t>{2, 3}));
  EXPECT_FALSE(table->columns[3].isValid(1));
  // Without the cache the file is parsed.
  EXPECT_EQ(kinds(loadTables(schemas(), {})), "DIAL;DEMO;");
}

TEST_F(ColumnCacheTest, ChangedFileIsParsedAgain) {
  ASSERT_TRUE(loadTables(schemas(), cached()).ok);
  write(calls, "rep,day,kind,minutes\nR1,2017-01-02,email,5\n"); // size and mtime change
  EXPECT_EQ(kinds(loadTables(schemas(), cached())), "email;");
  // Same size, new mtime.
  rewriteKeepingStat(calls, "rep,day,kind,minutes\nR2,2017-01-02,meets,5\n");
  EXPECT_EQ(kinds(loadTables(schemas(), cached())), "email;");
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
    const LoadResult result = loadTables(schemas(), cached()); // must not crash
    EXPECT_EQ(result.tables.size(), 2u);
  }
}

TEST_F(ColumnCacheTest, ReadOnlyDirectoryIsSkipped) {
  LoadOptions options = cached();
  options.cacheDir = dir + "missing/dir";
  const LoadResult result = loadTables(schemas(), options);
  EXPECT_TRUE(result.ok);
  EXPECT_EQ(kinds(result), "dial;demo;");
}

} // namespace
} // namespace fulcrum::runtime
