// The canonical layout of a file's tokens (`fulcrum fmt`; docs/architecture.md, "Formatting").
#pragma once

#include "compiler/parse/LayoutTokens.h"

#include <string>
#include <vector>

namespace fulcrum::format {

// The text of `tokens` in the canonical layout: top-level declarations apart by one blank line,
// a block's items one a line two spaces in, a case's `=>` and a score's weights aligned, one
// space between tokens except where punctuation binds (`f(a, b)`, `a.b`, `-x`, `date?`, `1..5`).
// Line breaks inside an item are kept where the author put them (never added or removed): a line
// inside brackets goes two spaces past the line that opened the innermost one (four when that line
// starts a declaration), a line that starts by closing one where that line went, a continuation
// outside brackets two spaces past its item, and two more when it starts with a binary operator;
// blank lines between items and comments are kept, at most one. Tokens (literals, strings,
// comments) are printed as written, except that a line comment loses trailing blanks.
std::string layOut(const std::vector<LayoutToken>& tokens);

} // namespace fulcrum::format
