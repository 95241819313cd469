// Hand-built Arrow C Data Interface structs for tests: columns of every type the runtime takes,
// with nulls, slices and dictionaries, each struct owning its buffers and counting its releases.
// Tests break the structs after building them (a buffer pointer, n_buffers, an offset) to check
// that bad ones are rejected.
#pragma once

#include "include/fulcrum/arrow_c_data.h"

#include <cstdint>
#include <cstring>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace fulcrum::testing_support {

// One array and its schema, as plain data until made into structs.
struct ArrowNode {
  std::string format, name;
  int64_t length = 0, nullCount = 0, offset = 0;
  std::vector<std::vector<uint8_t>> buffers;
  std::vector<uint8_t> nullBuffers; // per buffer: 1 = hand out a null pointer
  std::vector<ArrowNode> children;
  std::shared_ptr<ArrowNode> dictionary;
};

inline ArrowNode makeNode(std::string format, std::string name) {
  ArrowNode node;
  node.format = std::move(format);
  node.name = std::move(name);
  return node;
}

// Counts the release callbacks run (each struct, children included), for ownership tests.
inline int& arrowReleases() {
  static int count = 0;
  return count;
}

namespace detail {

struct Held {
  std::string format, name;
  std::vector<std::vector<uint8_t>> bufferData; // the array's own buffers (not its children's)
  std::vector<const void*> buffers;
  std::vector<ArrowSchema*> schemaChildren;
  std::vector<ArrowArray*> arrayChildren;
  ArrowSchema* schemaDictionary = nullptr;
  ArrowArray* arrayDictionary = nullptr;
};

inline void releaseSchema(ArrowSchema* schema) {
  auto* held = static_cast<Held*>(schema->private_data);
  for (ArrowSchema* child : held->schemaChildren) {
    if (child->release)
      child->release(child);
    delete child;
  }
  if (held->schemaDictionary) {
    if (held->schemaDictionary->release)
      held->schemaDictionary->release(held->schemaDictionary);
    delete held->schemaDictionary;
  }
  delete held;
  schema->release = nullptr;
  ++arrowReleases();
}

inline void releaseArray(ArrowArray* array) {
  auto* held = static_cast<Held*>(array->private_data);
  for (ArrowArray* child : held->arrayChildren) {
    if (child->release)
      child->release(child);
    delete child;
  }
  if (held->arrayDictionary) {
    if (held->arrayDictionary->release)
      held->arrayDictionary->release(held->arrayDictionary);
    delete held->arrayDictionary;
  }
  delete held;
  array->release = nullptr;
  ++arrowReleases();
}

} // namespace detail

// Makes the structs (each with its own copy of the node's data).
inline void toArrow(const ArrowNode& node, ArrowSchema* schema, ArrowArray* array) {
  auto* schemaHeld = new detail::Held{node.format, node.name, {}, {}, {}, {}, nullptr, nullptr};
  auto* arrayHeld = new detail::Held{{}, {}, node.buffers, {}, {}, {}, nullptr, nullptr};
  for (size_t i = 0; i < arrayHeld->bufferData.size(); ++i) {
    const bool null = i < node.nullBuffers.size() && node.nullBuffers[i];
    arrayHeld->buffers.push_back(null ? nullptr : arrayHeld->bufferData[i].data());
  }
  for (const ArrowNode& child : node.children) {
    auto* childSchema = new ArrowSchema{};
    auto* childArray = new ArrowArray{};
    toArrow(child, childSchema, childArray);
    schemaHeld->schemaChildren.push_back(childSchema);
    arrayHeld->arrayChildren.push_back(childArray);
  }
  if (node.dictionary) {
    schemaHeld->schemaDictionary = new ArrowSchema{};
    arrayHeld->arrayDictionary = new ArrowArray{};
    toArrow(*node.dictionary, schemaHeld->schemaDictionary, arrayHeld->arrayDictionary);
  }
  *schema = ArrowSchema{};
  schema->format = schemaHeld->format.c_str();
  schema->name = schemaHeld->name.c_str();
  schema->flags = ARROW_FLAG_NULLABLE;
  schema->n_children = static_cast<int64_t>(node.children.size());
  schema->children = schemaHeld->schemaChildren.data();
  schema->dictionary = schemaHeld->schemaDictionary;
  schema->release = detail::releaseSchema;
  schema->private_data = schemaHeld;
  *array = ArrowArray{};
  array->length = node.length;
  array->null_count = node.nullCount;
  array->offset = node.offset;
  array->n_buffers = static_cast<int64_t>(node.buffers.size());
  array->n_children = static_cast<int64_t>(node.children.size());
  array->buffers = arrayHeld->buffers.data();
  array->children = arrayHeld->arrayChildren.data();
  array->dictionary = arrayHeld->arrayDictionary;
  array->release = detail::releaseArray;
  array->private_data = arrayHeld;
}

// A validity buffer for `present`, or a null one (and no nulls) when every value is there.
template <typename T>
inline void addValidity(ArrowNode& node, const std::vector<std::optional<T>>& cells) {
  std::vector<uint8_t> bits((cells.size() + 7) / 8 + 1, 0);
  int64_t nulls = 0;
  for (size_t i = 0; i < cells.size(); ++i) {
    if (cells[i])
      bits[i / 8] = static_cast<uint8_t>(bits[i / 8] | (1u << (i % 8)));
    else
      ++nulls;
  }
  node.length = static_cast<int64_t>(cells.size());
  node.nullCount = nulls;
  node.buffers.push_back(nulls ? bits : std::vector<uint8_t>());
  node.nullBuffers.push_back(nulls ? 0 : 1);
}

