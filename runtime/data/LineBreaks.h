// Counting line breaks as the CSV reader does (LF, CRLF and a lone CR are one break each).
#pragma once

#include <cstddef>
#include <string_view>

namespace fulcrum::runtime {

// Line breaks in text[from, to). A CR at to - 1 counts even if an LF follows at `to`.
size_t countLineBreaks(std::string_view text, size_t from, size_t to);

// The first position at or after `from` that follows a line break (never between a CR and its
// LF), or text.size() if there is none.
size_t nextLineStart(std::string_view text, size_t from);

} // namespace fulcrum::runtime
