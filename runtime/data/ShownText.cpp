// UTF-8 validation (with an all-ASCII fast path) and escaping for messages.
#include "runtime/data/ShownText.h"

#include "support/Text.h"

#include <cstdint>
#include <cstring>
#include <fmt/format.h>

namespace fulcrum::runtime {
namespace {

// The length of the well-formed UTF-8 character at text[i], or 0 (NUL is not text here).
size_t characterLength(std::string_view text, size_t i) {
  return text[i] == '\0' ? 0 : utf8CharacterLength(text, i);
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
  // The last bytes of an all-ASCII cell in one more word: the final 8 (overlapping checked
  // ones), or a short cell padded with spaces; anything else is read character by character.
  if (i < text.size()) {
    if (text.size() >= 8) {
      if (i + 8 > text.size() && plainWord(text.data() + text.size() - 8))
        return std::string_view::npos;
    } else {
      char word[8];
      std::memset(word, ' ', sizeof word);
      std::memcpy(word, text.data(), text.size());
      if (plainWord(word))
        return std::string_view::npos;
    }
  }
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
    } else if (text.substr(i).starts_with("\u00A0") || text.substr(i).starts_with("\u202F")) {
      // A no-break space looks like a space: shown escaped, so a message tells them apart.
      out += text.substr(i).starts_with("\u00A0") ? "\\u00A0" : "\\u202F";
      i += length;
      continue;
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