template <typename Stored, typename T>
inline ArrowNode fixedWidth(std::string name, std::string format,
                            const std::vector<std::optional<T>>& cells) {
  ArrowNode node = makeNode(std::move(format), std::move(name));
  addValidity(node, cells);
  std::vector<uint8_t> values(cells.size() * sizeof(Stored) + 1, 0);
  for (size_t i = 0; i < cells.size(); ++i) {
    const Stored value = cells[i] ? static_cast<Stored>(*cells[i]) : Stored{};
    std::memcpy(values.data() + i * sizeof(Stored), &value, sizeof(Stored));
  }
  node.buffers.push_back(std::move(values));
  return node;
}

inline ArrowNode float64Column(std::string name, const std::vector<std::optional<double>>& cells) {
  return fixedWidth<double>(std::move(name), "g", cells);
}
inline ArrowNode int64Column(std::string name, const std::vector<std::optional<int64_t>>& cells) {
  return fixedWidth<int64_t>(std::move(name), "l", cells);
}
inline ArrowNode int32Column(std::string name, const std::vector<std::optional<int64_t>>& cells) {
  return fixedWidth<int32_t>(std::move(name), "i", cells);
}
inline ArrowNode date32Column(std::string name, const std::vector<std::optional<int32_t>>& cells) {
  return fixedWidth<int32_t>(std::move(name), "tdD", cells);
}

// Decimal128 of unscaled values (sign-extended to 16 bytes).
inline ArrowNode decimalColumn(std::string name, const std::vector<std::optional<int64_t>>& cells,
                               std::string format = "d:18,4") {
  ArrowNode node = makeNode(std::move(format), std::move(name));
  addValidity(node, cells);
  std::vector<uint8_t> values(cells.size() * 16 + 1, 0);
  for (size_t i = 0; i < cells.size(); ++i) {
    const int64_t low = cells[i] ? *cells[i] : 0;
    const int64_t high = low < 0 ? -1 : 0;
    std::memcpy(values.data() + i * 16, &low, 8);
    std::memcpy(values.data() + i * 16 + 8, &high, 8);
  }
  node.buffers.push_back(std::move(values));
  return node;
}

inline ArrowNode boolColumn(std::string name, const std::vector<std::optional<bool>>& cells) {
  ArrowNode node = makeNode("b", std::move(name));
  addValidity(node, cells);
  std::vector<uint8_t> bits((cells.size() + 7) / 8 + 1, 0);
  for (size_t i = 0; i < cells.size(); ++i)
    if (cells[i] && *cells[i])
      bits[i / 8] = static_cast<uint8_t>(bits[i / 8] | (1u << (i % 8)));
  node.buffers.push_back(std::move(bits));
  return node;
}

// utf8 (`u`, int32 offsets) or large utf8 (`U`, int64 offsets).
inline ArrowNode textColumn(std::string name, const std::vector<std::optional<std::string>>& cells,
                            bool large = false) {
  ArrowNode node = makeNode(large ? "U" : "u", std::move(name));
  addValidity(node, cells);
  std::vector<uint8_t> offsets, chars;
  auto putOffset = [&](int64_t at) {
    if (large) {
      const auto* bytes = reinterpret_cast<const uint8_t*>(&at);
      offsets.insert(offsets.end(), bytes, bytes + 8);
    } else {
      const auto small = static_cast<int32_t>(at);
      const auto* bytes = reinterpret_cast<const uint8_t*>(&small);
      offsets.insert(offsets.end(), bytes, bytes + 4);
    }
  };
  putOffset(0);
  for (const auto& cell : cells) {
    if (cell)
      chars.insert(chars.end(), cell->begin(), cell->end());
    putOffset(static_cast<int64_t>(chars.size()));
  }
  chars.push_back(0);
  node.buffers.push_back(std::move(offsets));
  node.buffers.push_back(std::move(chars));
  return node;
}

// Dictionary-encoded text: `indexFormat` `c`, `s` or `i`, over a utf8 dictionary.
inline ArrowNode dictionaryColumn(std::string name,
                                  const std::vector<std::optional<int64_t>>& cells,
                                  const std::vector<std::string>& entries,
                                  std::string indexFormat = "i") {
  ArrowNode node = indexFormat == "c"   ? fixedWidth<int8_t>(std::move(name), "c", cells)
                   : indexFormat == "s" ? fixedWidth<int16_t>(std::move(name), "s", cells)
                                        : fixedWidth<int32_t>(std::move(name), "i", cells);
  std::vector<std::optional<std::string>> values(entries.begin(), entries.end());
  node.dictionary = std::make_shared<ArrowNode>(textColumn("", values));
  return node;
}

// A struct array of `children` (all of one length).
inline ArrowNode structOf(std::vector<ArrowNode> children) {
  ArrowNode node = makeNode("+s", "");
  node.length = children.empty() ? 0 : children[0].length;
  node.buffers.emplace_back();
  node.nullBuffers.push_back(1);
  node.children = std::move(children);
  return node;
}

// Both structs of a struct array, released at the end of the scope unless moved out.
struct ArrowPair {
  ArrowSchema schema{};
  ArrowArray array{};
  explicit ArrowPair(const ArrowNode& node) { toArrow(node, &schema, &array); }
  ArrowPair(const ArrowPair&) = delete;
  ArrowPair& operator=(const ArrowPair&) = delete;
  ~ArrowPair() {
    if (array.release)
      array.release(&array);
    if (schema.release)
      schema.release(&schema);
  }
};

} // namespace fulcrum::testing_support
