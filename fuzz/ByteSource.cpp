// ByteSource: a fuzz input's bytes, or SplitMix64 words cut into bytes.
#include "fuzz/ByteSource.h"

namespace fulcrum::fuzz {

static uint64_t splitMixNext(uint64_t& state) {
  state += 0x9e3779b97f4a7c15ULL;
  uint64_t z = state;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

uint8_t ByteSource::byte() {
  if (!seeded_) {
    const size_t at = position_++;
    return at < size_ ? data_[at] : 0;
  }
  if (wordBytesLeft_ == 0) {
    word_ = splitMixNext(state_);
    wordBytesLeft_ = 8;
  }
  ++position_;
  --wordBytesLeft_;
  const auto value = static_cast<uint8_t>(word_ & 0xff);
  word_ >>= 8;
  return value;
}

uint32_t ByteSource::below(uint32_t bound) {
  if (bound <= 1)
    return 0;
  // One byte for small bounds (most choices), so that a fuzz input's bytes map to choices
  // one to one and mutations stay local; two or four for larger ones.
  uint32_t value = byte();
  if (bound > 256)
    value = value << 8 | byte();
  if (bound > 65536)
    value = value << 16 | static_cast<uint32_t>(byte()) << 8 | byte();
  return value % bound;
}

std::vector<uint8_t> ByteSource::seedBytes(uint64_t seed, size_t count) {
  ByteSource source(seed);
  std::vector<uint8_t> bytes(count);
  for (uint8_t& b : bytes)
    b = source.byte();
  return bytes;
}

} // namespace fulcrum::fuzz
