// Interning and lookup for dictionary-encoded text, and the key index built on it.
#include "runtime/data/Dictionary.h"

#include <algorithm>
#include <cstring>

namespace fulcrum::runtime {

namespace {

constexpr uint64_t kHighBits = 0xFFFFFFFF00000000ull;

uint64_t slotEntry(uint64_t hash, size_t code) {
  return (hash & kHighBits) | (code + 1);
}

int32_t slotCode(uint64_t entry) {
  return static_cast<int32_t>(entry & 0xFFFFFFFFu) - 1;
}

uint64_t load(const char* p, size_t bytes) {
  uint64_t word = 0;
  std::memcpy(&word, p, bytes);
  return word;
}

// The final mix, so the low bits (the slot) depend on every input bit.
uint64_t finish(uint64_t h) {
  h ^= h >> 32;
  h *= 0xD6E8FEB86659FD93ull;
  return h ^ (h >> 29);
}

// Short strings (most cells: ids, names, kinds): two overlapping words, one multiply each.
uint64_t shortHash(const char* p, size_t size) {
  uint64_t first = 0, last = 0;
  if (size >= 8) {
    first = load(p, 8);
    last = load(p + size - 8, 8);
  } else if (size >= 4) {
    first = load(p, 4);
    last = load(p + size - 4, 4);
  } else if (size > 0) {
    first = static_cast<uint64_t>(static_cast<unsigned char>(p[0])) |
            static_cast<uint64_t>(static_cast<unsigned char>(p[size / 2])) << 8 |
            static_cast<uint64_t>(static_cast<unsigned char>(p[size - 1])) << 16;
  }
  return finish(((first ^ size) * 0x9E3779B97F4A7C15ull) ^ ((last + size) * 0xC2B2AE3D27D4EB4Full));
}

// Equal bytes, without a library call for strings of 4 to 16 bytes.
bool sameText(std::string_view a, std::string_view b) {
  if (a.size() != b.size())
    return false;
  const size_t size = a.size();
  if (size >= 8 && size <= 16)
    return load(a.data(), 8) == load(b.data(), 8) &&
           load(a.data() + size - 8, 8) == load(b.data() + size - 8, 8);
  if (size >= 4 && size < 8)
    return load(a.data(), 4) == load(b.data(), 4) &&
           load(a.data() + size - 4, 4) == load(b.data() + size - 4, 4);
  return a == b;
}

} // namespace

uint64_t Dictionary::hash(std::string_view text) {
  if (text.size() <= 16)
    return shortHash(text.data(), text.size());
  // Eight bytes at a time, each word multiplied in.
  uint64_t h = 1469598103934665603ull ^ text.size();
  const char* p = text.data();
  size_t left = text.size();
  for (; left >= 8; p += 8, left -= 8) {
    h = (h ^ load(p, 8)) * 0x9E3779B97F4A7C15ull;
    h ^= h >> 31;
  }
  if (left > 0)
    h = (h ^ load(p, left)) * 0x9E3779B97F4A7C15ull;
  return finish(h);
}

size_t Dictionary::findSlot(std::string_view text, uint64_t h) const {
  const size_t mask = slots_.size() - 1;
  for (size_t slot = h & mask;; slot = (slot + 1) & mask) {
    const uint64_t entry = slots_[slot];
    if (entry == 0)
      return slot;
    if ((entry & kHighBits) == (h & kHighBits) && sameText(text, this->text(slotCode(entry))))
      return slot;
  }
}

// Hashes are recomputed here rather than kept per string: short strings hash in a few cycles.
void Dictionary::grow(size_t slotCount) {
  std::vector<uint64_t> slots(slotCount, 0);
  const size_t mask = slots.size() - 1;
  for (size_t code = 0; code < size(); ++code) {
    const uint64_t h = hash(text(static_cast<int32_t>(code)));
    size_t slot = h & mask;
    while (slots[slot] != 0)
      slot = (slot + 1) & mask;
    slots[slot] = slotEntry(h, code);
  }
  slots_ = std::move(slots);
}

void Dictionary::reserve(size_t count, size_t chars) {
  chars_.reserve(chars);
  starts_.reserve(count + 1);
  size_t slotCount = slots_.empty() ? 16 : slots_.size();
  while (count * 2 > slotCount)
    slotCount *= 2;
  if (slotCount > slots_.size())
    grow(slotCount);
}

void Dictionary::clear() {
  chars_.clear();
  starts_.resize(1);
  // A table grown by a large batch is let go rather than zeroed for every small one after it.
  constexpr size_t kKeptSlots = 64;
  if (slots_.size() > kKeptSlots)
    std::vector<uint64_t>().swap(slots_);
  else
    std::fill(slots_.begin(), slots_.end(), 0);
}

int32_t Dictionary::intern(std::string_view text) {
  if ((size() + 1) * 2 > slots_.size()) // keep the table at most half full
    grow(slots_.empty() ? 16 : slots_.size() * 2);
  const uint64_t h = hash(text);
  const size_t slot = findSlot(text, h);
  if (slots_[slot] != 0)
    return slotCode(slots_[slot]);
  const size_t code = size();
  chars_.append(text);
  starts_.push_back(chars_.size());
  slots_[slot] = slotEntry(h, code);
  return static_cast<int32_t>(code);
}

int32_t Dictionary::lookup(std::string_view text) const {
  if (slots_.empty())
    return -1;
  const uint64_t entry = slots_[findSlot(text, hash(text))];
  return entry == 0 ? -1 : slotCode(entry);
}

int32_t KeyIndex::insert(std::string_view key, int32_t row) {
  const int32_t code = keys_.intern(key);
  if (static_cast<size_t>(code) < rows_.size())
    return rows_[static_cast<size_t>(code)];
  rows_.push_back(row);
  return row;
}

int32_t KeyIndex::find(std::string_view key) const {
  const int32_t code = keys_.lookup(key);
  return code < 0 ? -1 : rows_[static_cast<size_t>(code)];
}

} // namespace fulcrum::runtime
