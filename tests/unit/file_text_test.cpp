// FileText never trusts a file to hold still (issue 28): a regular file is copied with pread and
// checked for changes (a change is simulated at fixed points with FileText::testHook, since a real
// race is not deterministic; tests/e2e/changing_file_test.py races for real), a pipe is read to a
// limit, anything else is refused; released pages are read again for the loader's messages.
#include "TempPaths.h"
#include "runtime/data/FileText.h"
#include "runtime/data/Loader.h"

#include <algorithm>
#include <atomic>
#include <csignal>
#include <cstdio>
#include <fcntl.h>
#include <fstream>
#include <gtest/gtest.h>
#include <iterator>
#include <pthread.h>
#include <string>
#include <sys/stat.h>
#include <thread>
#include <unistd.h>

namespace fulcrum::runtime {
namespace {

void write(const std::string& path, const std::string& text) {
  std::ofstream(path, std::ios::binary | std::ios::trunc) << text;
}

// Lines "<prefix><i>,<i>", `bytes` long at least.
std::string numberedRows(size_t bytes, const std::string& prefix = "k") {
  std::string text;
  for (size_t i = 0; text.size() < bytes; ++i)
    text += prefix + std::to_string(i) + "," + std::to_string(i) + "\n";
  return text;
}

// A header and numbered rows, `bytes` long at least.
std::string numberedLines(size_t bytes) {
  return "key,value\n" + numberedRows(bytes);
}

// What the hook does, set per test (the hook is a plain function pointer).
std::string hookPath;
int hookStage = -1;
void (*hookAction)(const std::string& path) = nullptr;

void runHook(const std::string& path, int stage) {
  if (stage == hookStage && path == hookPath && hookAction)
    hookAction(path);
}

class FileTextTest : public ::testing::Test {
protected:
  const std::string path = tempPath("filetext_" + currentTestName() + ".csv");
  const std::string other = tempPath("filetext_" + currentTestName() + "_other.csv");

  void TearDown() override {
    FileText::testHook = nullptr;
    hookAction = nullptr;
    std::remove(path.c_str());
    std::remove(other.c_str());
  }

