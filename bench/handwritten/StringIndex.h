// An open-addressing hash index from strings to dense ids: the text dictionary and the rep
// key lookup. Keys are copied into the index's own storage, so callers may pass views into
// buffers they free later.
#pragma once

#include <cstdint>
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
      if (slot.hash == hash && keys_[slot.id] == key)
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
      if (slot.hash == hash && keys_[slot.id] == key)
        return slot.id;
    }
    const auto id = static_cast<int32_t>(keys_.size());
    keys_.emplace_back(key);
    slots_[at] = Slot{hash, id};
    // Keep the load factor at or below one half.
    if (keys_.size() * 2 > slots_.size())
      grow();
    return id;
  }

  const std::string& key(int32_t id) const { return keys_[static_cast<size_t>(id)]; }
  size_t size() const { return keys_.size(); }

private:
  struct Slot {
    uint64_t hash = 0;
    int32_t id = -1;
  };

  size_t mask() const { return slots_.size() - 1; }

  // FNV-1a: the keys are short ids and words.
  static uint64_t hashOf(std::string_view key) {
    uint64_t hash = 14695981039346656037ull;
    for (unsigned char c : key)
      hash = (hash ^ c) * 1099511628211ull;
    return hash ^ (hash >> 29);
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
