// Dictionary: codes in order of first use, lookups, and copies that share their storage until
// one of them changes (a key index and its key column hold one dictionary).
#include "runtime/data/Dictionary.h"

#include <gtest/gtest.h>
#include <string>
#include <thread>
#include <vector>

using namespace fulcrum::runtime;

namespace {

std::vector<std::string> texts(const Dictionary& dictionary) {
  std::vector<std::string> out;
  for (size_t code = 0; code < dictionary.size(); ++code)
    out.emplace_back(dictionary.text(static_cast<int32_t>(code)));
  return out;
}

} // namespace

TEST(Dictionary, CodesInOrderOfFirstUse) {
  Dictionary dictionary;
  EXPECT_EQ(dictionary.size(), 0u);
  EXPECT_EQ(dictionary.lookup("a"), -1);
  std::vector<int32_t> codes;
  for (int i = 0; i < 1000; ++i)
    codes.push_back(dictionary.intern("k" + std::to_string(i % 300)));
  EXPECT_EQ(dictionary.size(), 300u);
  for (int i = 0; i < 1000; ++i)
    ASSERT_EQ(codes[static_cast<size_t>(i)], i % 300);
  EXPECT_EQ(dictionary.lookup("k299"), 299);
  EXPECT_EQ(dictionary.lookup("k300"), -1);
  EXPECT_EQ(dictionary.textBytes(), std::string("k0k1k2k3k4k5k6k7k8k9").size() + 90 * 3 + 200 * 4);
}

TEST(Dictionary, ACopyChangedLeavesTheOriginalAlone) {
  Dictionary original;
  for (const char* text : {"Won", "Lost", "Engaging"})
    original.intern(text);
  Dictionary copy = original; // shares the storage
  EXPECT_EQ(texts(copy), texts(original));
  EXPECT_EQ(copy.intern("Prospecting"), 3);
  EXPECT_EQ(copy.intern("Won"), 0);
  EXPECT_EQ(texts(original), (std::vector<std::string>{"Won", "Lost", "Engaging"}));
  EXPECT_EQ(original.lookup("Prospecting"), -1);
  EXPECT_EQ(copy.lookup("Prospecting"), 3);
  // The other way round: the original changed, the copy as it was.
  Dictionary second = original;
  original.intern("Closed");
  EXPECT_EQ(texts(second), (std::vector<std::string>{"Won", "Lost", "Engaging"}));
  EXPECT_EQ(second.lookup("Closed"), -1);
  // Cleared while shared: the copy keeps its strings.
  Dictionary third = second;
  second.clear();
  EXPECT_EQ(second.size(), 0u);
  EXPECT_EQ(second.lookup("Won"), -1);
  EXPECT_EQ(texts(third), (std::vector<std::string>{"Won", "Lost", "Engaging"}));
  EXPECT_EQ(second.intern("x"), 0);
  EXPECT_EQ(third.lookup("x"), -1);
}

TEST(Dictionary, CopiesChangedOnThreadsStayApart) {
  Dictionary base;
  for (int i = 0; i < 100; ++i)
    base.intern("b" + std::to_string(i));
  std::vector<Dictionary> copies(4, base);
  std::vector<std::thread> threads;
  for (size_t t = 0; t < copies.size(); ++t)
    threads.emplace_back([&copies, t] {
      for (int i = 0; i < 2000; ++i)
        copies[t].intern("t" + std::to_string(t) + "-" + std::to_string(i));
    });
  for (std::thread& thread : threads)
    thread.join();
  EXPECT_EQ(base.size(), 100u);
  for (size_t t = 0; t < copies.size(); ++t) {
    EXPECT_EQ(copies[t].size(), 2100u);
    EXPECT_EQ(copies[t].lookup("b99"), 99);
    EXPECT_EQ(copies[t].lookup("t" + std::to_string(t) + "-1999"), 2099);
    EXPECT_EQ(copies[t].lookup("t" + std::to_string((t + 1) % 4) + "-0"), -1);
  }
}
