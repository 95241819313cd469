// Building owned Arrow structs: each array and schema keeps its buffers and its children's
// structs in its private_data, freed by its release callback after the children's.
#include "runtime/arrow/ArrowExport.h"

#include <cmath>
#include <cstring>
#include <memory>
#include <new>
#include <vector>

namespace fulcrum::runtime::arrow {
namespace {

// A struct's storage releases the children still in it (not moved out by the receiver, whose
// release is then null), whether the struct is released or building it failed half way.
struct SchemaStorage {
  std::string format, name;
  std::vector<std::unique_ptr<ArrowSchema>> children;
  std::vector<ArrowSchema*> childPointers;
  ~SchemaStorage() {
    for (auto& child : children)
      if (child->release)
        child->release(child.get());
  }
};

struct ArrayStorage {
  std::vector<std::vector<uint8_t>> buffers;
  std::vector<const void*> bufferPointers;
  std::vector<std::unique_ptr<ArrowArray>> children;
  std::vector<ArrowArray*> childPointers;
  ~ArrayStorage() {
    for (auto& child : children)
      if (child->release)
        child->release(child.get());
  }
};

void releaseSchema(ArrowSchema* schema) {
  delete static_cast<SchemaStorage*>(schema->private_data);
  schema->release = nullptr;
}

void releaseArray(ArrowArray* array) {
  delete static_cast<ArrayStorage*>(array->private_data);
  array->release = nullptr;
}

// Fills `out` to own `storage` (format, name and children already in it).
void finishSchema(ArrowSchema& out, std::unique_ptr<SchemaStorage> storage, int64_t flags) {
  for (auto& child : storage->children)
    storage->childPointers.push_back(child.get());
  out = ArrowSchema{};
  out.format = storage->format.c_str();
  out.name = storage->name.c_str();
  out.flags = flags;
  out.n_children = static_cast<int64_t>(storage->childPointers.size());
  out.children = storage->childPointers.empty() ? nullptr : storage->childPointers.data();
  out.release = releaseSchema;
  out.private_data = storage.release();
}

void finishArray(ArrowArray& out, std::unique_ptr<ArrayStorage> storage, int64_t length,
                 int64_t nullCount) {
  for (auto& buffer : storage->buffers)
    storage->bufferPointers.push_back(buffer.empty() ? nullptr : buffer.data());
  for (auto& child : storage->children)
    storage->childPointers.push_back(child.get());
  out = ArrowArray{};
  out.length = length;
  out.null_count = nullCount;
  out.n_buffers = static_cast<int64_t>(storage->bufferPointers.size());
  out.buffers = storage->bufferPointers.data();
  out.n_children = static_cast<int64_t>(storage->childPointers.size());
  out.children = storage->childPointers.empty() ? nullptr : storage->childPointers.data();
  out.release = releaseArray;
  out.private_data = storage.release();
}

void setBit(std::vector<uint8_t>& bits, size_t index) {
  bits[index >> 3] = static_cast<uint8_t>(bits[index >> 3] | (1u << (index & 7)));
}

template <typename T> void put(std::vector<uint8_t>& buffer, size_t index, T value) {
  std::memcpy(buffer.data() + index * sizeof(T), &value, sizeof(T));
}

const char* formatOf(ValueType kind) {
  switch (kind) {
  case ValueType::Money:
    return "d:18,4";
  case ValueType::Count:
    return "l";
  case ValueType::Bool:
    return "b";
  case ValueType::Date:
    return "tdD";
  case ValueType::Text:
  case ValueType::Period:
  case ValueType::Reference:
  case ValueType::Missing:
    return "u";
  default:
    return "g"; // number, percent, durations
  }
}

// A utf8 array of `rows` strings (`text(row)`), null where `present(row)` is false.
template <typename Text, typename Present>
void textArray(ArrowArray& out, size_t rows, Text text, Present present) {
  auto storage = std::make_unique<ArrayStorage>();
  std::vector<uint8_t> validity((rows + 7) / 8, 0);
  std::vector<uint8_t> offsets((rows + 1) * sizeof(int32_t), 0);
  std::vector<uint8_t> chars;
  int64_t nulls = 0;
  for (size_t row = 0; row < rows; ++row) {
    if (present(row)) {
      setBit(validity, row);
      const std::string value = text(row);
      chars.insert(chars.end(), value.begin(), value.end());
    } else {
      ++nulls;
    }
    if (chars.size() > static_cast<size_t>(INT32_MAX))
      throw std::bad_alloc(); // past utf8's 2 GiB: reported as out of memory
    put(offsets, row + 1, static_cast<int32_t>(chars.size()));
  }
  if (chars.empty())
    chars.push_back(0); // a non-null data buffer even when every string is empty
  storage->buffers.push_back(nulls ? std::move(validity) : std::vector<uint8_t>());
  storage->buffers.push_back(std::move(offsets));
  storage->buffers.push_back(std::move(chars));
  finishArray(out, std::move(storage), static_cast<int64_t>(rows), nulls);
}

void valueArray(ArrowArray& out, const ResultTable& table, size_t column) {
  const size_t rows = table.subjects();
  const ValueType kind = table.columns[column].kind;
  if (std::string_view(formatOf(kind)) == "u")
    return textArray(
        out, rows, [&](size_t row) { return table.raw(column, row); },
        [&](size_t row) { return table.present(column, row); });
  auto storage = std::make_unique<ArrayStorage>();
  std::vector<uint8_t> validity((rows + 7) / 8, 0);
  std::vector<uint8_t> values;
  switch (kind) {
  case ValueType::Money:
    values.assign(rows * 16, 0);
    break;
  case ValueType::Count:
    values.assign(rows * 8, 0);
    break;
  case ValueType::Bool:
    values.assign((rows + 7) / 8, 0);
    break;
  case ValueType::Date:
    values.assign(rows * 4, 0);
    break;
  default:
    values.assign(rows * 8, 0);
    break;
  }
  int64_t nulls = 0;
  for (size_t row = 0; row < rows; ++row) {
    if (!table.present(column, row)) {
      ++nulls;
      continue;
    }
    setBit(validity, row);
    const double value = table.value(column, row);
    switch (kind) {
    case ValueType::Money: { // whole units: the decimal128's unscaled value at scale 4
      const auto units = static_cast<int64_t>(value);
      put(values, 2 * row, units);
      put(values, 2 * row + 1, static_cast<int64_t>(units < 0 ? -1 : 0));
      break;
    }
    case ValueType::Count:
      put(values, row, static_cast<int64_t>(std::llround(value)));
      break;
    case ValueType::Bool:
      if (value != 0)
        setBit(values, row);
      break;
    case ValueType::Date:
      put(values, row, static_cast<int32_t>(value));
      break;
    default:
      put(values, row, value);
      break;
    }
  }
  storage->buffers.push_back(nulls ? std::move(validity) : std::vector<uint8_t>());
  if (values.empty())
    values.push_back(0); // a non-null data buffer for an empty result
  storage->buffers.push_back(std::move(values));
  finishArray(out, std::move(storage), static_cast<int64_t>(rows), nulls);
}

std::unique_ptr<SchemaStorage> leafSchema(const char* format, const std::string& name) {
  auto storage = std::make_unique<SchemaStorage>();
  storage->format = format;
  storage->name = name;
  return storage;
}

} // namespace

bool exportResult(const ResultTable& table, ArrowSchema* schemaOut, ArrowArray* arrayOut,
                  std::string& error) {
  try {
    auto schema = std::make_unique<SchemaStorage>();
    auto array = std::make_unique<ArrayStorage>();
    schema->format = "+s";
    const size_t rows = table.subjects();
    // The key, then each output: a child schema and array for each (released with the parent,
    // or by the unique_ptrs here if building fails half way).
    auto addChild = [&](std::unique_ptr<SchemaStorage> childSchema, auto&& build) {
      auto& childArray = array->children.emplace_back(std::make_unique<ArrowArray>());
      *childArray = ArrowArray{};
      build(*childArray);
      auto& child = schema->children.emplace_back(std::make_unique<ArrowSchema>());
      finishSchema(*child, std::move(childSchema), ARROW_FLAG_NULLABLE);
    };
    addChild(leafSchema("u", table.keyName), [&](ArrowArray& out) {
      textArray(
          out, rows, [&](size_t row) { return table.keys[row]; }, [](size_t) { return true; });
    });
    for (size_t c = 0; c < table.columns.size(); ++c)
      addChild(leafSchema(formatOf(table.columns[c].kind), table.columns[c].name),
               [&](ArrowArray& out) { valueArray(out, table, c); });
    array->buffers.emplace_back(); // the struct's validity: every row present
    ArrowSchema builtSchema;
    ArrowArray builtArray;
    finishSchema(builtSchema, std::move(schema), 0);
    finishArray(builtArray, std::move(array), static_cast<int64_t>(rows), 0);
    *schemaOut = builtSchema;
    *arrayOut = builtArray;
    return true;
  } catch (const std::bad_alloc&) {
    error = "out of memory while exporting the result as Arrow columns";
    return false;
  }
}

} // namespace fulcrum::runtime::arrow
