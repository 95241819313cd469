// `--memory-limit`: sizes as written and shown, the loader's budget (a row past it is a fatal
// issue at its line, on one thread or many), and the CSV reader keeping nothing per field past the
// header's count.
#include "TempPaths.h"
#include "runtime/data/CsvReader.h"
#include "runtime/data/Loader.h"
#include "runtime/data/MemoryBudget.h"
#include "support/MemorySize.h"

#include <cstdio>
#include <fstream>
#include <gtest/gtest.h>
#include <string>

namespace fulcrum::runtime {
namespace {

TEST(MemorySize, ParsesBinaryUnits) {
  EXPECT_EQ(parseMemorySize("512"), 512u);
  EXPECT_EQ(parseMemorySize("64K"), 64u << 10);
  EXPECT_EQ(parseMemorySize("512M"), 512u << 20);
  EXPECT_EQ(parseMemorySize("512MiB"), 512u << 20);
  EXPECT_EQ(parseMemorySize("512mb"), 512u << 20);
  EXPECT_EQ(parseMemorySize("4G"), size_t{4} << 30);
  EXPECT_EQ(parseMemorySize("2T"), size_t{2} << 40);
  for (const char* bad : {"", "0", "0M", "M", "-1G", "1.5G", "12X", "4 G", "4GG", "99999999999T"})
    EXPECT_FALSE(parseMemorySize(bad)) << bad;
}

TEST(MemorySize, ShowsTheLargestUnit) {
  EXPECT_EQ(formatMemorySize(1), "1 byte");
  EXPECT_EQ(formatMemorySize(800), "800 bytes");
  EXPECT_EQ(formatMemorySize(256 << 10), "256 KiB");
  EXPECT_EQ(formatMemorySize(512 << 20), "512 MiB");
  EXPECT_EQ(formatMemorySize(size_t{3} << 29), "1.5 GiB");
  EXPECT_GT(defaultMemoryLimit(), size_t{0});
}

TEST(MemoryBudget, TakesUpToTheLimit) {
  MemoryBudget budget(100);
  EXPECT_TRUE(budget.take(60));
  EXPECT_FALSE(budget.take(41));
  EXPECT_EQ(budget.left(), 40u);
  EXPECT_TRUE(budget.take(40));
  EXPECT_FALSE(budget.take(1));
}

TableSchema repSchema(const std::string& path) {
  return TableSchema{"rep",
                     path,
                     true,
                     0,
                     {FieldSchema{"name", "name", ValueKind::Text, false, "", ""},
                      FieldSchema{"quota", "quota", ValueKind::Number, false, "money", ""}}};
}

std::string writeReps(size_t rows) {
  const std::string path = tempPath(currentTestName() + ".csv");
  std::ofstream out(path, std::ios::binary);
  out << "name,quota\n";
  for (size_t i = 0; i < rows; ++i)
    out << "rep" << i << "," << 1000 + i << "\n";
  return path;
}

TEST(MemoryBudget, StopsTheLoadAtTheFirstRowItCannotPayFor) {
  const std::string path = writeReps(5000);
  LoadOptions roomy;
  roomy.memoryLimit = size_t{64} << 20;
  const LoadResult loaded = loadTables({repSchema(path)}, roomy);
  ASSERT_TRUE(loaded.ok);
  EXPECT_EQ(loaded.tables[0].rowCount, 5000u);

  for (unsigned threads : {1u, 4u}) {
    LoadOptions tight;
    tight.memoryLimit = size_t{32} << 10;
    tight.threads = threads;
    tight.minBytesPerRange = 1024; // several ranges, on threads, drawing on one budget
    const LoadResult stopped = loadTables({repSchema(path)}, tight);
    EXPECT_FALSE(stopped.ok);
    ASSERT_EQ(stopped.issues.size(), 1u) << threads;
    const LoadIssue& issue = stopped.issues[0];
    EXPECT_TRUE(issue.fatal);
    EXPECT_EQ(issue.message, "row needs more than the memory limit allows (--memory-limit 32 KiB)");
    // 32 KiB pays for a few hundred rows of ~70 estimated bytes, never for all of them.
    EXPECT_GT(issue.line, 2u);
    EXPECT_LT(issue.line, 5002u);
    EXPECT_EQ(stopped.tables[0].rowCount, 0u); // nothing of the file loads
  }
  std::remove(path.c_str());
}

TEST(CsvReaderBounds, KeepsOneFieldPastTheHeaderAndCountsTheRest) {
  const std::string text = "a,b\n" + std::string(100000, ',') + "\n";
  CsvReader reader(text);
  CsvRecord record;
  ASSERT_TRUE(reader.next(record)); // the header keeps all of its fields
  ASSERT_TRUE(reader.next(record));
  EXPECT_EQ(record.fields.size(), 3u);
  ASSERT_EQ(record.errors.size(), 1u);
  EXPECT_NE(record.errors[0].message.find("expected 2 fields as in the header, found 100001"),
            std::string::npos)
      << record.errors[0].message;
  EXPECT_EQ(record.errors[0].column, 3u); // the first extra field
}

} // namespace
} // namespace fulcrum::runtime
