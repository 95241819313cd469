// A text column's dictionary: each distinct string gets a dense int32 code.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace fulcrum::runtime {

// Strings live end to end in one buffer; an open-addressing table maps them to codes. Interning
// a string already present allocates nothing. Views from text() last until the next intern.
class Dictionary {
public:
  // The code of `text`, adding it if it is new. Codes are 0, 1, 2... in order of first use.
  int32_t intern(std::string_view text);
  // The code of `text`, or -1 if no cell holds it (so `stage == "Wno"` is simply false).
  int32_t lookup(std::string_view text) const;
  std::string_view text(int32_t code) const {
    const auto c = static_cast<size_t>(code);
    return std::string_view(chars_).substr(starts_[c], starts_[c + 1] - starts_[c]);
  }
  size_t size() const { return starts_.size() - 1; }
  // Starts fetching the slot where `text` is looked up into the cache, so that interning it a
  // little later does not wait on memory: a mostly distinct column's table (a key's) outgrows
  // the caches, and its first slot load was a third of a load's time (docs/performance.md).
  void prefetch(std::string_view text) const {
    if (!slots_.empty())
      __builtin_prefetch(&slots_[hash(text) & (slots_.size() - 1)]);
  }
  // Room for `count` strings of `chars` bytes in all without growing.
  void reserve(size_t count, size_t chars);
  // No strings, keeping the memory of a small table for the next ones (a feed's scratch).
  void clear();

private:
  static uint64_t hash(std::string_view text);
  size_t findSlot(std::string_view text, uint64_t hash) const;
  void grow(size_t slotCount);

  std::string chars_;             // every string, end to end
  std::vector<size_t> starts_{0}; // code -> offset in chars_; one extra for the end
  // Per slot: the hash's high 32 bits << 32 | (code + 1), or 0 when empty; a power of 2 of them.
  // Probing compares hashes without touching the strings.
  std::vector<uint64_t> slots_;
};

// Canonical key text -> row, for a table's key field.
class KeyIndex {
public:
  KeyIndex() = default;
  // From distinct canonical keys and, per key code, its row.
  KeyIndex(Dictionary keys, std::vector<int32_t> rows)
      : keys_(std::move(keys)), rows_(std::move(rows)) {}

  // Adds `key` for `row`; if the key is already there, leaves it and returns its row instead.
  int32_t insert(std::string_view key, int32_t row);
  // The row with `key`, or -1.
  int32_t find(std::string_view key) const;
  size_t size() const { return rows_.size(); }
  std::string_view key(size_t i) const { return keys_.text(static_cast<int32_t>(i)); }
  int32_t row(size_t i) const { return rows_[i]; }

private:
  Dictionary keys_;
  std::vector<int32_t> rows_; // per key code
};

} // namespace fulcrum::runtime
