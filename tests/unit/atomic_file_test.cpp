// support/AtomicFile.h: all or nothing. An abandoned write leaves the old file and no temporary
// one; a committed one replaces it whole; a cache's file never opens a FIFO or follows a link
// planted at its name; an output that is a device is written in place and its failure reported.
#include "support/AtomicFile.h"

#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

namespace fulcrum {
namespace {

struct Folder {
  std::filesystem::path path = std::filesystem::temp_directory_path() /
                               ("fulcrum-atomic-" + std::to_string(getpid()) + "-" +
                                ::testing::UnitTest::GetInstance()->current_test_info()->name());
  Folder() {
    std::filesystem::remove_all(path);
    std::filesystem::create_directories(path);
  }
  ~Folder() { std::filesystem::remove_all(path); }
  std::string file(const char* name) const { return (path / name).string(); }
  size_t entries() const {
    return static_cast<size_t>(std::distance(std::filesystem::directory_iterator(path), {}));
  }
};

std::string contents(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

TEST(AtomicFile, AnAbandonedWriteLeavesTheOldFile) {
  Folder folder;
  std::ofstream(folder.file("out.csv")) << "old";
  {
    AtomicFile file(folder.file("out.csv"), AtomicFile::Access::Output);
    ASSERT_NE(file.stream(), nullptr);
    std::fputs("new, but never committed", file.stream());
  }
  EXPECT_EQ(contents(folder.file("out.csv")), "old");
  EXPECT_EQ(folder.entries(), 1u); // no temporary file left behind
}

TEST(AtomicFile, ACommittedWriteReplacesTheFileWhole) {
  Folder folder;
  std::ofstream(folder.file("out.csv")) << std::string(10000, 'x');
  std::string error;
  ASSERT_TRUE(writeFileAtomically(folder.file("out.csv"), "new", AtomicFile::Access::Output, error))
      << error;
  EXPECT_EQ(contents(folder.file("out.csv")), "new");
  EXPECT_EQ(folder.entries(), 1u);
}

TEST(AtomicFile, ACacheFileReplacesAPlantedFifoOrLink) {
  Folder folder;
  ASSERT_EQ(mkfifo(folder.file("fifo.cache").c_str(), 0600), 0);
  std::ofstream(folder.file("victim")) << "precious";
  std::filesystem::create_symlink(folder.file("victim"), folder.file("link.cache"));
  std::string error;
  for (const char* name : {"fifo.cache", "link.cache"}) {
    ASSERT_TRUE(
        writeFileAtomically(folder.file(name), "cache", AtomicFile::Access::SharedCache, error))
        << name << ": " << error;
    EXPECT_EQ(contents(folder.file(name)), "cache") << name;
    EXPECT_TRUE(
        std::filesystem::is_regular_file(std::filesystem::symlink_status(folder.file(name))))
        << name;
  }
  EXPECT_EQ(contents(folder.file("victim")), "precious");
}

TEST(AtomicFile, APrivateCacheFileIsTheUsersAlone) {
  Folder folder;
  std::string error;
  ASSERT_TRUE(
      writeFileAtomically(folder.file("entry"), "x", AtomicFile::Access::PrivateCache, error));
  struct stat info {};
  ASSERT_EQ(stat(folder.file("entry").c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600u);
}

TEST(AtomicFile, AFullDeviceIsAFailureWithItsReason) {
  std::string error;
  EXPECT_FALSE(writeFileAtomically("/dev/full", "bytes", AtomicFile::Access::Output, error));
  EXPECT_NE(error.find("No space left on device"), std::string::npos) << error;
  EXPECT_TRUE(writeFileAtomically("/dev/null", "bytes", AtomicFile::Access::Output, error))
      << error;
}

} // namespace
} // namespace fulcrum
