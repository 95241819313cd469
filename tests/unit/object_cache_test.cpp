// The JIT's object cache across builds: the build's identity is the executable's GNU build-id
// (read independently here with readelf), it is part of every key, and an entry written under one
// build's key is found by a later cache on the same folder but never under another build's key.
#include "runtime/jit/ObjectCache.h"
#include "support/BuildIdentity.h"

#include <cstdio>
#include <filesystem>
#include <gtest/gtest.h>
#include <llvm/IR/LLVMContext.h>
#include <llvm/IR/Module.h>
#include <llvm/Support/MemoryBuffer.h>
#include <regex>
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

} // namespace
} // namespace fulcrum::runtime::jit
