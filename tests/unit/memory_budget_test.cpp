// `--memory-limit`: sizes as written and shown, the loader's budget (rows past it are a fatal
// issue of the file, the same on one thread or many; a re-parse is not charged twice), and the CSV
// reader keeping nothing per field past the header's count.
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
  EXPECT_EQ(parseMemorySize("5b"), 5u);
  for (const char* bad :
       {"", "0", "0M", "M", "-1G", "1.5G", "12X", "4 G", "4GG", "99999999999T", "5bb", "5kbb"})
    EXPECT_FALSE(parseMemorySize(bad)) << bad;
}

TEST(MemorySize, ShowsTheLargestUnit) {
  EXPECT_EQ(formatMemorySize(1), "1 byte");
  EXPECT_EQ(formatMemorySize(800), "800 bytes");
  EXPECT_EQ(formatMemorySize(256 << 10), "256 KiB");
  EXPECT_EQ(formatMemorySize(512 << 20), "512 MiB");
  EXPECT_EQ(formatMemorySize(size_t{3} << 29), "1.5 GiB");
  // Rounded to one decimal, a size just under a unit is that unit, not `1024.0 KiB`.
  EXPECT_EQ(formatMemorySize((size_t{1} << 20) - 1), "1 MiB");
  EXPECT_EQ(formatMemorySize((size_t{1} << 30) - 1000), "1 GiB");
  EXPECT_EQ(formatMemorySize(1023 * 1024 + 1000), "1 MiB");
  EXPECT_EQ(formatMemorySize(1023 * 1024), "1023 KiB");
  EXPECT_GT(defaultMemoryLimit(), size_t{0});
}

