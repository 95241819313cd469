// A table held in memory, handed to Fulcrum through the Arrow C Data Interface
// (https://arrow.apache.org/docs/format/CDataInterface.html) with no Arrow library: a struct
// array (`+s`) with one child per field. Value buffers of fixed width point straight into the
// host's vectors (fulcrum uses numbers and dates without copying, so those vectors must outlive
// the fulcrum::Data they are bound to); what Arrow lays out differently from a std::vector
// (string offsets, validity and boolean bitmaps, decimal128 values, dictionary indexes) is built
// here and owned by the exported structs, whose release callbacks free it.
#pragma once

#include <cstdint>
#include <cstring>
#include <deque>
#include <fulcrum/arrow_c_data.h>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace embed {

class ArrowColumns {
public:
  explicit ArrowColumns(int64_t rows) : batch_(std::make_shared<Batch>()) { batch_->rows = rows; }

  // utf8 (`u`): text, references (the key of the row referred to), periods.
  void text(const char* name, const std::vector<std::string>& values) {
    Node& node = add(name, "u");
    node.buffers = {nullptr, offsets(values), characters(values)};
  }
  // A dictionary (`i`: int32 indexes) of utf8 words: a column of few distinct values.
  void dictionary(const char* name, const std::vector<int32_t>& indexes,
                  const std::vector<std::string>& words) {
    Node& node = add(name, "i");
    node.buffers = {nullptr, indexes.data()};
    node.dictionary = std::make_unique<Node>();
    node.dictionary->length = static_cast<int64_t>(words.size());
    node.dictionary->format = "u";
    node.dictionary->buffers = {nullptr, offsets(words), characters(words)};
  }
  // int64 (`l`): counts. Used in place.
  void int64(const char* name, const std::vector<int64_t>& values) {
    add(name, "l").buffers = {nullptr, values.data()};
  }
  // float64 (`g`): numbers and percents. Used in place.
  void float64(const char* name, const std::vector<double>& values) {
    add(name, "g").buffers = {nullptr, values.data()};
  }
  // date32 (`tdD`, days since 1970-01-01), with the missing ones marked in a validity bitmap.
  void date32(const char* name, const std::vector<int32_t>& days,
              const std::vector<bool>& present) {
    Node& node = add(name, "tdD");
    node.buffers = {validity(present, node), days.data()};
  }
  // decimal128(18,4) (`d:18,4`): money, as whole units of 1/10,000, 16 bytes little-endian each.
  void money(const char* name, const std::vector<std::optional<int64_t>>& units) {
    std::vector<bool> present;
    std::vector<uint8_t>& bytes = batch_->owned.emplace_back(units.size() * 16);
    for (size_t row = 0; row < units.size(); ++row) {
      const int64_t low = units[row].value_or(0), high = low < 0 ? -1 : 0;
      std::memcpy(&bytes[row * 16], &low, 8);
      std::memcpy(&bytes[row * 16 + 8], &high, 8);
      present.push_back(units[row].has_value());
    }
    Node& node = add(name, "d:18,4");
    node.buffers = {validity(present, node), bytes.data()};
  }
  // bool (`b`): bit-packed, least significant bit first.
  void boolean(const char* name, const std::vector<bool>& values) {
    add(name, "b").buffers = {nullptr, bits(values)};
  }

