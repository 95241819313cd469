// Range starts at line breaks, outside quotes by parity.
#include "runtime/data/RangeSplit.h"

#include <algorithm>
#include <cstring>
#include <string>

namespace fulcrum::runtime {
namespace {

// Bytes a window of ForwardBytes reads at once.
constexpr size_t kWindow = size_t{1} << 20;

// The file's bytes for a scan that mostly moves forward. A copy read on demand is left alone
// (what the split reads would stay resident until parsed): bytes come through a window of the
// scan's own, read with pread. A copy that is all there is read directly.
class ForwardBytes {
public:
  ForwardBytes(const FileText& file, FileTextError& error, bool& failed, size_t& examined)
      : file_(file), text_(file.text()), direct_(!file.readsOnDemand()), error_(error),
        failed_(failed), examined_(examined) {}

  char at(size_t pos) {
    ++examined_;
    if (direct_)
      return text_[pos];
    if (pos < begin_ || pos >= end_)
      load(pos);
    return window_[pos - begin_];
  }

  // Whether [begin, end) holds a quote.
  bool hasQuote(size_t begin, size_t end) {
    examined_ += end - begin; // at most: memchr stops at the first quote
    if (direct_)
      return std::memchr(text_.data() + begin, '"', end - begin) != nullptr;
    for (size_t from = begin; from < end; from = end_) {
      load(from);
      if (std::memchr(window_.data(), '"', std::min(end, end_) - from) != nullptr)
        return true;
    }
    return false;
  }

  // The first position at or after `from` that follows a line break (never between a CR and
  // its LF), or the end of the text: nextLineStart (LineBreaks.h) through the window.
  size_t nextLineStart(size_t from) {
    const size_t n = text_.size();
    for (size_t i = from; i < n; ++i) {
      const char c = at(i);
      if (c == '\n' || (c == '\r' && (i + 1 >= n || at(i + 1) != '\n')))
        return i + 1;
    }
    return n;
  }

private:
  void load(size_t pos) {
    begin_ = pos;
    end_ = std::min(text_.size(), pos + kWindow);
    window_.assign(end_ - begin_, '\0');
    if (!failed_ && !file_.copyOut(begin_, end_, window_.data(), error_))
      failed_ = true; // the scan carries on over zeros; the caller reports the change
  }

  const FileText& file_;
  std::string_view text_;
  bool direct_;
  FileTextError& error_;
  bool& failed_;
  size_t& examined_;
  std::string window_;
  size_t begin_ = 0, end_ = 0;
};

} // namespace

bool splitRanges(const FileText& file, size_t begin, size_t ranges, std::vector<size_t>& starts,
                 FileTextError& error, size_t* examined) {
  const size_t n = file.text().size();
  starts.assign(1, begin);
  if (ranges <= 1 || begin >= n)
    return true;
  bool failed = false;
  size_t bytes = 0;
  // Two scans, each moving forward: the quote count, and the search for a range's start.
  ForwardBytes counting(file, error, failed, bytes), searching(file, error, failed, bytes);
  bool quotes = counting.hasQuote(begin, n);
  size_t counted = begin; // quotes are counted in [begin, counted)
  bool inQuotes = false;
  for (size_t k = 1; k < ranges; ++k) {
    const size_t target = begin + (n - begin) / ranges * k;
    if (target <= starts.back())
      continue;
    size_t start = n;
    if (!quotes) {
      start = searching.nextLineStart(target);
    } else {
      for (; counted < target; ++counted)
        inQuotes ^= counting.at(counted) == '"';
      bool open = inQuotes;
      for (size_t pos = target; pos < n; ++pos) {
        const char c = searching.at(pos);
        open ^= c == '"';
        if (!open && (c == '\n' || c == '\r')) {
          start = searching.nextLineStart(pos);
          break;
        }
      }
      if (start >= n) {
        // No line break outside quotes up to the end: an unmatched quote (a quote inside an
        // unquoted cell is data) inverted the parity. Every later target would scan to the end
        // again (quadratic), and one range would hold the rest of the file (all of it resident):
        // the later targets take plain line starts instead, which the caller checks against
        // the previous range's end like any other guess.
        quotes = false;
        continue;
      }
      // Parity up to the chosen start, for the next target.
      for (; counted < start && counted < n; ++counted)
        inQuotes ^= counting.at(counted) == '"';
    }
    if (start < n && start > starts.back())
      starts.push_back(start);
  }
  if (examined)
    *examined = bytes;
  return !failed;
}

} // namespace fulcrum::runtime
