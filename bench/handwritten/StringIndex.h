// An open-addressing hash index from strings to dense ids: the text dictionary and the rep
// key lookup. Keys are copied into the index's own storage, so callers may pass views into
// buffers they free later. Short keys (ids, words) also sit in their slot, so a lookup is
// one probe into the slot array, no pointer chasing.
#pragma once

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <deque>
#include <string>
#include <string_view>
#include <vector>

namespace handwritten {

class StringIndex {
public:
  StringIndex() { slots_.assign(64, Slot{}); }

  // The id of `key`, or -1.
  int32_t find(std::string_view key) const {
    const uint64_t hash = hashOf(key);
    for (size_t at = hash & mask();; at = (at + 1) & mask()) {
      const Slot& slot = slots_[at];
      if (slot.id < 0)
        return -1;
      if (slot.hash == hash && matches(slot, key))
        return slot.id;
    }
  }

  // The id of `key`, giving it the next id when new.
  int32_t intern(std::string_view key) {
    const uint64_t hash = hashOf(key);
    size_t at = hash & mask();
    for (;; at = (at + 1) & mask()) {
      const Slot& slot = slots_[at];
      if (slot.id < 0)
        break;
      if (slot.hash == hash && matches(slot, key))
        return slot.id;
    }
    const auto id = static_cast<int32_t>(keys_.size());
    keys_.emplace_back(key);
    Slot& slot = slots_[at];
    slot.hash = hash;
    slot.id = id;
    slot.length = static_cast<uint32_t>(key.size());
    std::memcpy(slot.shortKey, key.data(), std::min(key.size(), kShortKey));
    // Keep the load factor at or below one half.
    if (keys_.size() * 2 > slots_.size())
      grow();
    return id;
  }

  const std::string& key(int32_t id) const { return keys_[static_cast<size_t>(id)]; }
  size_t size() const { return keys_.size(); }

private:
  static constexpr size_t kShortKey = 16;

  struct Slot {
    uint64_t hash = 0;
    int32_t id = -1;
    uint32_t length = 0;
    char shortKey[kShortKey] = {}; // the key's first bytes
  };

  bool matches(const Slot& slot, std::string_view key) const {
    if (slot.length != key.size())
      return false;
    if (key.size() <= kShortKey)
      return std::memcmp(slot.shortKey, key.data(), key.size()) == 0;
    return keys_[static_cast<size_t>(slot.id)] == key;
  }

  size_t mask() const { return slots_.size() - 1; }

  // Eight bytes at a time, each word mixed in by a multiply (the keys are short).
  static uint64_t hashOf(std::string_view key) {
    constexpr uint64_t kMultiplier = 0x9E3779B97F4A7C15ull;
    uint64_t hash = key.size() * kMultiplier;
    size_t at = 0;
    for (; at + 8 <= key.size(); at += 8) {
      uint64_t word;
      std::memcpy(&word, key.data() + at, 8);
      hash = (hash ^ word) * kMultiplier;
      hash ^= hash >> 32;
    }
    if (at < key.size()) {
      uint64_t word = 0;
      std::memcpy(&word, key.data() + at, key.size() - at);
      hash = (hash ^ word) * kMultiplier;
      hash ^= hash >> 32;
    }
    // A final avalanche: ids differing only in their last byte must differ in the low bits
    // that pick the slot.
    hash ^= hash >> 33;
    hash *= 0xFF51AFD7ED558CCDull;
    hash ^= hash >> 33;
    return hash;
  }

  void grow() {
    std::vector<Slot> old(slots_.size() * 2, Slot{});
    old.swap(slots_);
    for (const Slot& slot : old) {
      if (slot.id < 0)
        continue;
      size_t at = slot.hash & mask();
      while (slots_[at].id >= 0)
        at = (at + 1) & mask();
      slots_[at] = slot;
    }
  }

  std::vector<Slot> slots_;
  std::deque<std::string> keys_; // stable: ids index it
};

} // namespace handwritten