  // Hands the table over: the caller (fulcrum) owns both structs and calls their release.
  void exportTo(ArrowSchema* schema, ArrowArray* array) && {
    Batch& b = *batch_;
    b.root.format = "+s";
    b.root.length = b.rows;
    b.root.buffers = {nullptr};
    for (auto& column : b.columns)
      link(*column);
    link(b.root);
    for (auto& column : b.columns) {
      b.schemaChildren.push_back(&column->schema);
      b.arrayChildren.push_back(&column->array);
    }
    b.root.schema.n_children = b.root.array.n_children = static_cast<int64_t>(b.columns.size());
    b.root.schema.children = b.schemaChildren.data();
    b.root.array.children = b.arrayChildren.data();
    *schema = b.root.schema;
    *array = b.root.array;
    schema->private_data = new std::shared_ptr<Batch>(batch_);
    schema->release = [](ArrowSchema* s) { releaseRoot(s); };
    array->private_data = new std::shared_ptr<Batch>(std::move(batch_));
    array->release = [](ArrowArray* a) { releaseRoot(a); };
  }

private:
  struct Node {
    std::string name, format;
    int64_t length = 0, nullCount = 0;
    std::vector<const void*> buffers;
    std::unique_ptr<Node> dictionary;
    ArrowSchema schema{};
    ArrowArray array{};
  };
  struct Batch {
    int64_t rows = 0;
    Node root;
    std::vector<std::unique_ptr<Node>> columns;
    std::vector<ArrowSchema*> schemaChildren;
    std::vector<ArrowArray*> arrayChildren;
    std::deque<std::vector<uint8_t>> owned; // offsets, characters, bitmaps, decimals
  };

  Node& add(const char* name, const char* format) {
    auto& node = batch_->columns.emplace_back(std::make_unique<Node>());
    node->name = name;
    node->format = format;
    node->length = batch_->rows;
    return *node;
  }
  const void* offsets(const std::vector<std::string>& values) {
    std::vector<uint8_t>& bytes = batch_->owned.emplace_back((values.size() + 1) * 4);
    int32_t end = 0;
    std::memcpy(bytes.data(), &end, 4);
    for (size_t i = 0; i < values.size(); ++i) {
      end += static_cast<int32_t>(values[i].size());
      std::memcpy(&bytes[(i + 1) * 4], &end, 4);
    }
    return bytes.data();
  }
  const void* characters(const std::vector<std::string>& values) {
    std::vector<uint8_t>& bytes = batch_->owned.emplace_back();
    for (const std::string& value : values)
      bytes.insert(bytes.end(), value.begin(), value.end());
    return bytes.data();
  }
  const void* bits(const std::vector<bool>& values) {
    std::vector<uint8_t>& bytes = batch_->owned.emplace_back((values.size() + 7) / 8);
    for (size_t i = 0; i < values.size(); ++i)
      if (values[i])
        bytes[i / 8] |= static_cast<uint8_t>(1u << (i % 8));
    return bytes.data();
  }
  const void* validity(const std::vector<bool>& present, Node& node) {
    for (bool p : present)
      node.nullCount += p ? 0 : 1;
    return bits(present);
  }

  // Fills a node's Arrow structs from its fields. Children are released with their parent.
  static void link(Node& node) {
    if (node.dictionary)
      link(*node.dictionary);
    node.schema.format = node.format.c_str();
    node.schema.name = node.name.c_str();
    node.schema.flags = ARROW_FLAG_NULLABLE;
    node.schema.dictionary = node.dictionary ? &node.dictionary->schema : nullptr;
    node.schema.release = [](ArrowSchema* s) { releaseChild(s); };
    node.array.length = node.length;
    node.array.null_count = node.nullCount;
    node.array.n_buffers = static_cast<int64_t>(node.buffers.size());
    node.array.buffers = node.buffers.data();
    node.array.dictionary = node.dictionary ? &node.dictionary->array : nullptr;
    node.array.release = [](ArrowArray* a) { releaseChild(a); };
  }
  // A column's memory belongs to the whole batch: releasing a column (with its dictionary) only
  // marks it released, as the specification requires; the root's release frees the batch.
  template <typename Struct> static void releaseChild(Struct* child) {
    if (child->dictionary && child->dictionary->release)
      child->dictionary->release(child->dictionary);
    child->release = nullptr;
  }
  template <typename Struct> static void releaseRoot(Struct* root) {
    for (int64_t i = 0; i < root->n_children; ++i)
      if (root->children[i]->release)
        root->children[i]->release(root->children[i]);
    if (root->dictionary && root->dictionary->release)
      root->dictionary->release(root->dictionary);
    delete static_cast<std::shared_ptr<Batch>*>(root->private_data);
    root->release = nullptr;
  }

  std::shared_ptr<Batch> batch_;
};

} // namespace embed
