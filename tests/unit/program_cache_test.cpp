// The process's program cache (compiler/cache/ProgramCache.h): the same sources and options give
// the same compilation and programs; any change to a text the compiler read, to what an import
// resolves to, or to an option gives a new one; threads share one entry.
#include "compiler/cache/ProgramCache.h"
#include "tests/unit/TempPaths.h"

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <thread>

namespace fulcrum {
namespace {

namespace fs = std::filesystem;

const char* const kPay = R"(import "rules"
entity rep from "reps.csv" {
  key name: text
}
table deals from "deals.csv" {
  owner: rep
  value: money
}
framework pay {
  subject rep
  cadence quarter
  metric won: money = sum(deals.value)
  metric payout: money = payout_of(won)
}
)";

const char* const kRules = "fn payout_of(won: money): money = won * 0.1\n";

void write(const fs::path& path, const std::string& text) {
  std::ofstream(path) << text;
}

// A folder holding pay.fulcrum and rules.fulcrum, removed after the test; the cache starts empty
// with room for 16 entries.
class ProgramCache : public ::testing::Test {
protected:
  void SetUp() override {
    setProgramCacheCapacity(0);
    setProgramCacheCapacity(16);
    dir = tempPath(currentTestName());
    fs::remove_all(dir);
    fs::create_directories(dir);
    root = (dir / "pay.fulcrum").string();
    write(root, kPay);
    write(dir / "rules.fulcrum", kRules);
  }
  void TearDown() override { fs::remove_all(dir); }

  // The text the compilation read for `file` (its root, or an import).
  static std::string textOf(const CompiledSources& compiled, const std::string& name) {
    const SourceManager& sources = compiled.compilation().sources;
    for (size_t i = 0; i < sources.size(); ++i)
      if (fs::path(sources.file(static_cast<FileId>(i)).path).filename() == name)
        return std::string(sources.file(static_cast<FileId>(i)).text);
    return "(not read)";
  }

