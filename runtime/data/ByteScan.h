// Finding a CSV file's delimiters, quotes and line breaks a vector of bytes at a time. Each level
// (portable, SSE2, AVX2) is a row of one table in ByteScan.cpp; the best one this CPU supports
// is chosen at run time (`__builtin_cpu_supports`), or the one `FULCRUM_CSV_SCAN` names (a test
// forces the portable loop this way). Every level gives the same answers.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace fulcrum::runtime {

enum class ScanLevel { Portable, Sse2, Avx2 };

// `portable`, `sse2`, `avx2`.
std::string_view scanLevelName(ScanLevel level);
// The best level this CPU runs.
ScanLevel bestScanLevel();
// The level in use: FULCRUM_CSV_SCAN's if it is set (and valid), else the best.
ScanLevel activeScanLevel();
// Uses `level` from now on (tests); false, changing nothing, if this CPU cannot run it.
bool setScanLevel(ScanLevel level);
// An error naming what is wrong with FULCRUM_CSV_SCAN (not a level's name, or a level this CPU
// lacks), or empty when it is unset or fine: the CLI refuses to run with a bad value rather than
// silently scanning another way.
std::string scanLevelEnvironmentError();

// Scans a line from `p`: pushes the start of every field after a delimiter onto `starts`, stops
// at the line break (LF or CR), a quote or `end`, and returns where it stopped. Once `starts`
// holds more than `most` it stops growing (the line has too many fields; the careful reader
// takes it), so a line of millions of delimiters costs no memory here.
const char* scanPlainLine(const char* p, const char* end, size_t most, char delimiter,
                          std::vector<const char*>& starts);

// Positions in (from, to) where a line that is not blank starts (a line break before, none at
// it): every CSV record but one starting at `from` starts at one of them, so this + 1 bounds the
// records in [from, to) without counting blank lines or line breaks inside quotes.
size_t countTextLineStarts(std::string_view text, size_t from, size_t to);

} // namespace fulcrum::runtime
