// The JIT's object cache across builds: the build's identity is the executable's GNU build-id
// (read independently here with readelf), it is part of every key, and an entry written under one
// build's key is found by a later cache on the same folder but never under another build's key.
// And what is on disk is untrusted: an entry copied under another key, a truncated or altered
// one, a FIFO, a link to a device, a planted link at the entry's name, a folder others can write
// or another user owns: each is ignored or refused, never used, never waited on, never followed.
#include "runtime/jit/ObjectCache.h"
#include "support/BuildIdentity.h"

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <llvm/IR/IRBuilder.h>
#include <llvm/IR/LLVMContext.h>
#include <llvm/IR/Module.h>
#include <llvm/Support/MemoryBuffer.h>
#include <regex>
#include <sys/stat.h>
#include <unistd.h>

namespace fulcrum::runtime::jit {
namespace {

// `readelf -n` on this test's own executable: the build-id as the binutils see it.
std::string buildIdFromReadelf() {
  const std::string self = std::filesystem::read_symlink("/proc/self/exe").string();
  std::FILE* pipe = popen(("readelf -n '" + self + "' 2>/dev/null").c_str(), "r");
  if (!pipe)
    return "";
  std::string text;
  char chunk[4096];
  size_t got = 0;
  while ((got = std::fread(chunk, 1, sizeof chunk, pipe)) > 0)
    text.append(chunk, got);
  pclose(pipe);
  std::smatch match;
  return std::regex_search(text, match, std::regex("Build ID: ([0-9a-f]+)")) ? match[1].str() : "";
}

TEST(BuildIdentity, IsTheExecutablesBuildId) {
  const std::string expected = buildIdFromReadelf();
  ASSERT_FALSE(expected.empty()) << "the test binary carries no build-id (-Wl,--build-id)";
  EXPECT_EQ(buildIdentity(), expected);
}

TEST(JitObjectCache, KeyCoversTheBuild) {
  llvm::LLVMContext context;
  llvm::Module module("kernel", context);
  const std::string ours = JitObjectCache::keyFor(module, 2, "x86_64-pc-linux-gnu");
  EXPECT_EQ(ours.size(), 32u);
  EXPECT_EQ(ours, JitObjectCache::keyFor(module, 2, "x86_64-pc-linux-gnu", buildIdentity()));
  EXPECT_NE(ours, JitObjectCache::keyFor(module, 2, "x86_64-pc-linux-gnu", "another build"));
  EXPECT_NE(ours, JitObjectCache::keyFor(module, 1, "x86_64-pc-linux-gnu"));
}

// The key hashes the module's content (as bitcode): one constant changed is another key, the same
// content built again the same key.
TEST(JitObjectCache, KeyCoversTheGeneratedCode) {
  llvm::LLVMContext context;
  auto kernel = [&](double value) {
    auto module = std::make_unique<llvm::Module>("kernel", context);
    auto* type = llvm::FunctionType::get(llvm::Type::getDoubleTy(context), false);
    auto* function =
        llvm::Function::Create(type, llvm::Function::ExternalLinkage, "k", module.get());
    llvm::IRBuilder<> builder(llvm::BasicBlock::Create(context, "entry", function));
    builder.CreateRet(llvm::ConstantFP::get(llvm::Type::getDoubleTy(context), value));
    return JitObjectCache::keyFor(*module, 2, "target");
  };
  EXPECT_EQ(kernel(1.5), kernel(1.5));
  EXPECT_NE(kernel(1.5), kernel(2.5));
}

TEST(JitObjectCache, AnEntryOutlivesItsCacheButNotItsBuild) {
  const std::filesystem::path folder =
      std::filesystem::temp_directory_path() / ("fulcrum-object-cache-" + std::to_string(getpid()));
  std::filesystem::remove_all(folder);
  llvm::LLVMContext context;
  llvm::Module module("kernel", context);
  const std::string ours = JitObjectCache::keyFor(module, 2, "target");
  const std::string theirs = JitObjectCache::keyFor(module, 2, "target", "another build");
  module.setModuleIdentifier(ours);
  {
    JitObjectCache cache(folder.string(), 4);
    ASSERT_EQ(cache.folder(), folder.string());
    cache.notifyObjectCompiled(&module, llvm::MemoryBufferRef("object bytes", "object"));
  }
  JitObjectCache later(folder.string(), 4); // a later process, in effect
  const auto found = later.find(ours);
  ASSERT_NE(found, nullptr);
  EXPECT_EQ(found->getBuffer(), "object bytes");
  EXPECT_EQ(later.find(theirs), nullptr);
  std::filesystem::remove_all(folder);
}

// A fresh private folder per test, removed at the end.
struct CacheFolder {
  std::filesystem::path path = std::filesystem::temp_directory_path() /
                               ("fulcrum-untrusted-cache-" + std::to_string(getpid()) + "-" +
                                ::testing::UnitTest::GetInstance()->current_test_info()->name());
  CacheFolder() { std::filesystem::remove_all(path); }
  ~CacheFolder() { std::filesystem::remove_all(path); }
  std::string entry(const std::string& key) const { return (path / (key + ".o")).string(); }
};

// Two keys and an object cached under the first, written by a cache that is then gone.
struct Stored {
  llvm::LLVMContext context;
  llvm::Module module{"kernel", context};
  std::string key = JitObjectCache::keyFor(module, 2, "target");
  std::string other = JitObjectCache::keyFor(module, 1, "target");

