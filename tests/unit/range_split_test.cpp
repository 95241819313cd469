// Where the body is split into ranges: an unmatched quote (a quote inside an unquoted cell is
// data) must not make the split scan to the end of the file once for every range.
#include "TempPaths.h"
#include "runtime/data/FileText.h"
#include "runtime/data/RangeSplit.h"

#include <cstdio>
#include <fstream>
#include <gtest/gtest.h>
#include <string>
#include <vector>

namespace fulcrum::runtime {
namespace {

TEST(RangeSplit, AnUnmatchedQuoteKeepsTheSplitLinearAndTheRangesSmall) {
  const std::string path = tempPath(currentTestName() + ".csv");
  {
    std::ofstream out(path, std::ios::binary);
    out << "name,product\nAnn,24\" monitor\n"; // one stray quote near the start
    const std::string row = "Bob,a plain row of some length\n";
    for (size_t written = 0; written < (size_t{4} << 20); written += row.size())
      out << row;
  }
  for (const FileText::Reading reading : {FileText::Reading::Whole, FileText::Reading::OnDemand}) {
    FileText file;
    FileTextError error;
    ASSERT_TRUE(file.open(path, error, reading)) << error.message;
    const size_t n = file.text().size();
    std::vector<size_t> starts;
    size_t examined = 0;
    ASSERT_TRUE(splitRanges(file, 13, 64, starts, error, &examined));
    // The quote count, one search to the end, and plain line starts after it: a few times the
    // size, where a search to the end for each of the 64 targets examined ~32 times it.
    EXPECT_LE(examined, 4 * n) << n;
    // And the body is still split: no range holds the rest of the file (all of it resident).
    EXPECT_GE(starts.size(), 60u);
    size_t largest = 0;
    for (size_t k = 0; k < starts.size(); ++k)
      largest = std::max(largest, (k + 1 < starts.size() ? starts[k + 1] : n) - starts[k]);
    EXPECT_LE(largest, n / 64 * 3) << largest;
  }
  std::remove(path.c_str());
}

} // namespace
} // namespace fulcrum::runtime
