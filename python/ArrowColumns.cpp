#include "python/ArrowColumns.h"

#include <climits>
#include <cstring>
#include <memory>
#include <stdexcept>

namespace py = pybind11;

namespace fulcrum::python {
namespace {

// What one child array owns: the numpy array whose buffer it points into (or nothing), and the
// buffers built here.
struct ChildData {
  py::object keepAlive;
  std::vector<uint8_t> validity;
  std::vector<uint8_t> bits; // booleans, bit-packed
  std::vector<int32_t> offsets;
  std::string bytes;
  const void* buffers[3] = {nullptr, nullptr, nullptr};
};

struct ParentData {
  std::vector<ArrowArray*> children;
};

struct SchemaData {
  std::string format;
  std::string name;
  std::vector<ArrowSchema*> children;
};

void releaseChild(ArrowArray* array) {
  {
    // fulcrum may free the data on a thread that does not hold the GIL; dropping the numpy
    // reference needs it.
    py::gil_scoped_acquire gil;
    delete static_cast<ChildData*>(array->private_data);
  }
  array->release = nullptr;
}

void releaseParent(ArrowArray* array) {
  auto* data = static_cast<ParentData*>(array->private_data);
  for (ArrowArray* child : data->children) {
    if (child->release)
      child->release(child);
    delete child;
  }
  delete data;
  array->release = nullptr;
}

void releaseSchema(ArrowSchema* schema) {
  auto* data = static_cast<SchemaData*>(schema->private_data);
  for (ArrowSchema* child : data->children) {
    if (child->release)
      child->release(child);
    delete child;
  }
  delete data;
  schema->release = nullptr;
}

const char* formatOf(ColumnKind kind) {
  switch (kind) {
  case ColumnKind::Float64:
    return "g";
  case ColumnKind::Int64:
    return "l";
  case ColumnKind::Date32:
    return "tdD";
  case ColumnKind::Bool:
    return "b";
  case ColumnKind::Utf8:
    return "u";
  }
  return "";
}

void fillSchema(ArrowSchema* schema, std::string format, std::string name) {
  auto* data = new SchemaData{std::move(format), std::move(name), {}};
  *schema = ArrowSchema{};
  schema->format = data->format.c_str();
  schema->name = data->name.c_str();
  schema->flags = ARROW_FLAG_NULLABLE;
  schema->release = releaseSchema;
  schema->private_data = data;
}

// A numpy array of exactly this element type, one-dimensional and contiguous, as it is (no copy).
template <typename T> py::array_t<T> exactArray(const ArrowColumn& column) {
  if (!py::isinstance<py::array_t<T, py::array::c_style>>(column.values))
    throw std::invalid_argument("column `" + column.name + "`: values of the wrong element type");
  auto array = py::reinterpret_borrow<py::array_t<T>>(column.values);
  if (array.ndim() != 1 || !(array.flags() & py::array::c_style))
    throw std::invalid_argument("column `" + column.name + "`: not a contiguous 1-d array");
  return array;
}

int64_t lengthOf(const ArrowColumn& column) {
  if (column.kind == ColumnKind::Utf8)
    return static_cast<int64_t>(py::len(column.values));
  return static_cast<int64_t>(py::reinterpret_borrow<py::array>(column.values).size());
}

// Arrow's validity bitmap (bit set = valid, least significant bit first); its null count.
int64_t fillValidity(const bool* isMissing, int64_t length, ChildData& data) {
  if (!isMissing)
    return 0;
  data.validity.assign(static_cast<size_t>((length + 7) / 8), 0);
  int64_t nulls = 0;
  for (int64_t row = 0; row < length; ++row) {
    if (isMissing[row])
      ++nulls;
    else
      data.validity[static_cast<size_t>(row / 8)] |= static_cast<uint8_t>(1u << (row % 8));
  }
  if (nulls == 0)
    data.validity.clear();
  return nulls;
}

ArrowArray* exportChild(const ArrowColumn& column, int64_t length) {
  auto data = std::make_unique<ChildData>();
  py::array_t<bool> missing;
  const bool* isMissing = nullptr;
  if (!column.missing.is_none()) {
    missing = exactArray<bool>(ArrowColumn{column.name, column.kind, column.missing, {}});
    if (missing.size() != length)
      throw std::invalid_argument("column `" + column.name + "`: mask length differs");
    isMissing = missing.data();
  }
  int64_t nulls = fillValidity(isMissing, length, *data);
  switch (column.kind) {
  case ColumnKind::Float64: {
    auto values = exactArray<double>(column);
    data->buffers[1] = values.data();
    data->keepAlive = std::move(values);
    break;
  }
  case ColumnKind::Int64: {
    auto values = exactArray<int64_t>(column);
    data->buffers[1] = values.data();
    data->keepAlive = std::move(values);
    break;
  }
  case ColumnKind::Date32: {
    auto values = exactArray<int32_t>(column);
    data->buffers[1] = values.data();
    data->keepAlive = std::move(values);
    break;
  }
  case ColumnKind::Bool: {
    auto values = exactArray<uint8_t>(column);
    data->bits.assign(static_cast<size_t>((length + 7) / 8), 0);
    for (int64_t row = 0; row < length; ++row)
      if (values.data()[row])
        data->bits[static_cast<size_t>(row / 8)] |= static_cast<uint8_t>(1u << (row % 8));
    data->buffers[1] = data->bits.data();
    break;
  }
  case ColumnKind::Utf8: {
    auto values = py::reinterpret_borrow<py::list>(column.values);
    data->offsets.reserve(static_cast<size_t>(length) + 1);
    data->offsets.push_back(0);
    for (int64_t row = 0; row < length; ++row) {
      if (!(isMissing && isMissing[row])) {
        py::handle cell = values[static_cast<size_t>(row)];
        if (!py::isinstance<py::str>(cell))
          throw std::invalid_argument("column `" + column.name + "`: row " +
                                      std::to_string(row + 1) + " is not text");
        Py_ssize_t size = 0;
        const char* utf8 = PyUnicode_AsUTF8AndSize(cell.ptr(), &size);
        if (!utf8)
          throw py::error_already_set();
        data->bytes.append(utf8, static_cast<size_t>(size));
      }
      if (data->bytes.size() > INT32_MAX)
        throw std::invalid_argument("column `" + column.name + "`: more than 2 GiB of text");
      data->offsets.push_back(static_cast<int32_t>(data->bytes.size()));
    }
    data->buffers[1] = data->offsets.data();
    data->buffers[2] = data->bytes.data();
    break;
  }
  }
  data->buffers[0] = data->validity.empty() ? nullptr : data->validity.data();

  auto* array = new ArrowArray{};
  array->length = length;
  array->null_count = nulls;
  array->n_buffers = column.kind == ColumnKind::Utf8 ? 3 : 2;
  array->buffers = data->buffers;
  array->release = releaseChild;
  array->private_data = data.release();
  return array;
}

} // namespace

void exportColumns(const std::vector<ArrowColumn>& columns, ArrowSchema* schema,
                   ArrowArray* array) {
  int64_t length = columns.empty() ? 0 : lengthOf(columns.front());
  for (const ArrowColumn& column : columns)
    if (lengthOf(column) != length)
      throw std::invalid_argument("column `" + column.name + "` has " +
                                  std::to_string(lengthOf(column)) + " rows, not " +
                                  std::to_string(length));

  // Built into locals first, so a throw part-way releases what was made.
  ArrowSchema parentSchema;
  fillSchema(&parentSchema, "+s", "");
  ArrowArray parentArray{};
  auto* parentData = new ParentData{};
  static const void* noBuffers[1] = {nullptr};
  parentArray.length = length;
  parentArray.n_buffers = 1;
  parentArray.buffers = noBuffers;
  parentArray.release = releaseParent;
  parentArray.private_data = parentData;
  auto* schemaData = static_cast<SchemaData*>(parentSchema.private_data);
  try {
    for (const ArrowColumn& column : columns) {
      auto* childSchema = new ArrowSchema{};
      schemaData->children.push_back(childSchema);
      fillSchema(childSchema, formatOf(column.kind), column.name);
      parentData->children.push_back(nullptr);
      parentData->children.back() = exportChild(column, length);
    }
  } catch (...) {
    if (!parentData->children.empty() && !parentData->children.back())
      parentData->children.pop_back();
    releaseParent(&parentArray);
    releaseSchema(&parentSchema);
    throw;
  }
  parentSchema.n_children = static_cast<int64_t>(schemaData->children.size());
  parentSchema.children = schemaData->children.data();
  parentArray.n_children = static_cast<int64_t>(parentData->children.size());
  parentArray.children = parentData->children.data();
  *schema = parentSchema;
  *array = parentArray;
}

} // namespace fulcrum::python
