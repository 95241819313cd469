// Rounding an exact sum to the nearest double (see ExactSum.h).
#include "runtime/exec/ExactSum.h"

#include <array>
#include <cmath>
#include <cstddef>

namespace fulcrum::runtime {
namespace {

// A big two's-complement integer spanning every double's bits exactly: its lowest bit weighs
// 2^-1074 (the smallest subnormal), and 2^31 values below 2^1024 add up to less than 2^1055, so
// 1074 + 1055 + a sign bit fit in 34 words.
constexpr int kBigLowBit = -1074;
constexpr size_t kBigWords = 34;
using Big = std::array<uint64_t, kBigWords>;

// The bit at `position` of a little-endian magnitude (0 past its end).
uint64_t bitAt(std::span<const uint64_t> words, size_t position) {
  const size_t word = position / 64;
  return word < words.size() ? (words[word] >> (position % 64)) & 1 : 0;
}

// `count` (at most 64) bits of `words` from `position` up, as an integer.
uint64_t bitsFrom(std::span<const uint64_t> words, size_t position, int count) {
  uint64_t out = 0;
  for (int i = count; i-- > 0;)
    out = (out << 1) | bitAt(words, position + static_cast<size_t>(i));
  return out;
}

// The double nearest `words` (a magnitude) times 2^lowBit, ties to even.
double roundMagnitude(std::span<const uint64_t> words, int lowBit) {
  size_t top = words.size();
  while (top > 0 && words[top - 1] == 0)
    --top;
  if (top == 0)
    return 0.0;
  const size_t high = (top - 1) * 64 + (63 - static_cast<size_t>(std::countl_zero(words[top - 1])));
  if (high <= 52) // at most 53 bits: exact (a subnormal result too: a multiple of 2^-1074)
    return std::ldexp(static_cast<double>(words[0]), lowBit);
  // The 53 bits from `high` down, then the next one (round) and any below it (sticky).
  const size_t low = high - 52;
  uint64_t significand = bitsFrom(words, low, 53);
  const bool round = bitAt(words, low - 1) != 0;
  bool sticky = false; // any bit below position low - 1
  const size_t below = low - 1;
  for (size_t k = 0; k < below / 64; ++k)
    sticky = sticky || words[k] != 0;
  if (below % 64 != 0)
    sticky = sticky || (words[below / 64] & ((uint64_t{1} << (below % 64)) - 1)) != 0;
  if (round && (sticky || (significand & 1)))
    ++significand; // 2^53 at most: still exact
  // Normal when it matters: the result is at least 2^(52 + lowBit) >= 2^-1022 here.
  return std::ldexp(static_cast<double>(significand), lowBit + static_cast<int>(low));
}

// big += (sign) magnitude * 2^shift, in two's complement.
void addShifted(Big& big, std::span<const uint64_t> magnitude, size_t shift, bool negative) {
  Big add{};
  const size_t word = shift / 64, bit = shift % 64;
  for (size_t k = 0; k < magnitude.size(); ++k) {
    if (word + k < kBigWords)
      add[word + k] |= magnitude[k] << bit;
    if (bit != 0 && word + k + 1 < kBigWords)
      add[word + k + 1] |= magnitude[k] >> (64 - bit);
  }
  const uint64_t flip = negative ? ~uint64_t{0} : 0;
  uint64_t carry = negative ? 1 : 0;
  for (size_t k = 0; k < kBigWords; ++k) {
    const uint64_t a = big[k], b = add[k] ^ flip;
    const uint64_t sum = a + b;
    const uint64_t total = sum + carry;
    carry = static_cast<uint64_t>(sum < a) | static_cast<uint64_t>(total < sum);
    big[k] = total;
  }
}

// The sign and magnitude of a two's-complement integer (negated in place when negative).
template <size_t N> bool takeSign(std::array<uint64_t, N>& words) {
  if ((words[N - 1] >> 63) == 0)
    return false;
  uint64_t carry = 1;
  for (uint64_t& word : words) {
    word = ~word + carry;
    carry = carry && word == 0;
  }
  return true;
}

} // namespace

double exactSumRound(const double* acc, std::span<const double> escaped) {
  std::array<uint64_t, kExactSumWords> window{};
  for (int k = 0; k < kExactSumWords; ++k)
    window[static_cast<size_t>(k)] = exactSumWord(acc, k);
  const bool negative = takeSign(window);
  if (escaped.empty()) {
    const double magnitude = roundMagnitude(window, kExactSumLowBit);
    return negative ? -magnitude : magnitude;
  }
  // An infinity or NaN among the values makes the sum one (so the result is missing).
  double nonFinite = 0;
  bool anyNonFinite = false;
  for (double value : escaped)
    if (!std::isfinite(value)) {
      nonFinite += value;
      anyNonFinite = true;
    }
  if (anyNonFinite)
    return nonFinite;
  Big big{};
  addShifted(big, window, static_cast<size_t>(kExactSumLowBit - kBigLowBit), negative);
  for (double value : escaped) {
    const auto bits = std::bit_cast<uint64_t>(value);
    const uint64_t field = (bits >> 52) & 0x7ff;
    const uint64_t fraction = bits & ((uint64_t{1} << 52) - 1);
    // value = significand * 2^(max(field, 1) - 1075) = significand * 2^(shift + kBigLowBit).
    const uint64_t significand = field == 0 ? fraction : fraction | (uint64_t{1} << 52);
    const size_t shift = field == 0 ? 0 : static_cast<size_t>(field - 1);
    const uint64_t one[] = {significand};
    addShifted(big, one, shift, (bits >> 63) != 0);
  }
  const bool bigNegative = takeSign(big);
  const double magnitude = roundMagnitude(big, kBigLowBit);
  return bigNegative ? -magnitude : magnitude;
}

} // namespace fulcrum::runtime