  // Opens `path` with `action` run at `stage` (0: opened, 1: read); the error it gives.
  FileTextError openChangedAt(int stage, void (*action)(const std::string&)) {
    hookPath = path;
    hookStage = stage;
    hookAction = action;
    FileText::testHook = runHook;
    FileText file;
    FileTextError error;
    EXPECT_FALSE(file.open(path, error));
    EXPECT_TRUE(file.text().empty());
    return error;
  }
};

TEST_F(FileTextTest, ReadsARegularFileWhole) {
  const std::string text = numberedLines(1 << 20);
  write(path, text);
  FileText file;
  FileTextError error;
  ASSERT_TRUE(file.open(path, error)) << error.message;
  EXPECT_EQ(file.text(), text);
}

TEST_F(FileTextTest, AnEmptyFileIsEmptyText) {
  write(path, "");
  FileText file;
  FileTextError error;
  ASSERT_TRUE(file.open(path, error)) << error.message;
  EXPECT_TRUE(file.text().empty());
}

TEST_F(FileTextTest, ReleasedPagesReadAsTheFileAgainAfterRestore) {
  const std::string text = numberedLines(1 << 20);
  write(path, text);
  FileText file;
  FileTextError error;
  ASSERT_TRUE(file.open(path, error)) << error.message;
  file.release(0, text.size());
  EXPECT_NE(file.text(), text); // anonymous pages given back read as zeros
  ASSERT_TRUE(file.restore(error)) << error.message;
  EXPECT_EQ(file.text(), text);
}

// Read on demand, range by range as the loader does (64 MiB ranges over 2 threads, here 3 MiB
// ranges over a 40 MiB file): the whole huge pages a parsed range gives back are moved under the
// next range's bytes instead of fresh pages, and every range still reads exactly the file's bytes,
// in any order, on two threads at once; what no range took is given back, and restore() reads
// the whole file again.
TEST_F(FileTextTest, ReleasedHugePagesAreReusedForTheNextRangesBytes) {
  const std::string text = numberedLines(40 << 20);
  write(path, text);
  FileText file;
  FileTextError error;
  ASSERT_TRUE(file.open(path, error, FileText::Reading::OnDemand)) << error.message;
  const size_t rangeBytes = (size_t{3} << 20) + 12345; // ranges that do not start on a page
  std::vector<std::pair<size_t, size_t>> ranges;
  for (size_t at = 0; at < text.size(); at += rangeBytes)
    ranges.emplace_back(at, std::min(text.size(), at + rangeBytes));
  std::atomic<size_t> next{0}, wrong{0};
  auto work = [&] {
    for (size_t k = next++; k < ranges.size(); k = next++) {
      const auto [begin, end] = ranges[k];
      FileTextError failure;
      if (!file.fill(begin, end, failure)) {
        ++wrong;
        continue;
      }
      if (file.text().substr(begin, end - begin) !=
          std::string_view(text).substr(begin, end - begin))
        ++wrong;
      file.release(begin, end);
    }
  };
  std::thread other(work);
  work();
  other.join();
  EXPECT_EQ(wrong.load(), 0u);
  // Ranges after the first found huge pages kept for them (each range holds one or two whole).
  EXPECT_GE(file.recycledBytes(), size_t{4} << 21);
  file.dropSpare();
  ASSERT_TRUE(file.restore(error)) << error.message;
  EXPECT_EQ(file.text(), text);
}

TEST_F(FileTextTest, RestoreOfAFileChangedSinceIsAChange) {
  write(path, numberedLines(1 << 20));
  FileText file;
  FileTextError error;
  ASSERT_TRUE(file.open(path, error)) << error.message;
  file.release(0, file.text().size());
  std::ofstream(path, std::ios::binary | std::ios::app) << "k,1\n";
  EXPECT_FALSE(file.restore(error));
  EXPECT_EQ(error.kind, FileTextError::Kind::Changed);
  EXPECT_NE(error.message.find("grew past"), std::string::npos) << error.message;
}

TEST_F(FileTextTest, AFileCutShortWhileReadIsAChange) {
  write(path, numberedLines(100000));
  const FileTextError error =
      openChangedAt(0, [](const std::string& p) { ASSERT_EQ(::truncate(p.c_str(), 5000), 0); });
  EXPECT_EQ(error.kind, FileTextError::Kind::Changed);
  EXPECT_NE(error.message.find("it ended after 5000 of the"), std::string::npos) << error.message;
}

TEST_F(FileTextTest, AFileGrowingWhileReadIsAChange) {
  write(path, numberedLines(100000));
  const FileTextError error = openChangedAt(0, [](const std::string& p) {
    std::ofstream(p, std::ios::binary | std::ios::app) << "k,1\n";
  });
  EXPECT_EQ(error.kind, FileTextError::Kind::Changed);
  EXPECT_NE(error.message.find("grew past the"), std::string::npos) << error.message;
}

// Rewrites the file at `p` to its own size, changing a byte, with a modification time a second
// later: the clock may not have ticked since the file was opened (it counts in jiffies), which
// the check cannot see, and the tests are about the check.
void rewriteLater(const std::string& p) {
  struct stat info {};
  ASSERT_EQ(::stat(p.c_str(), &info), 0);
  std::ifstream in(p, std::ios::binary);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  text[12] = text[12] == 'x' ? 'y' : 'x';
  write(p, text);
  struct timespec times[2] = {info.st_atim, info.st_mtim};
  times[1].tv_sec += 1;
  ASSERT_EQ(::utimensat(AT_FDCWD, p.c_str(), times, 0), 0);
}

TEST_F(FileTextTest, AFileRewrittenToTheSameSizeIsAChange) {
  write(path, numberedLines(100000));
  const FileTextError error = openChangedAt(1, rewriteLater);
  EXPECT_EQ(error.kind, FileTextError::Kind::Changed);
  EXPECT_EQ(error.message, "it was written to: its modification time changed");
}

TEST_F(FileTextTest, AFileReplacedWhileReadIsAChange) {
  write(path, numberedLines(100000));
  write(other, numberedLines(100000));
  const FileTextError error = openChangedAt(1, [](const std::string& p) {
    ASSERT_EQ(std::rename((p.substr(0, p.size() - 4) + "_other.csv").c_str(), p.c_str()), 0);
  });
  EXPECT_EQ(error.kind, FileTextError::Kind::Changed);
  EXPECT_EQ(error.message, "another file was put in its place");
}

TEST_F(FileTextTest, AFileRemovedWhileReadIsAChange) {
  write(path, numberedLines(100000));
  const FileTextError error =
      openChangedAt(1, [](const std::string& p) { ASSERT_EQ(std::remove(p.c_str()), 0); });
  EXPECT_EQ(error.kind, FileTextError::Kind::Changed);
  EXPECT_EQ(error.message, "it can no longer be found: No such file or directory");
}

TEST_F(FileTextTest, AnUnchangedFilePassesTheHooks) {
  const std::string text = numberedLines(100000);
  write(path, text);
  hookPath = path;
  hookStage = 1;
  hookAction = [](const std::string&) {};
  FileText::testHook = runHook;
  FileText file;
  FileTextError error;
  ASSERT_TRUE(file.open(path, error)) << error.message;
  EXPECT_EQ(file.text(), text);
}

// Writes `bytes` bytes into the FIFO at `path` on a thread; a reader that stops early makes the
// write fail with EPIPE (SIGPIPE is blocked on that thread) instead of killing the test.
std::thread fifoWriter(const std::string& path, size_t bytes) {
  return std::thread([path, bytes] {
    sigset_t pipeSignal;
    sigemptyset(&pipeSignal);
    sigaddset(&pipeSignal, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &pipeSignal, nullptr);
    std::FILE* out = std::fopen(path.c_str(), "wb");
    if (!out)
      return;
    const std::string text = numberedLines(bytes).substr(0, bytes);
    std::fwrite(text.data(), 1, text.size(), out);
    std::fclose(out);
  });
}

TEST_F(FileTextTest, ReadsAFifoWrittenByAThread) {
  ASSERT_EQ(::mkfifo(path.c_str(), 0600), 0);
  std::thread writer = fifoWriter(path, 300000);
  FileText file;
  FileTextError error;
  const bool opened = file.open(path, error, FileText::Reading::Whole, 300000);
  writer.join();
  ASSERT_TRUE(opened) << error.message;
  EXPECT_EQ(file.text(), numberedLines(300000).substr(0, 300000));
}

TEST_F(FileTextTest, AFifoPastTheLimitIsRefused) {
  ASSERT_EQ(::mkfifo(path.c_str(), 0600), 0);
  std::thread writer = fifoWriter(path, 300001);
  FileText file;
  FileTextError error;
  const bool opened = file.open(path, error, FileText::Reading::Whole, 300000);
  file = FileText(); // closes the pipe, so the writer stops
  writer.join();
  EXPECT_FALSE(opened);
  EXPECT_EQ(error.kind, FileTextError::Kind::Unreadable);
  EXPECT_EQ(error.message, "it gives more than 300000 bytes, the most read from a pipe or a file "
                           "of unknown size: write the data to a regular file");
}

TEST_F(FileTextTest, DevZeroIsRefused) {
  FileText file;
  FileTextError error;
  EXPECT_FALSE(file.open("/dev/zero", error));
  EXPECT_EQ(error.kind, FileTextError::Kind::Unreadable);
  EXPECT_EQ(error.message, "not a regular file or a pipe (it is a character device)");
}

TEST_F(FileTextTest, ADirectoryIsRefused) {
  FileText file;
  FileTextError error;
  EXPECT_FALSE(file.open(::testing::TempDir(), error));
  EXPECT_EQ(error.message, "not a regular file or a pipe (it is a directory)");
}

TEST_F(FileTextTest, AMissingFileSaysSo) {
  FileText file;
  FileTextError error;
  EXPECT_FALSE(file.open(path, error));
  EXPECT_EQ(error.message, "No such file or directory");
}

// The loader's side: a change is a fatal issue naming the table and the file.
TableSchema keyValueSchema(const std::string& path) {
  return TableSchema{"item",
                     path,
                     true,
                     0,
                     {FieldSchema{"key", "key", ValueKind::Text, false, "text", ""},
                      FieldSchema{"value", "value", ValueKind::Number, false, "count", ""}}};
}

TEST_F(FileTextTest, TheLoaderReportsAChangeAsAFatalIssue) {
  const std::string text = numberedLines(100000);
  write(path, text);
  hookPath = path;
  hookStage = 0;
  hookAction = [](const std::string& p) { ASSERT_EQ(::truncate(p.c_str(), 100), 0); };
  FileText::testHook = runHook;
  const LoadResult result = loadTables({keyValueSchema(path)}, LoadOptions{});
  EXPECT_FALSE(result.ok);
  ASSERT_EQ(result.issues.size(), 1u);
  EXPECT_TRUE(result.issues[0].fatal);
  EXPECT_EQ(formatIssue(result.issues[0]),
            path + ": error: the file of item changed while it was being read (it ended after " +
                "100 of the " + std::to_string(text.size()) +
                " bytes it had when it was opened): nothing of it is loaded; " +
                "load it again once it is completely written");
  ASSERT_EQ(result.tables.size(), 1u);
  EXPECT_EQ(result.tables[0].rowCount, 0u);
}

// The last check, once every range is parsed: a rewrite of the same size is caught by its time.
TEST_F(FileTextTest, TheLoaderChecksTheFileOnceParsed) {
  const std::string text = numberedLines(6 << 20);
  write(path, text);
  hookPath = path;
  hookStage = 1;
  hookAction = rewriteLater;
  FileText::testHook = runHook;
  LoadOptions options;
  options.threads = 2;
  const LoadResult result = loadTables({keyValueSchema(path)}, options);
  EXPECT_FALSE(result.ok);
  ASSERT_EQ(result.issues.size(), 1u);
  EXPECT_EQ(result.issues[0].message,
            "the file of item changed while it was being read (it was written to: its "
            "modification time changed): nothing of it is loaded; load it again once it is "
            "completely written");
  EXPECT_EQ(result.tables[0].rowCount, 0u);
}

// Messages read rows again after parsing gave the pages back: they show the file's text, not
// the zeros of released pages, on one thread and on two.
TEST_F(FileTextTest, MessagesAfterParsingShowTheFileAgain) {
  std::string text = numberedLines(6 << 20);
  const std::string line = std::to_string(std::count(text.begin(), text.end(), '\n') + 1);
  text += "k7,duplicate\nk3,1\n";
  write(path, text);
  const std::string expected =
      path + ":" + line + ":1: error: duplicate key `k7` in `key`: the first item row with it " +
      "is at line 9 `k7`\n" + path + ":" + line +
      ":4: error: `value`: expected a whole number (like 42), found `duplicate` `duplicate`\n" +
      path + ":" + std::to_string(std::stoi(line) + 1) +
      ":1: error: duplicate key `k3` in `key`: the first item row with it is at line 5 `k3`\n";
  for (unsigned threads : {1u, 2u}) {
    LoadOptions options;
    options.threads = threads;
    options.minBytesPerRange = 1 << 20;
    const LoadResult result = loadTables({keyValueSchema(path)}, options);
    std::string shown;
    for (const LoadIssue& issue : result.issues)
      shown += formatIssue(issue) + " `" + issue.value + "`\n";
    EXPECT_EQ(shown, expected) << threads << " threads";
  }
}

// A stray quote early on makes the split start a range inside a quoted field; the body is then
// parsed again in one range, from the file's bytes read again: the same as one thread gives.
TEST_F(FileTextTest, AFooledSplitParsesTheFileAgain) {
  // The middle of the body, where the split looks first, is before the quoted line break.
  const std::string text = "key,value\nstray\"quote,1\n" + numberedRows(3 << 20, "a") +
                           "\"multi\nline\",2\n" + numberedRows((3 << 20) - (64 << 10), "b");
  write(path, text);
  auto load = [&](unsigned threads) {
    LoadOptions options;
    options.threads = threads;
    options.minBytesPerRange = 1 << 20;
    options.skipBadRows = true;
    const LoadResult result = loadTables({keyValueSchema(path)}, options);
    std::string shown = std::to_string(result.tables[0].rowCount) + " rows\n";
    for (const LoadIssue& issue : result.issues)
      shown += formatIssue(issue) + " `" + issue.value + "`\n";
    return shown;
  };
  const std::string one = load(1);
  EXPECT_EQ(one, "444693 rows\n"); // every record loads: a quote inside a field is text
  EXPECT_EQ(load(2), one);
}

} // namespace
} // namespace fulcrum::runtime
