// The scan levels, one row each in kLevels: a portable byte loop, SSE2 (16 bytes a step, every
// x86-64 CPU) and AVX2 (32 bytes a step, compiled for it with a target attribute and run only
// where the CPU reports it). SSE4.2's string instructions are not used: for four needles they are
// slower than four byte compares of SSE2.
#include "runtime/data/ByteScan.h"

#include <array>
#include <atomic>
#include <cstdlib>
#include <fmt/format.h>

#if defined(__x86_64__) || defined(__i386__)
#define FULCRUM_SCAN_X86 1
#include <immintrin.h>
#endif

namespace fulcrum::runtime {
namespace {

using LineScan = const char* (*)(const char*, const char*, size_t, char, std::vector<const char*>&);
using LineStartCount = size_t (*)(const unsigned char*, size_t, size_t);

bool isBreak(unsigned char c) {
  return c == '\n' || c == '\r';
}

// The byte loop: the portable level, and every level's tail shorter than a vector.
const char* scanLinePortable(const char* p, const char* end, size_t most, char delimiter,
                             std::vector<const char*>& starts) {
  for (; p < end; ++p) {
    const char c = *p;
    if (c != delimiter && c != '\n' && c != '\r' && c != '"')
      continue;
    if (c != delimiter)
      return p;
    if (starts.size() <= most)
      starts.push_back(p + 1);
  }
  return p;
}

size_t countStartsPortable(const unsigned char* p, size_t from, size_t to) {
  size_t starts = 0;
  for (size_t i = from + 1; i < to; ++i)
    starts += static_cast<size_t>(isBreak(p[i - 1]) && !isBreak(p[i]));
  return starts;
}

// The delimiters before the first stop of a block (a bit per byte), pushed as field starts;
// true if the block holds a stop (`stop` is then its first one).
inline bool takeBlock(const char* block, uint64_t delimiterBits, uint64_t stopBits, size_t most,
                      std::vector<const char*>& starts, const char*& stop) {
  if (stopBits != 0)
    delimiterBits &= (uint64_t{1} << __builtin_ctzll(stopBits)) - 1;
  for (; delimiterBits != 0 && starts.size() <= most; delimiterBits &= delimiterBits - 1)
    starts.push_back(block + __builtin_ctzll(delimiterBits) + 1);
  if (stopBits == 0)
    return false;
  stop = block + __builtin_ctzll(stopBits);
  return true;
}

#if FULCRUM_SCAN_X86
const char* scanLineSse2(const char* p, const char* end, size_t most, char delimiter,
                         std::vector<const char*>& starts) {
  const __m128i delimiters = _mm_set1_epi8(delimiter), lf = _mm_set1_epi8('\n'),
                cr = _mm_set1_epi8('\r'), quote = _mm_set1_epi8('"');
  for (; end - p >= 16; p += 16) {
    const __m128i bytes = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    const __m128i stops =
        _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(bytes, lf), _mm_cmpeq_epi8(bytes, cr)),
                     _mm_cmpeq_epi8(bytes, quote));
    const auto delimiterBits =
        static_cast<uint32_t>(_mm_movemask_epi8(_mm_cmpeq_epi8(bytes, delimiters)));
    const char* stop = nullptr;
    if (takeBlock(p, delimiterBits, static_cast<uint32_t>(_mm_movemask_epi8(stops)), most, starts,
                  stop))
      return stop;
  }
  return scanLinePortable(p, end, most, delimiter, starts);
}

size_t countStartsSse2(const unsigned char* p, size_t from, size_t to) {
  const __m128i lf = _mm_set1_epi8('\n'), cr = _mm_set1_epi8('\r');
  size_t starts = 0, i = from + 1;
  for (; i + 16 <= to; i += 16) {
    const __m128i here = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i));
    const __m128i before = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i - 1));
    const __m128i breakHere = _mm_or_si128(_mm_cmpeq_epi8(here, lf), _mm_cmpeq_epi8(here, cr));
    const __m128i breakBefore =
        _mm_or_si128(_mm_cmpeq_epi8(before, lf), _mm_cmpeq_epi8(before, cr));
    starts += static_cast<size_t>(__builtin_popcount(
        static_cast<unsigned>(_mm_movemask_epi8(_mm_andnot_si128(breakHere, breakBefore)))));
  }
  return starts + (i < to ? countStartsPortable(p, i - 1, to) : 0);
}

__attribute__((target("avx2,popcnt"))) const char* scanLineAvx2(const char* p, const char* end,
                                                                size_t most, char delimiter,
                                                                std::vector<const char*>& starts) {
  const __m256i delimiters = _mm256_set1_epi8(delimiter), lf = _mm256_set1_epi8('\n'),
                cr = _mm256_set1_epi8('\r'), quote = _mm256_set1_epi8('"');
  for (; end - p >= 32; p += 32) {
    const __m256i bytes = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p));
    const __m256i stops =
        _mm256_or_si256(_mm256_or_si256(_mm256_cmpeq_epi8(bytes, lf), _mm256_cmpeq_epi8(bytes, cr)),
                        _mm256_cmpeq_epi8(bytes, quote));
    const auto delimiterBits =
        static_cast<uint32_t>(_mm256_movemask_epi8(_mm256_cmpeq_epi8(bytes, delimiters)));
    const char* stop = nullptr;
    if (takeBlock(p, delimiterBits, static_cast<uint32_t>(_mm256_movemask_epi8(stops)), most,
                  starts, stop))
      return stop;
  }
  return scanLineSse2(p, end, most, delimiter, starts);
}

