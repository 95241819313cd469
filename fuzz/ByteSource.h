// The random choices of the differential fuzzer's generator, drawn from a stream of bytes: the
// bytes libFuzzer hands in (then zeros once they run out, so every input is a valid program), or
// an endless stream from a seed for the standalone driver.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace fulcrum::fuzz {

class ByteSource {
public:
  // The bytes of a fuzz input; not copied, so they must outlive the source.
  ByteSource(const uint8_t* data, size_t size) : data_(data), size_(size) {}
  // An endless stream determined by `seed` alone (SplitMix64 output, 8 bytes a step).
  explicit ByteSource(uint64_t seed) : seeded_(true), state_(seed) {}

  uint8_t byte();
  // A number in [0, bound) for bound >= 1 (0 when bound is 0).
  uint32_t below(uint32_t bound);
  // A number in [low, high].
  int between(int low, int high) { return low + static_cast<int>(below(high - low + 1)); }
  // True with probability percent/100 (taken from one byte: 0..99 with a slight bias).
  bool chance(unsigned percent) { return below(100) < percent; }
  template <typename T> const T& pick(const std::vector<T>& items) {
    return items[below(static_cast<uint32_t>(items.size()))];
  }
  // Bytes drawn so far, those past the end of a fuzz input (read as 0) included.
  size_t consumed() const { return position_; }

  // The first `count` bytes of the seeded stream for `seed`: a libFuzzer seed that produces
  // the same case as the standalone driver's seed, as long as the case needs no more bytes.
  static std::vector<uint8_t> seedBytes(uint64_t seed, size_t count);

private:
  const uint8_t* data_ = nullptr;
  size_t size_ = 0;
  size_t position_ = 0;
  bool seeded_ = false;
  uint64_t state_ = 0;
  uint64_t word_ = 0;
  unsigned wordBytesLeft_ = 0;
};

} // namespace fulcrum::fuzz
