// The differential fuzzer's engine cache (fuzz/Differential.h): a program is compiled once per
// text, a case over other data reuses it and is still compared run by run, and a cached
// comparison gives the verdict a fresh one gives; and the generator's split of program and data.
#include "fuzz/ByteSource.h"
#include "fuzz/Differential.h"
#include "fuzz/RandomFramework.h"

#include <filesystem>
#include <gtest/gtest.h>
#include <unistd.h>

namespace fulcrum::fuzz {
namespace {

// Per process: CTest runs these tests in parallel.
std::string workDirectory() {
  return (std::filesystem::temp_directory_path() /
          ("fulcrum-differential-test-" + std::to_string(getpid())))
      .string();
}

// The first seeded case from `seed` on that both engines run (some use what neither supports).
RandomCase comparableCase(uint64_t seed) {
  for (;; ++seed) {
    ByteSource random(seed);
    RandomCase randomCase = generateCase(random);
    if (compareEngines(randomCase, workDirectory()).verdict == Verdict::Agree)
      return randomCase;
  }
}

TEST(EngineCache, CompilesEachProgramOnceAndComparesEveryCase) {
  const RandomCase first = comparableCase(1);
  EngineCache cache(4);
  const DifferentialOutcome fresh = cache.compare(first, workDirectory());
  EXPECT_EQ(fresh.verdict, Verdict::Agree) << fresh.report;
  EXPECT_EQ(cache.misses(), 1u);
  EXPECT_EQ(cache.hits(), 0u);

  // Same program, other data: no new compilation, and every run is compared again.
  RandomCase otherData = first;
  for (DataFile& file : otherData.files)
    file.csv = file.csv.substr(0, file.csv.find('\n') + 1); // the header alone
  const DifferentialOutcome cached = cache.compare(otherData, workDirectory());
  EXPECT_EQ(cached.verdict, Verdict::Agree) << cached.report;
  EXPECT_EQ(cached.runs, otherData.runs.size());
  EXPECT_EQ(cache.misses(), 1u);
  EXPECT_EQ(cache.hits(), 1u);

  // Another program is compiled.
  const RandomCase second = comparableCase(1000);
  ASSERT_NE(second.source, first.source);
  EXPECT_EQ(cache.compare(second, workDirectory()).verdict, Verdict::Agree);
  EXPECT_EQ(cache.misses(), 2u);
}

TEST(EngineCache, KeepsOnlyTheMostRecentPrograms) {
  const RandomCase a = comparableCase(1), b = comparableCase(1000), c = comparableCase(2000);
  EngineCache cache(2);
  cache.compare(a, workDirectory());
  cache.compare(b, workDirectory());
  cache.compare(a, workDirectory()); // a is the most recent again
  cache.compare(c, workDirectory()); // b goes
  EXPECT_EQ(cache.hits(), 1u);
  cache.compare(a, workDirectory());
  EXPECT_EQ(cache.hits(), 2u);
  cache.compare(b, workDirectory());
  EXPECT_EQ(cache.misses(), 4u);
}

TEST(EngineCache, ACachedProgramGivesTheVerdictOfAFreshOne) {
  // A case whose data the program rejects (bad rows) or evaluates: either way the same verdict
  // and the same number of evaluated runs as without the cache.
  EngineCache cache(8);
  for (uint64_t seed = 1; seed <= 12; ++seed) {
    ByteSource random(seed);
    const RandomCase randomCase = generateCase(random);
    const DifferentialOutcome fresh = compareEngines(randomCase, workDirectory());
    cache.compare(randomCase, workDirectory());
    const DifferentialOutcome cached = cache.compare(randomCase, workDirectory());
    EXPECT_EQ(cached.verdict, fresh.verdict) << "seed " << seed;
    EXPECT_EQ(cached.evaluatedRuns, fresh.evaluatedRuns) << "seed " << seed;
  }
}

TEST(RandomFramework, DrawsTheProgramBeforeItsData) {
  // differential_fuzz's pooled shape: seed N's program over data from other bytes is seed N's
  // program, and the data does change.
  const std::vector<uint8_t> bytes = ByteSource::seedBytes(99, 2048);
  for (uint64_t seed = 1; seed <= 20; ++seed) {
    ByteSource alone(seed), program(seed), data(bytes.data(), bytes.size());
    const RandomCase own = generateCase(alone);
    const RandomCase pooled = generateCase(program, data);
    EXPECT_EQ(pooled.source, own.source) << "seed " << seed;
    EXPECT_EQ(pooled.framework, own.framework);
    std::string ownData, pooledData;
    for (const DataFile& file : own.files)
      ownData += file.csv;
    for (const DataFile& file : pooled.files)
      pooledData += file.csv;
    EXPECT_NE(pooledData, ownData) << "seed " << seed;
  }
}

TEST(RandomFramework, BytesPastTheProgramsChangeOnlyTheData) {
  // What differential_fuzz's mutator relies on: from one source, bytes past programBytes are
  // data. Changing all of them keeps the program and changes the data.
  for (uint64_t seed = 1; seed <= 20; ++seed) {
    std::vector<uint8_t> bytes = ByteSource::seedBytes(seed, 4096);
    ByteSource first(bytes.data(), bytes.size());
    const RandomCase before = generateCase(first);
    ASSERT_LT(before.programBytes, bytes.size()) << "seed " << seed;
    for (size_t i = before.programBytes; i < bytes.size(); ++i)
      bytes[i] = static_cast<uint8_t>(bytes[i] * 31 + 7);
    ByteSource second(bytes.data(), bytes.size());
    const RandomCase after = generateCase(second);
    EXPECT_EQ(after.source, before.source) << "seed " << seed;
    EXPECT_EQ(after.programBytes, before.programBytes);
    std::string dataBefore, dataAfter;
    for (const DataFile& file : before.files)
      dataBefore += file.csv;
    for (const DataFile& file : after.files)
      dataAfter += file.csv;
    EXPECT_NE(dataAfter, dataBefore) << "seed " << seed;
  }
}

TEST(RandomFramework, ProgramBytesAloneMatchTheWholeCase) {
  // differential_fuzz's mutator counts the program's bytes without drawing the data; short
  // inputs (the program reads past the end) and long ones alike.
  for (uint64_t seed = 1; seed <= 40; ++seed) {
    const std::vector<uint8_t> bytes = ByteSource::seedBytes(seed, seed % 2 ? 8 : 4096);
    ByteSource whole(bytes.data(), bytes.size()), programOnly(bytes.data(), bytes.size());
    EXPECT_EQ(programBytes(programOnly), generateCase(whole).programBytes) << "seed " << seed;
  }
}

TEST(RandomFramework, ProgramBytesCountTheZerosReadPastTheEnd) {
  // A short input's program reads zeros past its end; padded with those zeros and extended, the
  // input keeps its program.
  for (uint64_t seed = 1; seed <= 20; ++seed) {
    std::vector<uint8_t> bytes = ByteSource::seedBytes(seed, 8);
    ByteSource shortSource(bytes.data(), bytes.size());
    const RandomCase before = generateCase(shortSource);
    EXPECT_GT(before.programBytes, bytes.size()) << "seed " << seed;
    bytes.resize(before.programBytes, 0);
    for (int i = 0; i < 64; ++i)
      bytes.push_back(static_cast<uint8_t>(i * 37 + seed));
    ByteSource longer(bytes.data(), bytes.size());
    EXPECT_EQ(generateCase(longer).source, before.source) << "seed " << seed;
  }
}

} // namespace
} // namespace fulcrum::fuzz
