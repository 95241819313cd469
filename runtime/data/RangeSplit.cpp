// Range starts at line breaks, outside quotes by parity.
#include "runtime/data/RangeSplit.h"

#include "runtime/data/LineBreaks.h"

#include <algorithm>
#include <cstring>

namespace fulcrum::runtime {
namespace {

// Whether text[begin, end) holds a quote. Its pages are not given back: the file's bytes are a
// copy (see FileText.h), which a release would turn to zeros before the ranges are parsed.
bool hasQuote(const FileText& file, size_t begin, size_t end) {
  return std::memchr(file.text().data() + begin, '"', end - begin) != nullptr;
}

} // namespace

std::vector<size_t> splitRanges(const FileText& file, size_t begin, size_t ranges) {
  const std::string_view text = file.text();
  std::vector<size_t> starts{begin};
  const size_t n = text.size();
  if (ranges <= 1 || begin >= n)
    return starts;
  const bool quotes = hasQuote(file, begin, n);
  size_t counted = begin; // quotes are counted in [begin, counted)
  bool inQuotes = false;
  for (size_t k = 1; k < ranges; ++k) {
    const size_t target = begin + (n - begin) / ranges * k;
    if (target <= starts.back())
      continue;
    size_t start = n;
    if (!quotes) {
      start = nextLineStart(text, target);
    } else {
      for (; counted < target; ++counted)
        inQuotes ^= text[counted] == '"';
      bool open = inQuotes;
      for (size_t pos = target; pos < n; ++pos) {
        open ^= text[pos] == '"';
        if (!open && (text[pos] == '\n' || text[pos] == '\r')) {
          start = nextLineStart(text, pos);
          break;
        }
      }
      // Parity up to the chosen start, for the next target.
      for (; counted < start && counted < n; ++counted)
        inQuotes ^= text[counted] == '"';
    }
    if (start < n && start > starts.back())
      starts.push_back(start);
  }
  return starts;
}

} // namespace fulcrum::runtime
