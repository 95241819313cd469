// UTF-8 validation (with an all-ASCII fast path) and escaping for messages.
#include "runtime/data/ShownText.h"

#include <cstdint>
#include <cstring>
#include <fmt/format.h>

namespace fulcrum::runtime {
namespace {

// The length of the well-formed UTF-8 character at text[i], or 0 (RFC 3629's table).
size_t characterLength(std::string_view text, size_t i) {
  const auto byte = [&](size_t k) { return static_cast<unsigned char>(text[i + k]); };
  const unsigned char c = byte(0);
  if (c < 0x80)
    return c == 0 ? 0 : 1;
  size_t length = 0;
  unsigned char low = 0x80, high = 0xBF; // the allowed range of the second byte
  if (c >= 0xC2 && c <= 0xDF) {
    length = 2;
  } else if (c >= 0xE0 && c <= 0xEF) {
    length = 3;
    low = c == 0xE0 ? 0xA0 : 0x80;  // no overlong forms
    high = c == 0xED ? 0x9F : 0xBF; // no surrogates
  } else if (c >= 0xF0 && c <= 0xF4) {
    length = 4;
    low = c == 0xF0 ? 0x90 : 0x80;
    high = c == 0xF4 ? 0x8F : 0xBF; // nothing past U+10FFFF
  } else {
    return 0;
  }
  if (i + length > text.size() || byte(1) < low || byte(1) > high)
    return 0;
  for (size_t k = 2; k < length; ++k)
    if ((byte(k) & 0xC0) != 0x80)
      return 0;
  return length;
}

// Whether the 8 bytes at `p` are all ASCII and none is NUL.
bool plainWord(const char* p) {
  uint64_t word = 0;
  std::memcpy(&word, p, sizeof word);
  constexpr uint64_t kLow = 0x0101010101010101, kHigh = 0x8080808080808080;
  // Each byte with its high bit forced on, minus 1, keeps that bit unless the byte was 0 or 0x80.
  return ((word | ~((word | kHigh) - kLow)) & kHigh) == 0; // no high bit, no zero byte
}

} // namespace

size_t badTextByte(std::string_view text) {
  size_t i = 0;
  while (i + 8 <= text.size() && plainWord(text.data() + i))
    i += 8;
  while (i < text.size()) {
    const size_t length = characterLength(text, i);
    if (length == 0)
      return i;
    i += length;
  }
  return std::string_view::npos;
}

std::string shown(std::string_view text, size_t limit) {
  std::string out;
  size_t characters = 0, i = 0;
  for (; i < text.size() && characters < limit; ++characters) {
    const auto c = static_cast<unsigned char>(text[i]);
    const size_t length = characterLength(text, i);
    if (c == '\n' || c == '\r' || c == '\t') {
      out += c == '\n' ? "\\n" : c == '\r' ? "\\r" : "\\t";
    } else if (length == 0 || c < 0x20 || c == 0x7F) {
      out += fmt::format("\\x{:02X}", c);
    } else {
      out.append(text.substr(i, length));
      i += length;
      continue;
    }
    ++i;
  }
  if (i < text.size())
    out += fmt::format("… ({} bytes)", text.size());
  return out;
}

} // namespace fulcrum::runtime