__attribute__((target("avx2,popcnt"))) size_t countStartsAvx2(const unsigned char* p, size_t from,
                                                              size_t to) {
  const __m256i lf = _mm256_set1_epi8('\n'), cr = _mm256_set1_epi8('\r');
  size_t starts = 0, i = from + 1;
  for (; i + 32 <= to; i += 32) {
    const __m256i here = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p + i));
    const __m256i before = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p + i - 1));
    const __m256i breakHere =
        _mm256_or_si256(_mm256_cmpeq_epi8(here, lf), _mm256_cmpeq_epi8(here, cr));
    const __m256i breakBefore =
        _mm256_or_si256(_mm256_cmpeq_epi8(before, lf), _mm256_cmpeq_epi8(before, cr));
    starts += static_cast<size_t>(_mm_popcnt_u32(
        static_cast<uint32_t>(_mm256_movemask_epi8(_mm256_andnot_si256(breakHere, breakBefore)))));
  }
  return starts + (i < to ? countStartsSse2(p, i - 1, to) : 0);
}

bool always() {
  return true;
}
bool cpuHasAvx2() {
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("popcnt");
}
#endif

struct ScanImplementation {
  ScanLevel level;
  const char* name;
  bool (*supported)(); // null: never on this build
  LineScan scanLine;
  LineStartCount countStarts;
};

// Best last.
constexpr ScanImplementation kLevels[] = {
    {ScanLevel::Portable, "portable", nullptr, scanLinePortable, countStartsPortable},
#if FULCRUM_SCAN_X86
    {ScanLevel::Sse2, "sse2", always, scanLineSse2, countStartsSse2},
    {ScanLevel::Avx2, "avx2", cpuHasAvx2, scanLineAvx2, countStartsAvx2},
#else
    {ScanLevel::Sse2, "sse2", nullptr, nullptr, nullptr},
    {ScanLevel::Avx2, "avx2", nullptr, nullptr, nullptr},
#endif
};

const ScanImplementation& row(ScanLevel level) {
  return kLevels[static_cast<size_t>(level)];
}

bool runs(const ScanImplementation& implementation) {
  return implementation.level == ScanLevel::Portable ||
         (implementation.supported && implementation.supported());
}

std::optional<ScanLevel> levelNamed(std::string_view name) {
  for (const ScanImplementation& implementation : kLevels)
    if (name == implementation.name)
      return implementation.level;
  return std::nullopt;
}

const char* environmentValue() {
  const char* value = std::getenv("FULCRUM_CSV_SCAN");
  return value && *value ? value : nullptr;
}

const ScanImplementation* initialLevel() {
  if (const char* value = environmentValue())
    if (auto level = levelNamed(value); level && runs(row(*level)))
      return &row(*level);
  return &row(bestScanLevel());
}

std::atomic<const ScanImplementation*>& active() {
  static std::atomic<const ScanImplementation*> level{initialLevel()};
  return level;
}

} // namespace

std::string_view scanLevelName(ScanLevel level) {
  return row(level).name;
}

ScanLevel bestScanLevel() {
  ScanLevel best = ScanLevel::Portable;
  for (const ScanImplementation& implementation : kLevels)
    if (runs(implementation))
      best = implementation.level;
  return best;
}

ScanLevel activeScanLevel() {
  return active().load(std::memory_order_relaxed)->level;
}

bool setScanLevel(ScanLevel level) {
  if (!runs(row(level)))
    return false;
  active().store(&row(level), std::memory_order_relaxed);
  return true;
}

std::string scanLevelEnvironmentError() {
  const char* value = environmentValue();
  if (!value)
    return std::string();
  const auto level = levelNamed(value);
  if (!level)
    return fmt::format("FULCRUM_CSV_SCAN must be `portable`, `sse2`, `avx2` or unset, not `{}`",
                       value);
  if (!runs(row(*level)))
    return fmt::format("FULCRUM_CSV_SCAN={}: this CPU (or build) cannot run it; the best it runs "
                       "is `{}`",
                       value, scanLevelName(bestScanLevel()));
  return std::string();
}

const char* scanPlainLine(const char* p, const char* end, size_t most, char delimiter,
                          std::vector<const char*>& starts) {
  return active().load(std::memory_order_relaxed)->scanLine(p, end, most, delimiter, starts);
}

size_t countTextLineStarts(std::string_view text, size_t from, size_t to) {
  if (to <= from + 1)
    return 0;
  return active()
      .load(std::memory_order_relaxed)
      ->countStarts(reinterpret_cast<const unsigned char*>(text.data()), from, to);
}

} // namespace fulcrum::runtime