  explicit Stored(const CacheFolder& folder) {
    module.setModuleIdentifier(key);
    JitObjectCache cache(folder.path.string(), 4);
    cache.notifyObjectCompiled(&module, llvm::MemoryBufferRef("object bytes", "object"));
  }
};

std::string readAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

TEST(JitObjectCache, IsCreatedPrivate) {
  CacheFolder folder;
  JitObjectCache cache((folder.path / "jit").string(), 4);
  EXPECT_EQ(cache.warning(), "");
  struct stat info {};
  ASSERT_EQ(stat((folder.path / "jit").c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0700u);
}

TEST(JitObjectCache, AnEntryCopiedUnderAnotherKeyIsIgnored) {
  CacheFolder folder;
  Stored stored(folder);
  std::filesystem::copy_file(folder.entry(stored.key), folder.entry(stored.other));
  JitObjectCache later(folder.path.string(), 4);
  EXPECT_EQ(later.find(stored.other), nullptr);
  ASSERT_NE(later.find(stored.key), nullptr); // the same bytes under their own key are fine
}

TEST(JitObjectCache, AnAlteredOrTruncatedEntryIsIgnored) {
  CacheFolder folder;
  Stored stored(folder);
  const std::string whole = readAll(folder.entry(stored.key));
  for (const std::string& bad : {whole.substr(0, whole.size() - 1), whole.substr(0, 16),
                                 whole.substr(0, whole.size() - 1) + "X", std::string()}) {
    std::ofstream(folder.entry(stored.key), std::ios::binary | std::ios::trunc) << bad;
    JitObjectCache later(folder.path.string(), 4);
    EXPECT_EQ(later.find(stored.key), nullptr) << bad.size() << " bytes";
  }
}

TEST(JitObjectCache, AFifoOrADeviceIsNeverReadOrWaitedOn) {
  CacheFolder folder;
  Stored stored(folder);
  JitObjectCache later(folder.path.string(), 4);
  std::filesystem::remove(folder.entry(stored.key));
  ASSERT_EQ(mkfifo(folder.entry(stored.key).c_str(), 0600), 0);
  const auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(later.find(stored.key), nullptr);
  std::filesystem::remove(folder.entry(stored.key));
  std::filesystem::create_symlink("/dev/zero", folder.entry(stored.key));
  EXPECT_EQ(later.find(stored.key), nullptr);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
}

TEST(JitObjectCache, APlantedLinkIsReplacedNotFollowed) {
  CacheFolder folder;
  Stored stored(folder);
  const std::filesystem::path victim = folder.path / "victim.txt";
  std::ofstream(victim) << "precious";
  std::filesystem::remove(folder.entry(stored.other));
  std::filesystem::create_symlink(victim, folder.entry(stored.other));
  llvm::Module module(stored.other, stored.context);
  JitObjectCache cache(folder.path.string(), 4);
  cache.notifyObjectCompiled(&module, llvm::MemoryBufferRef("new object", "object"));
  EXPECT_EQ(readAll(victim.string()), "precious");
  EXPECT_FALSE(std::filesystem::is_symlink(folder.entry(stored.other)));
  JitObjectCache later(folder.path.string(), 4);
  const auto found = later.find(stored.other);
  ASSERT_NE(found, nullptr);
  EXPECT_EQ(found->getBuffer(), "new object");
}

TEST(JitObjectCache, AFolderOthersCanWriteIsRefused) {
  CacheFolder folder;
  std::filesystem::create_directories(folder.path);
  ASSERT_EQ(chmod(folder.path.c_str(), 0777), 0);
  JitObjectCache cache(folder.path.string(), 4);
  EXPECT_EQ(cache.folder(), "");
  EXPECT_NE(cache.warning().find("others can write it (mode 0777)"), std::string::npos)
      << cache.warning();
  llvm::LLVMContext context;
  llvm::Module module("kernel", context);
  module.setModuleIdentifier(JitObjectCache::keyFor(module, 2, "target"));
  cache.notifyObjectCompiled(&module, llvm::MemoryBufferRef("object", "object"));
  EXPECT_TRUE(std::filesystem::is_empty(folder.path)); // nothing written there
}

TEST(JitObjectCache, AnotherUsersFolderIsRefused) {
  CacheFolder folder;
  std::filesystem::create_directories(folder.path);
  if (chown(folder.path.c_str(), 65534, 65534) != 0)
    GTEST_SKIP() << "only root can give a folder to another user here";
  JitObjectCache cache(folder.path.string(), 4);
  EXPECT_EQ(cache.folder(), "");
  EXPECT_NE(cache.warning().find("belongs to another user (uid 65534)"), std::string::npos)
      << cache.warning();
}

} // namespace
} // namespace fulcrum::runtime::jit