TEST(MemoryBudget, TakesUpToTheLimit) {
  MemoryBudget budget(100);
  EXPECT_TRUE(budget.take(60));
  EXPECT_FALSE(budget.take(41));
  EXPECT_EQ(budget.left(), 40u);
  EXPECT_TRUE(budget.take(40));
  EXPECT_FALSE(budget.take(1));
  budget.give(30);
  EXPECT_EQ(budget.left(), 30u);
  EXPECT_TRUE(budget.take(30));
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

TEST(MemoryBudget, StopsTheLoadTheSameWayForAnyThreadCount) {
  const std::string path = writeReps(5000);
  LoadOptions roomy;
  roomy.memoryLimit = size_t{64} << 20;
  const LoadResult loaded = loadTables({repSchema(path)}, roomy);
  ASSERT_TRUE(loaded.ok);
  EXPECT_EQ(loaded.tables[0].rowCount, 5000u);

  // Threads draw on one budget in whatever order they run: which range stops first is timing,
  // so the issue names the file and the limit, not a line, and no row counts as found or
  // rejected. Run several times: a timing-dependent result would show as a difference.
  for (int round = 0; round < 5; ++round) {
    for (unsigned threads : {1u, 2u, 4u}) {
      LoadOptions tight;
      tight.memoryLimit = size_t{32} << 10;
      tight.threads = threads;
      tight.minBytesPerRange = 1024; // several ranges, on threads, drawing on one budget
      const LoadResult stopped = loadTables({repSchema(path)}, tight);
      EXPECT_FALSE(stopped.ok);
      ASSERT_EQ(stopped.issues.size(), 1u) << threads;
      EXPECT_EQ(formatIssue(stopped.issues[0]),
                path + ": error: the rows of rep need more than the memory limit allows "
                       "(--memory-limit 32 KiB); nothing of the file is loaded")
          << threads;
      EXPECT_TRUE(stopped.issues[0].fatal);
      EXPECT_EQ(stopped.tables[0].rowCount, 0u); // nothing of the file loads
      ASSERT_EQ(stopped.summaries.size(), 1u);
      EXPECT_EQ(stopped.summaries[0].rejected, 0u);
      EXPECT_EQ(formatSummary(stopped.summaries[0]),
                "rep: not loaded, stopped at the memory limit");
    }
  }
  std::remove(path.c_str());
}

// Ranges pay the budget from chunks (BudgetAllowance): a range can find the budget spent while
// another holds an unused chunk, so a load that stops after taking chunks is parsed again paying
// row by row. Whether a file fits is then the same on any thread count, also within a chunk of
// the limit: the least limit the file loads under on one thread loads it on 2 and 4 threads
// (rows distinct, so every split costs the same), and 2 KiB less loads it on none.
TEST(MemoryBudget, FitsTheSameWayForAnyThreadCountNearTheLimit) {
  const std::string path = writeReps(20000);
  auto loads = [&](size_t limit, unsigned threads) {
    LoadOptions options;
    options.memoryLimit = limit;
    options.threads = threads;
    options.minBytesPerRange = 16 << 10;
    const LoadResult result = loadTables({repSchema(path)}, options);
    return result.ok && result.tables[0].rowCount == 20000u;
  };
  size_t low = 1 << 10, high = size_t{64} << 20;
  while (high - low > 1024) {
    const size_t mid = low + (high - low) / 2;
    (loads(mid, 1) ? high : low) = mid;
  }
  ASSERT_GT(high, 4 * BudgetAllowance::kChunk); // chunks are taken: the case under test
  for (int round = 0; round < 3; ++round)
    for (unsigned threads : {1u, 2u, 4u}) {
      EXPECT_TRUE(loads(high, threads)) << threads << " threads at " << high;
      EXPECT_FALSE(loads(high - 2048, threads)) << threads << " threads at " << high - 2048;
    }
  std::remove(path.c_str());
}

// Rows of `name,note`, each note a quoted cell with a line break, one row with `24" monitor`
// (a quote in an unquoted cell: data) when `strayQuote`, else `24in monitor` (as long).
std::string writeNotes(const std::string& name, bool strayQuote) {
  const std::string path = tempPath(currentTestName() + name + ".csv");
  std::ofstream out(path, std::ios::binary);
  out << "name,note\n";
  out << "rep0," << (strayQuote ? "24\" monitor" : "24in monitor") << "\n";
  for (size_t i = 1; i < 4000; ++i)
    out << "rep" << i << ",\"line one\nline two of " << i << "\"\n";
  return path;
}

TableSchema noteSchema(const std::string& path) {
  return TableSchema{"rep",
                     path,
                     true,
                     0,
                     {FieldSchema{"name", "name", ValueKind::Text, false, "", ""},
                      FieldSchema{"note", "note", ValueKind::Text, false, "", ""}}};
}

LoadOptions limited(size_t limit) {
  LoadOptions options;
  options.memoryLimit = limit;
  options.threads = 4;
  options.minBytesPerRange = 4096; // the stray quote makes the split guess wrong: a re-parse
  return options;
}

// A split that guessed wrong re-parses the body in one range; what the discarded ranges took
// from the budget goes back first, so the file with the stray quote needs no more than the same
// file without it.
TEST(MemoryBudget, AReparseIsNotChargedTwice) {
  const std::string plain = writeNotes("plain", false), stray = writeNotes("stray", true);
  ASSERT_TRUE(loadTables({noteSchema(stray)}, limited(size_t{64} << 20)).ok);
  // The least limit (to 1 KiB) the plain file loads under.
  size_t low = 1 << 10, high = size_t{64} << 20;
  while (high - low > 1024) {
    const size_t mid = low + (high - low) / 2;
    (loadTables({noteSchema(plain)}, limited(mid)).ok ? high : low) = mid;
  }
  // Some slack: one range's dictionary differs from four ranges' dictionaries.
  const LoadResult loaded = loadTables({noteSchema(stray)}, limited(high + high / 10));
  EXPECT_TRUE(loaded.ok) << "plain file loads under " << high << " bytes; "
                         << (loaded.issues.empty() ? "" : formatIssue(loaded.issues[0]));
  EXPECT_EQ(loaded.tables[0].rowCount, 4000u); // the re-parse read every record whole
  std::remove(plain.c_str());
  std::remove(stray.c_str());
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
