// Exactly rounded sums (language.md: "A sum of `number` values is exactly rounded"): `sum` and
// `avg` add each value exactly into a fixed-point window, a 192-bit two's-complement integer in
// the first three doubles of their accumulator block (their bits, never used as doubles), whose
// lowest bit weighs 2^-96. Integer addition is associative, so rows, chunks, threads and peers
// may be added in any order and give the same bits; finalization rounds the exact total to the
// nearest double once (ties to even).
//
// In the window: zero, and every double with 2^-44 <= |x| < 2^64 (its 53-bit significand then
// lies within 2^-96 .. 2^63). Fewer than 2^31 such values (row indexes are int32) add up to less
// than 2^95, so the window never overflows. Any other value (tiny, huge, subnormal, infinite or
// NaN) "escapes": the caller keeps it beside the block (CollectedValues::addEscaped, from JIT
// code through fulcrumEscapeSum), and finalization adds the escaped values and the window
// together in a big integer that spans every double exactly. The JIT's inline code for sums
// (runtime/jit/Codegen.cpp) takes the same decision and adds the same bits as exactSumAdd.
#pragma once

#include <bit>
#include <cstdint>
#include <cstring>
#include <span>

namespace fulcrum::runtime {

inline constexpr int kExactSumWords = 3;    // the window's 64-bit words, in doubles 0..2
inline constexpr int kExactSumLowBit = -96; // the weight of its lowest bit: 2^-96
inline constexpr uint64_t kExactSumLowestExponentField = 1075 + kExactSumLowBit; // 979: 2^-44
inline constexpr uint64_t kExactSumMaxShift = 107; // exponent field 1086: |x| < 2^64

// The window's word `k` (little-endian), read from or written to a block of doubles by bits.
inline uint64_t exactSumWord(const double* acc, int k) {
  uint64_t word;
  std::memcpy(&word, acc + k, sizeof word);
  return word;
}
inline void setExactSumWord(double* acc, int k, uint64_t word) {
  std::memcpy(acc + k, &word, sizeof word);
}

// Adds `x` into the window at acc[0..2] and returns true, or returns false and leaves the
// window as it is when `x` is outside it (the caller keeps `x` as an escape).
inline bool exactSumAdd(double* acc, double x) {
  const auto bits = std::bit_cast<uint64_t>(x);
  if ((bits << 1) == 0)
    return true; // +0 and -0 add nothing
  const uint64_t shift = ((bits >> 52) & 0x7ff) - kExactSumLowestExponentField; // wraps if below
  if (shift > kExactSumMaxShift)
    return false;
  const uint64_t significand = (bits & ((uint64_t{1} << 52) - 1)) | (uint64_t{1} << 52);
  // significand << shift, 192 bits wide.
  uint64_t add[kExactSumWords] = {};
  const auto word = static_cast<int>(shift / 64), bit = static_cast<int>(shift % 64);
  add[word] = significand << bit;
  if (bit != 0)
    add[word + 1] = significand >> (64 - bit);
  // A negative x adds the two's complement: every bit flipped, plus one (the first carry).
  const uint64_t negative = bits >> 63;
  uint64_t carry = negative;
  for (int k = 0; k < kExactSumWords; ++k) {
    const uint64_t a = exactSumWord(acc, k), b = add[k] ^ (0 - negative);
    const uint64_t sum = a + b;
    const uint64_t total = sum + carry;
    carry = static_cast<uint64_t>(sum < a) | static_cast<uint64_t>(total < sum);
    setExactSumWord(acc, k, total);
  }
  return true;
}

// Adds the window `part` into the window `into`: exact, so merges may come in any order.
inline void exactSumMerge(double* into, const double* part) {
  uint64_t carry = 0;
  for (int k = 0; k < kExactSumWords; ++k) {
    const uint64_t a = exactSumWord(into, k), b = exactSumWord(part, k);
    const uint64_t sum = a + b;
    const uint64_t total = sum + carry;
    carry = static_cast<uint64_t>(sum < a) | static_cast<uint64_t>(total < sum);
    setExactSumWord(into, k, total);
  }
}

// The double nearest the window's value plus the escaped values (ties to even); +0 for a zero
// total; an infinity when the total is past the largest double; NaN or an infinity when an
// escaped value is not finite.
double exactSumRound(const double* acc, std::span<const double> escaped = {});

} // namespace fulcrum::runtime
