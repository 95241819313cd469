// Line break counting and line starts.
#include "runtime/data/LineBreaks.h"

#include <algorithm>
#include <cstring>

namespace fulcrum::runtime {

size_t countLineBreaks(std::string_view text, size_t from, size_t to) {
  if (from >= to)
    return 0;
  const char* p = text.data();
  const auto lf = static_cast<size_t>(std::count(p + from, p + to, '\n'));
  if (std::memchr(p + from, '\r', to - from) == nullptr)
    return lf;
  // LFs plus CRs minus the CRs that an LF follows.
  size_t cr = 0, crlf = 0;
  for (size_t i = from; i < to; ++i) {
    cr += p[i] == '\r';
    crlf += p[i] == '\r' && i + 1 < to && p[i + 1] == '\n';
  }
  return lf + cr - crlf;
}

size_t nextLineStart(std::string_view text, size_t from) {
  for (size_t i = from; i < text.size(); ++i) {
    if (text[i] == '\n')
      return i + 1;
    if (text[i] == '\r' && (i + 1 >= text.size() || text[i + 1] != '\n'))
      return i + 1;
  }
  return text.size();
}

} // namespace fulcrum::runtime
