// Interning and lookup for dictionary-encoded text, and the key index built on it.
#include "runtime/data/Dictionary.h"

#include <algorithm>
#include <atomic>
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

size_t Dictionary::findSlot(const Storage& storage, std::string_view text, uint64_t h) {
  const std::vector<uint64_t>& slots = storage.slots;
  const std::vector<size_t>& starts = storage.starts;
  const size_t mask = slots.size() - 1;
  for (size_t slot = h & mask;; slot = (slot + 1) & mask) {
    const uint64_t entry = slots[slot];
    if (entry == 0)
      return slot;
    if ((entry & kHighBits) != (h & kHighBits))
      continue;
    const auto code = static_cast<size_t>(slotCode(entry));
    if (sameText(
            text,
            std::string_view(storage.chars).substr(starts[code], starts[code + 1] - starts[code])))
      return slot;
  }
}

// Hashes are recomputed here rather than kept per string: short strings hash in a few cycles.
void Dictionary::grow(Storage& storage, size_t slotCount) {
  std::vector<uint64_t> slots(slotCount, 0);
  const size_t mask = slots.size() - 1;
  const std::string_view chars = storage.chars;
  for (size_t code = 0; code + 1 < storage.starts.size(); ++code) {
    const size_t begin = storage.starts[code];
    const uint64_t h = hash(chars.substr(begin, storage.starts[code + 1] - begin));
    size_t slot = h & mask;
    while (slots[slot] != 0)
      slot = (slot + 1) & mask;
    slots[slot] = slotEntry(h, code);
  }
  storage.slots = std::move(slots);
}

Dictionary::Storage& Dictionary::own() {
  if (!storage_) {
    storage_ = std::make_shared<Storage>();
  } else if (storage_.use_count() > 1) {
    storage_ = std::make_shared<Storage>(*storage_);
  } else {
    // The last other holder let go on another thread: see its reads of the storage done before
    // this one writes it (use_count is a relaxed load of the count its release decremented).
    std::atomic_thread_fence(std::memory_order_acquire);
  }
  return *storage_;
}

void Dictionary::reserve(size_t count, size_t chars) {
  Storage& storage = own();
  storage.chars.reserve(chars);
  storage.starts.reserve(count + 1);
  size_t slotCount = storage.slots.empty() ? 16 : storage.slots.size();
  while (count * 2 > slotCount)
    slotCount *= 2;
  if (slotCount > storage.slots.size())
    grow(storage, slotCount);
}

void Dictionary::clear() {
  if (!storage_)
    return;
  if (storage_.use_count() > 1) { // shared: let the others keep it
    storage_.reset();
    return;
  }
  Storage& storage = own();
  storage.chars.clear();
  storage.starts.resize(1);
  // A table grown by a large batch is let go rather than zeroed for every small one after it.
  constexpr size_t kKeptSlots = 64;
  if (storage.slots.size() > kKeptSlots)
    std::vector<uint64_t>().swap(storage.slots);
  else
    std::fill(storage.slots.begin(), storage.slots.end(), 0);
}

int32_t Dictionary::intern(std::string_view text) {
  Storage& storage = own();
  if (storage.starts.size() * 2 > storage.slots.size()) // keep the table at most half full
    grow(storage, storage.slots.empty() ? 16 : storage.slots.size() * 2);
  const uint64_t h = hash(text);
  const size_t slot = findSlot(storage, text, h);
  if (storage.slots[slot] != 0)
    return slotCode(storage.slots[slot]);
  const size_t code = storage.starts.size() - 1;
  storage.chars.append(text);
  storage.starts.push_back(storage.chars.size());
  storage.slots[slot] = slotEntry(h, code);
  return static_cast<int32_t>(code);
}

int32_t Dictionary::lookup(std::string_view text) const {
  if (!storage_ || storage_->slots.empty())
    return -1;
  const uint64_t entry = storage_->slots[findSlot(*storage_, text, hash(text))];
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
