// Where to split a file's body into ranges for parallel parsing.
#pragma once

#include "runtime/data/FileText.h"

#include <cstddef>
#include <vector>

namespace fulcrum::runtime {

// Up to `ranges` range starts in the file's text[begin, end), the first being `begin`, each at the
// start of a line. Without quotes in the file any line start is a record start; with quotes, a
// line start outside quotes by quote parity (a guess when quotes are malformed: the caller
// checks every range start against the previous range's end and re-parses if they differ).
// A copy read on demand is scanned through a window of its own, not read into; false with
// `error` if the file changed under the scan. `examined`, if given, gets the number of bytes the
// scans looked at (a few times the body's size at most, whatever its quotes: tests check it).
bool splitRanges(const FileText& file, size_t begin, size_t ranges, std::vector<size_t>& starts,
                 FileTextError& error, size_t* examined = nullptr);

} // namespace fulcrum::runtime