  fs::path dir;
  std::string root;
};

TEST_F(ProgramCache, SameSourcesAndOptionsAreTheSameProgram) {
  const ProgramCacheStats start = programCacheStats();
  const auto first = compileFileCached(root);
  ASSERT_TRUE(first->compilation().ok());
  const auto jit = first->program("pay", runtime::EngineKind::Jit);
  ASSERT_TRUE(jit->program) << jit->error;
  const auto again = compileFileCached(root);
  EXPECT_EQ(again.get(), first.get());
  EXPECT_EQ(again->program("pay", runtime::EngineKind::Jit).get(), jit.get());
  // Each engine is its own program of the same compilation.
  const auto interp = again->program("pay", runtime::EngineKind::Interpreter);
  ASSERT_TRUE(interp->program) << interp->error;
  EXPECT_NE(interp->program.get(), jit->program.get());
  EXPECT_EQ(programCacheStats().hits - start.hits, 1u);
  EXPECT_EQ(programCacheStats().misses - start.misses, 1u);
}

// The same path and size, another text: a key of the path (or of the size and mtime) would give
// the old program. The entry of the old text is dropped by the miss (it could only ever be found
// again by an edit back), so the old text again is a third compilation.
TEST_F(ProgramCache, AChangedRootTextIsANewCompilation) {
  const auto before = compileFileCached(root);
  std::string changed = kPay;
  changed.replace(changed.find("metric won"), 10, "metric wan");
  changed.replace(changed.find("payout_of(won)"), 14, "payout_of(wan)");
  write(root, changed);
  const auto after = compileFileCached(root);
  EXPECT_NE(after.get(), before.get());
  EXPECT_EQ(textOf(*after, "pay.fulcrum"), changed);
  write(root, kPay);
  EXPECT_NE(compileFileCached(root).get(), before.get());
  EXPECT_EQ(programCacheStats().entries, 1u);
}

TEST_F(ProgramCache, AChangedImportIsANewCompilation) {
  const auto before = compileFileCached(root);
  ASSERT_TRUE(before->compilation().ok());
  write(dir / "rules.fulcrum", "fn payout_of(won: money): money = won * 0.2\n");
  const auto after = compileFileCached(root);
  EXPECT_NE(after.get(), before.get());
  EXPECT_EQ(textOf(*after, "rules.fulcrum"), "fn payout_of(won: money): money = won * 0.2\n");
}

// An import found in a `--lib` folder until a file of its name appears next to the importer,
// which comes first: the recorded "is not a file" answer no longer holds.
TEST_F(ProgramCache, AFileThatNowShadowsAnImportIsANewCompilation) {
  const fs::path lib = dir / "lib";
  fs::create_directories(lib);
  fs::rename(dir / "rules.fulcrum", lib / "rules.fulcrum");
  CompileOptions options;
  options.libraryDirs.push_back(lib.string());
  const auto before = compileFileCached(root, options);
  ASSERT_TRUE(before->compilation().ok());
  write(dir / "rules.fulcrum", "fn payout_of(won: money): money = won * 0.3\n");
  const auto after = compileFileCached(root, options);
  EXPECT_NE(after.get(), before.get());
  EXPECT_EQ(textOf(*after, "rules.fulcrum"), "fn payout_of(won: money): money = won * 0.3\n");
}

// Two imports naming one file through a symlink are one module; a copy of the same text is a
// second module and declares `payout_of` twice. Every text and every "is a file" answer is the
// same either way, so only the files' canonical names tell the two apart.
TEST_F(ProgramCache, AnImportThatStopsOrStartsBeingASymlinkIsANewCompilation) {
  std::string both = kPay;
  both.insert(0, "import \"alias\"\n");
  write(root, both);
  fs::create_symlink(dir / "rules.fulcrum", dir / "alias.fulcrum");
  const auto linked = compileFileCached(root);
  ASSERT_TRUE(linked->compilation().ok());
  fs::remove(dir / "alias.fulcrum");
  fs::copy_file(dir / "rules.fulcrum", dir / "alias.fulcrum");
  const auto copied = compileFileCached(root);
  EXPECT_NE(copied.get(), linked.get());
  EXPECT_FALSE(copied->compilation().ok()); // payout_of is declared twice
  fs::remove(dir / "alias.fulcrum");
  fs::create_symlink(dir / "rules.fulcrum", dir / "alias.fulcrum");
  const auto relinked = compileFileCached(root);
  EXPECT_NE(relinked.get(), copied.get());
  EXPECT_TRUE(relinked->compilation().ok());
}

TEST_F(ProgramCache, OptionsAreInTheKey) {
  const auto plain = compileFileCached(root);
  CompileOptions withLib;
  withLib.libraryDirs.push_back(dir.string());
  const auto libbed = compileFileCached(root, withLib);
  EXPECT_NE(libbed.get(), plain.get());
  CompileOptions otherLib;
  otherLib.libraryDirs.push_back((dir / "lib").string());
  EXPECT_NE(compileFileCached(root, otherLib).get(), libbed.get());
  CompileOptions only;
  only.only = SubjectFilter{"pay", "won > $0"};
  const auto filtered = compileFileCached(root, only);
  EXPECT_NE(filtered.get(), plain.get());
  CompileOptions otherOnly;
  otherOnly.only = SubjectFilter{"pay", "won > $1"};
  EXPECT_NE(compileFileCached(root, otherOnly).get(), filtered.get());
  EXPECT_EQ(compileFileCached(root, only).get(), filtered.get());
  // Another working directory: the same relative path names another file.
  const fs::path here = fs::current_path();
  fs::current_path(dir);
  const auto relative = compileFileCached("pay.fulcrum");
  fs::create_directories(dir / "elsewhere");
  write(dir / "elsewhere" / "pay.fulcrum", kPay);
  write(dir / "elsewhere" / "rules.fulcrum", kRules);
  fs::current_path(dir / "elsewhere");
  const auto elsewhere = compileFileCached("pay.fulcrum");
  fs::current_path(here);
  EXPECT_NE(elsewhere.get(), relative.get());
}

// The JIT reads FULCRUM_JIT_PIPELINE on every compile: a program made under another value is
// another program, not the one made before it changed.
TEST_F(ProgramCache, TheJitPipelineIsInTheProgramsKey) {
  const auto compiled = compileFileCached(root);
  ASSERT_TRUE(compiled->compilation().ok());
  ::unsetenv("FULCRUM_JIT_PIPELINE");
  const auto plain = compiled->program("pay", runtime::EngineKind::Jit);
  ::setenv("FULCRUM_JIT_PIPELINE", "O2", 1);
  const auto full = compiled->program("pay", runtime::EngineKind::Jit);
  ::unsetenv("FULCRUM_JIT_PIPELINE");
  ASSERT_TRUE(full->program) << full->error;
  EXPECT_NE(full.get(), plain.get());
  EXPECT_EQ(compiled->program("pay", runtime::EngineKind::Jit).get(), plain.get());
  // The interpreter reads no such setting.
  const auto interp = compiled->program("pay", runtime::EngineKind::Interpreter);
  ::setenv("FULCRUM_JIT_PIPELINE", "O2", 1);
  EXPECT_EQ(compiled->program("pay", runtime::EngineKind::Interpreter).get(), interp.get());
  ::unsetenv("FULCRUM_JIT_PIPELINE");
}

// The standard library's folder is in the key (FULCRUM_STDLIB is read on every compile): another
// folder gives another compilation even when this program reads nothing from it.
TEST_F(ProgramCache, TheStandardLibraryFolderIsInTheKey) {
  const char* const saved = std::getenv("FULCRUM_STDLIB");
  const std::string kept = saved ? saved : "";
  ::setenv("FULCRUM_STDLIB", (dir / "stdlib1").c_str(), 1);
  const auto first = compileFileCached(root);
  EXPECT_EQ(compileFileCached(root).get(), first.get());
  ::setenv("FULCRUM_STDLIB", (dir / "stdlib2").c_str(), 1);
  const auto second = compileFileCached(root);
  if (saved)
    ::setenv("FULCRUM_STDLIB", kept.c_str(), 1);
  else
    ::unsetenv("FULCRUM_STDLIB");
  EXPECT_NE(second.get(), first.get());
}

TEST_F(ProgramCache, TextsAreKeyedByTheirContent) {
  const std::string name = (dir / "inline.fulcrum").string();
  const auto first = compileSourceCached(name, kPay);
  ASSERT_TRUE(first->compilation().ok());
  EXPECT_EQ(compileSourceCached(name, kPay).get(), first.get());
  std::string changed = kPay;
  changed.replace(changed.find("cadence quarter"), 15, "cadence month  ");
  EXPECT_NE(compileSourceCached(name, changed).get(), first.get());
  EXPECT_NE(compileSourceCached(name + "2", kPay).get(), first.get());
}

TEST_F(ProgramCache, KeepsTheMostRecentlyUsedEntries) {
  setProgramCacheCapacity(1);
  const auto first = compileFileCached(root);
  const auto other = compileSourceCached((dir / "x.fulcrum").string(), kPay);
  EXPECT_EQ(programCacheStats().entries, 1u);
  EXPECT_EQ(compileSourceCached((dir / "x.fulcrum").string(), kPay).get(), other.get());
  EXPECT_NE(compileFileCached(root).get(), first.get()); // evicted by `other`
  setProgramCacheCapacity(0);
  EXPECT_NE(compileFileCached(root).get(), compileFileCached(root).get());
  EXPECT_EQ(programCacheStats().entries, 0u);
}

// A host saving one file again and again keeps one entry for it, not one per version: the others'
// entries stay.
TEST_F(ProgramCache, EditsOfOneFileDoNotPushOutOtherPrograms) {
  setProgramCacheCapacity(4);
  const std::string other = (dir / "other.fulcrum").string();
  const auto kept = compileSourceCached(other, kPay);
  for (int edit = 1; edit <= 8; ++edit) {
    write(root, kPay + std::string(static_cast<size_t>(edit), '\n'));
    ASSERT_TRUE(compileFileCached(root)->compilation().ok());
  }
  EXPECT_EQ(programCacheStats().entries, 2u);
  EXPECT_EQ(compileSourceCached(other, kPay).get(), kept.get());
}

// Threads that miss together wait for one compile (single flight), not one compile each.
TEST_F(ProgramCache, ThreadsThatMissTogetherCompileOnce) {
  const ProgramCacheStats start = programCacheStats();
  constexpr int kThreads = 4;
  std::atomic<int> ready{0};
  std::vector<std::shared_ptr<const CompiledSources>> got(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t)
    threads.emplace_back([&, t] {
      ++ready;
      while (ready < kThreads)
        std::this_thread::yield();
      got[static_cast<size_t>(t)] = compileFileCached(root);
    });
  for (std::thread& thread : threads)
    thread.join();
  EXPECT_EQ(programCacheStats().misses - start.misses, 1u);
  EXPECT_EQ(programCacheStats().hits - start.hits, kThreads - 1u);
  for (const auto& compiled : got)
    EXPECT_EQ(compiled.get(), got[0].get());
}

// FULCRUM_PROGRAM_CACHE: a count or `off`; anything else is an error naming the value (which
// turns the cache off), never a silent 16 and never an unbounded cache (`-1` was ULONG_MAX).
TEST(ProgramCacheSetting, IsACountOrOffAndNothingElse) {
  std::string error;
  EXPECT_EQ(parseProgramCacheCapacity("", error), kDefaultProgramCacheEntries);
  EXPECT_EQ(parseProgramCacheCapacity("off", error), 0u);
  EXPECT_EQ(parseProgramCacheCapacity("0", error), 0u);
  EXPECT_EQ(parseProgramCacheCapacity("32", error), 32u);
  EXPECT_EQ(parseProgramCacheCapacity(std::to_string(kMaxProgramCacheEntries), error),
            kMaxProgramCacheEntries);
  EXPECT_TRUE(error.empty()) << error;
  for (const char* bad :
       {"-1", "+4", "lots", "OFF", "1e3", "16 ", " 16", "4097", "99999999999999999999999"}) {
    error.clear();
    EXPECT_EQ(parseProgramCacheCapacity(bad, error), std::nullopt) << bad;
    EXPECT_NE(error.find(std::string("not `") + bad + "`"), std::string::npos) << error;
    EXPECT_NE(error.find("FULCRUM_PROGRAM_CACHE"), std::string::npos) << error;
  }
}

TEST_F(ProgramCache, ThreadsShareOneProgram) {
  const auto made = compileFileCached(root);
  const auto expected = made->program("pay", runtime::EngineKind::Jit);
  std::atomic<int> same{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t)
    threads.emplace_back([&] {
      for (int i = 0; i < 20; ++i) {
        const auto compiled = compileFileCached(root);
        if (compiled->program("pay", runtime::EngineKind::Jit) == expected)
          ++same;
      }
    });
  for (std::thread& thread : threads)
    thread.join();
  EXPECT_EQ(same, 160);
}

} // namespace
} // namespace fulcrum
