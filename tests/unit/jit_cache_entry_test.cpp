// The JIT object cache's reader over hundreds of hand-made entries (the release half's share of
// the property jit_cache_fuzz checks, fuzz/JitCacheEntryCheck.h): a valid entry is accepted and
// gives its object back; every truncation, extension, changed byte and another key's entry is
// refused; whatever is accepted is exactly the entry the cache writes.
#include "fuzz/JitCacheEntryCheck.h"

#include <gtest/gtest.h>
#include <random>
#include <string>

namespace {

using fulcrum::fuzz::JitCacheEntryCheck;

const std::string kObject = std::string("\x7f"
                                        "ELF") +
                            std::string(200, '\x90') + "ret";

TEST(JitCacheEntry, AValidEntryIsAcceptedAndNothingElse) {
  JitCacheEntryCheck check;
  const std::string valid = check.validEntry(kObject);
  ASSERT_EQ(valid.size(), 32 + kObject.size()); // a 32-byte header, then the object
  const auto outcome = check.check(valid);
  EXPECT_TRUE(outcome.accepted);
  EXPECT_EQ(outcome.failure, "");

  EXPECT_FALSE(check.check("").accepted);
  EXPECT_FALSE(check.check(check.validEntry(kObject, "fedcba9876543210fedcba9876543210")).accepted)
      << "another key's entry";
  for (size_t cut = 0; cut < valid.size(); cut += 7)
    EXPECT_FALSE(check.check(valid.substr(0, cut)).accepted) << "cut at " << cut;
  EXPECT_FALSE(check.check(valid + "x").accepted) << "one byte more";
}

TEST(JitCacheEntry, EveryChangedByteIsRefused) {
  JitCacheEntryCheck check;
  const std::string valid = check.validEntry(kObject);
  std::mt19937 random(28);
  size_t tried = 0;
  // Every byte of the header, and random bytes of the object, each with a random non-zero mask.
  for (size_t at = 0; at < valid.size(); at += at < 32 ? 1 : 1 + random() % 9) {
    std::string changed = valid;
    changed[at] = char(changed[at] ^ (1 + random() % 255));
    const auto outcome = check.check(changed);
    EXPECT_FALSE(outcome.accepted) << "byte " << at << " changed";
    EXPECT_EQ(outcome.failure, "");
    ++tried;
  }
  EXPECT_GT(tried, 50U);
}

} // namespace
