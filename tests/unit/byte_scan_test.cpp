// Every scan level this CPU runs (runtime/data/ByteScan.h) against the portable byte loop and a
// plain reference written here: the same field starts, stops and line-start counts on random
// bytes rich in delimiters, quotes and line breaks, at every offset and length (so every vector
// boundary and tail is crossed).
#include "runtime/data/ByteScan.h"

#include <gtest/gtest.h>
#include <random>
#include <string>
#include <vector>

namespace fulcrum::runtime {
namespace {

// The scan, restated byte by byte: field starts after each delimiter (while at most `most` + 1
// starts are held), the stop at the first LF, CR or quote.
const char* referenceScan(const char* p, const char* end, size_t most, char delimiter,
                          std::vector<const char*>& starts) {
  for (; p < end && *p != '\n' && *p != '\r' && *p != '"'; ++p)
    if (*p == delimiter && starts.size() <= most)
      starts.push_back(p + 1);
  return p;
}

size_t referenceLineStarts(const std::string& text, size_t from, size_t to) {
  auto isBreak = [](char c) { return c == '\n' || c == '\r'; };
  size_t count = 0;
  for (size_t i = from + 1; i < to; ++i)
    count += isBreak(text[i - 1]) && !isBreak(text[i]) ? 1 : 0;
  return count;
}

std::vector<ScanLevel> levelsThisCpuRuns() {
  std::vector<ScanLevel> levels;
  for (ScanLevel level : {ScanLevel::Portable, ScanLevel::Sse2, ScanLevel::Avx2})
    if (level <= bestScanLevel())
      levels.push_back(level);
  return levels;
}

// Restores the level the process started with, whatever a test set.
class ByteScan : public ::testing::Test {
protected:
  const ScanLevel initial = activeScanLevel();
  void TearDown() override { setScanLevel(initial); }
};

std::string randomText(std::mt19937& random, size_t size, char delimiter) {
  const std::string alphabet = std::string("ab1 \xC3\xA9\"\n\r") + delimiter + delimiter;
  std::string text;
  for (size_t i = 0; i < size; ++i) // long plain stretches, so vectors run without a stop
    text += random() % 4 == 0 ? alphabet[random() % alphabet.size()] : 'x';
  return text;
}

TEST_F(ByteScan, EveryLevelFindsTheSameFieldsAndStops) {
  std::mt19937 random(24);
  for (char delimiter : {',', ';', '\t', '|'}) {
    for (int iteration = 0; iteration < 40; ++iteration) {
      const std::string text = randomText(random, 1 + random() % 300, delimiter);
      const char* end = text.data() + text.size();
      for (size_t from = 0; from < text.size(); from += 1 + random() % 5) {
        for (size_t most : {size_t{0}, size_t{2}, size_t{1000}}) {
          std::vector<const char*> expected{text.data() + from};
          const char* expectedStop =
              referenceScan(text.data() + from, end, most, delimiter, expected);
          for (ScanLevel level : levelsThisCpuRuns()) {
            ASSERT_TRUE(setScanLevel(level));
            std::vector<const char*> starts{text.data() + from};
            const char* stop = scanPlainLine(text.data() + from, end, most, delimiter, starts);
            SCOPED_TRACE(testing::Message() << scanLevelName(level) << " from " << from << " most "
                                            << most << " in `" << text << "`");
            ASSERT_EQ(stop, expectedStop);
            ASSERT_EQ(starts, expected);
          }
        }
      }
    }
  }
}

TEST_F(ByteScan, EveryLevelCountsTheSameLineStarts) {
  std::mt19937 random(17);
  for (int iteration = 0; iteration < 60; ++iteration) {
    const std::string text = randomText(random, 1 + random() % 200, ',');
    for (size_t from = 0; from < text.size(); from += 1 + random() % 3)
      for (size_t to = from; to <= text.size(); to += 1 + random() % 7)
        for (ScanLevel level : levelsThisCpuRuns()) {
          ASSERT_TRUE(setScanLevel(level));
          ASSERT_EQ(countTextLineStarts(text, from, to), referenceLineStarts(text, from, to))
              << scanLevelName(level) << " [" << from << ", " << to << ") of `" << text << "`";
        }
  }
}

TEST_F(ByteScan, ALevelTheCpuLacksIsRefused) {
  EXPECT_TRUE(setScanLevel(ScanLevel::Portable));
  EXPECT_EQ(activeScanLevel(), ScanLevel::Portable);
  if (bestScanLevel() < ScanLevel::Avx2) {
    EXPECT_FALSE(setScanLevel(ScanLevel::Avx2));
    EXPECT_EQ(activeScanLevel(), ScanLevel::Portable);
  }
}

} // namespace
} // namespace fulcrum::runtime
