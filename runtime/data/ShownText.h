// Text checks and the short, printable form of a value for load messages: a cell may hold
// invalid UTF-8, control characters or megabytes, and a message must print none of them raw.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace fulcrum::runtime {

// The most a cell the schema reads may hold; a longer one is an error, not a value.
constexpr size_t kMaxCellBytes = size_t{1} << 20;

// The offset of the first byte of `text` that does not start a well-formed UTF-8 character
// (overlong forms, surrogates and code points past U+10FFFF included) or is a NUL;
// std::string_view::npos when the text is clean.
size_t badTextByte(std::string_view text);

// `text` for a message: invalid bytes, NUL and other control characters as `\xNN`, `\n`, `\r`,
// `\t`; cut after `limit` characters with `…` and the full size (`… (10485760 bytes)`).
std::string shown(std::string_view text, size_t limit = 60);

} // namespace fulcrum::runtime
