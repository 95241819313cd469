// Where to split a file's body into ranges for parallel parsing.
#pragma once

#include <cstddef>
#include <string_view>
#include <vector>

namespace fulcrum::runtime {

// Up to `ranges` range starts in text[begin, end of text), the first being `begin`, each at the
// start of a line. Without quotes in the file any line start is a record start; with quotes, a
// line start outside quotes by quote parity (a guess when quotes are malformed: the caller
// checks every range start against the previous range's end and re-parses if they differ).
std::vector<size_t> splitRanges(std::string_view text, size_t begin, size_t ranges);

} // namespace fulcrum::runtime
