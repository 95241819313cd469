// A text column's dictionary: each distinct string gets a dense int32 code.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace fulcrum::runtime {

// Strings live end to end in one buffer; an open-addressing table maps them to codes. Interning
// a string already present allocates nothing. Views from text() last until the next intern.
// Copies share their strings and table until one of them changes (copy on write): a table's key
// index and its key column hold one dictionary, not two (a text key's is the largest of a load).
class Dictionary {
public:
  // The code of `text`, adding it if it is new. Codes are 0, 1, 2... in order of first use.
  int32_t intern(std::string_view text);
  // The code of `text`, or -1 if no cell holds it (so `stage == "Wno"` is simply false).
  int32_t lookup(std::string_view text) const;
  std::string_view text(int32_t code) const {
    const auto c = static_cast<size_t>(code);
    const std::vector<size_t>& starts = storage_->starts;
    return std::string_view(storage_->chars).substr(starts[c], starts[c + 1] - starts[c]);
  }
  size_t size() const { return storage_ ? storage_->starts.size() - 1 : 0; }
  // The bytes of all its strings.
  size_t textBytes() const { return storage_ ? storage_->chars.size() : 0; }
  // Starts fetching the slot where `text` is looked up into the cache, so that interning it a
  // little later does not wait on memory: a mostly distinct column's table (a key's) outgrows
  // the caches, and its first slot load was a third of a load's time (docs/performance.md).
  void prefetch(std::string_view text) const {
    if (storage_ && !storage_->slots.empty())
      __builtin_prefetch(&storage_->slots[hash(text) & (storage_->slots.size() - 1)]);
  }
  // Room for `count` strings of `chars` bytes in all without growing.
  void reserve(size_t count, size_t chars);
  // No strings, keeping the memory of a small table for the next ones (a feed's scratch).
  void clear();
  // Whether `other` is a copy of this one that neither has changed since (one storage).
  bool sharesStorageWith(const Dictionary& other) const {
    return storage_ != nullptr && storage_ == other.storage_;
  }

private:
  struct Storage {
    std::string chars;             // every string, end to end
    std::vector<size_t> starts{0}; // code -> offset in chars; one extra for the end
    // Per slot: the hash's high 32 bits << 32 | (code + 1), or 0 when empty; a power of 2 of
    // them. Probing compares hashes without touching the strings.
    std::vector<uint64_t> slots;
  };

  static uint64_t hash(std::string_view text);
  static size_t findSlot(const Storage& storage, std::string_view text, uint64_t hash);
  static void grow(Storage& storage, size_t slotCount);
  // The storage this dictionary alone holds, made (none yet) or copied (shared) first.
  Storage& own();

  // Null until the first string (an empty dictionary allocates nothing); shared by copies and
  // never changed while shared.
  std::shared_ptr<Storage> storage_;
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
  // The keys, key i being code i (a text key column's own dictionary when it is canonical).
  const Dictionary& keys() const { return keys_; }
  int32_t row(size_t i) const { return rows_[i]; }

private:
  Dictionary keys_;
  std::vector<int32_t> rows_; // per key code
};

} // namespace fulcrum::runtime
