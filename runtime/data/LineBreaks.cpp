// Line break counting and line starts.
#include "runtime/data/LineBreaks.h"

namespace fulcrum::runtime {

size_t countLineBreaks(std::string_view text, size_t from, size_t to) {
  // LFs plus CRs minus CRs that an LF follows: branch-free, so the loop vectorises.
  size_t lf = 0, cr = 0, crlf = 0;
  const char* p = text.data();
  for (size_t i = from; i < to; ++i) {
    lf += p[i] == '\n';
    cr += p[i] == '\r';
  }
  for (size_t i = from; i + 1 < to; ++i)
    crlf += p[i] == '\r' && p[i + 1] == '\n';
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
