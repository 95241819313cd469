// A growable byte buffer that one block of CSV is formatted into, with hand-written integer,
// fixed-width id and money formatting (no locale, no printf).
#pragma once

#include <cstdint>
#include <cstring>
#include <memory>
#include <string_view>

namespace fulcrum::gen {

class TextBuffer {
public:
  void clear() { size_ = 0; }
  size_t size() const { return size_; }
  const char* data() const { return bytes_.get(); }
  char* data() { return bytes_.get(); }

  // Extends the buffer by `count` bytes and returns where they start.
  char* extend(size_t count) {
    if (size_ + count > capacity_)
      reserve(size_ + count);
    char* tail = bytes_.get() + size_;
    size_ += count;
    return tail;
  }

  void append(std::string_view text) { std::memcpy(extend(text.size()), text.data(), text.size()); }
  void append(char c) { *extend(1) = c; }

  void appendUnsigned(uint64_t value) {
    char digits[20];
    int count = 0;
    do {
      digits[count++] = static_cast<char>('0' + value % 10);
      value /= 10;
    } while (value);
    char* out = extend(count);
    while (count)
      *out++ = digits[--count];
  }

  void appendSigned(int64_t value) {
    if (value < 0) {
      append('-');
      appendUnsigned(static_cast<uint64_t>(-(value + 1)) + 1);
    } else {
      appendUnsigned(static_cast<uint64_t>(value));
    }
  }

  // Cents as a plain decimal with two places: 123456 -> 1234.56.
  void appendCents(uint64_t cents) {
    appendUnsigned(cents / 100);
    char* out = extend(3);
    out[0] = '.';
    out[1] = static_cast<char>('0' + cents / 10 % 10);
    out[2] = static_cast<char>('0' + cents % 10);
  }

private:
  void reserve(size_t needed) {
    size_t capacity = capacity_ ? capacity_ : 1 << 16;
    while (capacity < needed)
      capacity *= 2;
    std::unique_ptr<char[]> bigger(new char[capacity]);
    if (size_)
      std::memcpy(bigger.get(), bytes_.get(), size_);
    bytes_ = std::move(bigger);
    capacity_ = capacity;
  }

  std::unique_ptr<char[]> bytes_;
  size_t size_ = 0;
  size_t capacity_ = 0;
};

// Writes `value` as exactly `width` zero-padded digits at `out` (the id formats: R000001).
inline void writePadded(char* out, uint64_t value, int width) {
  for (int i = width - 1; i >= 0; --i) {
    out[i] = static_cast<char>('0' + value % 10);
    value /= 10;
  }
}

} // namespace fulcrum::gen
