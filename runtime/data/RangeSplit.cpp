// Range starts at line breaks, outside quotes by parity.
#include "runtime/data/RangeSplit.h"

#include "runtime/data/LineBreaks.h"

#include <cstring>

namespace fulcrum::runtime {

std::vector<size_t> splitRanges(std::string_view text, size_t begin, size_t ranges) {
  std::vector<size_t> starts{begin};
  const size_t n = text.size();
  if (ranges <= 1 || begin >= n)
    return starts;
  const bool quotes = std::memchr(text.data() + begin, '"', n - begin) != nullptr;
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
