// Checking a foreign struct array against the C Data Interface's rules before reading it: the
// structs come from another program, so a wrong count, a null buffer or a bad offset is an
// error message here, never a read out of bounds.
#include "runtime/arrow/ArrowView.h"

#include <cstring>
#include <fmt/format.h>
#include <limits>

namespace fulcrum::runtime::arrow {
namespace {

// Rows and offsets beyond this are refused before any arithmetic on them can overflow (and row
// indexes are int32 everywhere in the runtime).
constexpr int64_t kMostRows = std::numeric_limits<int32_t>::max();

struct Format {
  ArrowType type = ArrowType::Utf8;
  int scale = 0;
  int buffers = 2;
};

bool parseDecimal(std::string_view text, Format& out, std::string& error) {
  // d:PRECISION,SCALE[,BITWIDTH]
  int precision = 0, scale = 0, width = 128;
  int read = 0;
  const std::string copy(text);
  const int fields = std::sscanf(copy.c_str(), "d:%d,%d%n", &precision, &scale, &read);
  if (fields != 2) {
    error = fmt::format("malformed decimal format `{}`", text);
    return false;
  }
  std::string_view rest = text.substr(static_cast<size_t>(read));
  if (!rest.empty() &&
      (std::sscanf(std::string(rest).c_str(), ",%d", &width) != 1 || width != 128)) {
    error = fmt::format("decimal format `{}`: only 128-bit decimals are read", text);
    return false;
  }
  if (precision < 1 || precision > 38 || scale < 0 || scale > 4) {
    error = fmt::format("decimal format `{}`: expected a scale of 0 to 4 (money is read as "
                        "decimal128(18,4))",
                        text);
    return false;
  }
  out = Format{ArrowType::Decimal128, scale, 2};
  return true;
}

bool parseFormat(const char* format, Format& out, std::string& error) {
  if (!format) {
    error = "its schema has no format";
    return false;
  }
  const std::string_view f(format);
  if (f == "b")
    out = Format{ArrowType::Bool, 0, 2};
  else if (f == "c")
    out = Format{ArrowType::Int8, 0, 2};
  else if (f == "s")
    out = Format{ArrowType::Int16, 0, 2};
  else if (f == "i")
    out = Format{ArrowType::Int32, 0, 2};
  else if (f == "l")
    out = Format{ArrowType::Int64, 0, 2};
  else if (f == "g")
    out = Format{ArrowType::Float64, 0, 2};
  else if (f == "tdD")
    out = Format{ArrowType::Date32, 0, 2};
  else if (f == "u")
    out = Format{ArrowType::Utf8, 0, 3};
  else if (f == "U")
    out = Format{ArrowType::LargeUtf8, 0, 3};
  else if (f.starts_with("d:"))
    return parseDecimal(f, out, error);
  else {
    error = fmt::format("unsupported format `{}` (expected one of b, i, l, g, tdD, d:18,4, u, U, "
                        "or a dictionary of u)",
                        f.substr(0, 40));
    return false;
  }
  return true;
}

int valueBytes(ArrowType type) {
  switch (type) {
  case ArrowType::Int8:
    return 1;
  case ArrowType::Int16:
    return 2;
  case ArrowType::Int32:
  case ArrowType::Date32:
    return 4;
  case ArrowType::Int64:
  case ArrowType::Float64:
    return 8;
  case ArrowType::Decimal128:
    return 16;
  default:
    return 0;
  }
}

template <typename T>
bool checkOffsets(const void* buffer, int64_t start, int64_t rows, std::string& error) {
  const T* offsets = static_cast<const T*>(buffer);
  if (offsets[start] < 0) {
    error = fmt::format("offset {} of row 1 is before the start of the data", offsets[start]);
    return false;
  }
  for (int64_t row = 0; row < rows; ++row) {
    if (offsets[start + row + 1] < offsets[start + row]) {
      error = fmt::format("the offsets are not monotonic at row {} ({} after {})", row + 1,
                          offsets[start + row + 1], offsets[start + row]);
      return false;
    }
  }
  return true;
}

// Checks one array against its schema for rows [parentOffset, parentOffset + rows) of it (a
// struct's offset applies to its children). `dictionaryOf`: this is a dictionary's values.
bool readColumn(const ArrowSchema& schema, const ArrowArray& array, int64_t parentOffset,
                int64_t rows, ArrowColumn& out, std::string& error) {
  if (!array.release || !schema.release) {
    error = "it is released (its release callback is null)";
    return false;
  }
  if (array.length < 0 || array.offset < 0 || array.length > kMostRows ||
      array.offset > kMostRows) {
    error = fmt::format("length {} and offset {}: expected both from 0 to {}", array.length,
                        array.offset, kMostRows);
    return false;
  }
  if (array.length < parentOffset + rows) {
    error = fmt::format("it has {} rows, fewer than the {} the struct needs (length mismatch)",
                        array.length, parentOffset + rows);
    return false;
  }
  if (array.null_count < -1 || array.null_count > array.length) {
    error = fmt::format("null_count {} for {} rows", array.null_count, array.length);
    return false;
  }
  if (array.n_children != 0 || schema.n_children != 0) {
    error = "expected no children (nested types are not read)";
    return false;
  }
  Format format;
  if (!parseFormat(schema.format, format, error))
    return false;
  const bool dictionaryEncoded = schema.dictionary != nullptr;
  if (dictionaryEncoded) {
    if (format.type != ArrowType::Int8 && format.type != ArrowType::Int16 &&
        format.type != ArrowType::Int32) {
      error = fmt::format("a dictionary's indexes must be int8, int16 or int32, found `{}`",
                          schema.format);
      return false;
    }
    if (!array.dictionary) {
      error = "the schema has a dictionary but the array has none";
      return false;
    }
  } else if (array.dictionary) {
    error = "the array has a dictionary but the schema has none";
    return false;
  }
  if (array.n_buffers != format.buffers) {
    error = fmt::format("format `{}` has {} buffers, found n_buffers {}", schema.format,
                        format.buffers, array.n_buffers);
    return false;
  }
  if (!array.buffers) {
    error = "its buffers array is null";
    return false;
  }
  out.type = dictionaryEncoded ? ArrowType::Dictionary : format.type;
  out.decimalScale = format.scale;
  out.start = array.offset + parentOffset;
  out.rows = rows;
  out.validity = static_cast<const uint8_t*>(array.buffers[0]);
  if (!out.validity && array.null_count > 0) {
    error = fmt::format("null_count is {} but the validity buffer is null", array.null_count);
    return false;
  }
  if (array.null_count == 0)
    out.validity = nullptr; // the specification lets a producer leave any bitmap then
  out.values = array.buffers[1];
  if (!out.values && rows > 0) {
    error = fmt::format("its {} buffer is null", format.buffers == 3 ? "offsets" : "data");
    return false;
  }
  // No rows: nothing to check but a dictionary, which a dictionary column must have read even
  // when empty (its readers take its values).
  if (rows == 0 && !dictionaryEncoded)
    return true;
  if (format.type == ArrowType::Utf8 || format.type == ArrowType::LargeUtf8) {
    const bool ok = format.type == ArrowType::Utf8
                        ? checkOffsets<int32_t>(out.values, out.start, rows, error)
                        : checkOffsets<int64_t>(out.values, out.start, rows, error);
    if (!ok)
      return false;
    out.chars = static_cast<const char*>(array.buffers[2]);
    const int64_t first = format.type == ArrowType::Utf8
                              ? static_cast<const int32_t*>(out.values)[out.start]
                              : static_cast<const int64_t*>(out.values)[out.start];
    const int64_t last = format.type == ArrowType::Utf8
                             ? static_cast<const int32_t*>(out.values)[out.start + rows]
                             : static_cast<const int64_t*>(out.values)[out.start + rows];
    if (!out.chars && last > first) {
      error = "its data buffer is null but its offsets say it holds text";
      return false;
    }
  }
  if (!dictionaryEncoded)
    return true;
  out.indexBytes = valueBytes(format.type);
  // The dictionary's values: a string array read whole.
  const ArrowSchema& dictionarySchema = *schema.dictionary;
  const ArrowArray& dictionaryArray = *array.dictionary;
  ArrowColumn values;
  // A dictionary of text has no dictionary of its own; one that had (or pointed at itself)
  // would recurse without end.
  if (dictionarySchema.dictionary || dictionaryArray.dictionary) {
    error = "its dictionary is itself dictionary-encoded; a dictionary must hold utf8 text";
    return false;
  }
  if (dictionaryArray.length < 0) {
    error = "its dictionary has a negative length";
    return false;
  }
  if (!readColumn(dictionarySchema, dictionaryArray, 0, dictionaryArray.length, values, error)) {
    error = "its dictionary: " + error;
    return false;
  }
  if (values.type != ArrowType::Utf8 && values.type != ArrowType::LargeUtf8) {
    error = fmt::format("its dictionary must hold utf8 text, found `{}`", dictionarySchema.format);
    return false;
  }
  if (values.validity) {
    for (int64_t i = 0; i < values.rows; ++i)
      if (!values.valid(i)) {
        error = fmt::format("its dictionary holds a null (entry {})", i);
        return false;
      }
  }
  out.dictionary.push_back(std::move(values));
  // Every index of a valid row must name an entry: checked once here, so reads need not.
  for (int64_t row = 0; row < rows; ++row) {
    if (!out.valid(row))
      continue;
    const int64_t index = out.integer(row);
    if (index < 0 || index >= out.dictionary[0].rows) {
      error = fmt::format("row {}: dictionary index {} is outside its {} entries", row + 1, index,
                          out.dictionary[0].rows);
      return false;
    }
  }
  return true;
}

} // namespace

std::string describeFormat(const ArrowSchema& schema) {
  const std::string format = schema.format ? schema.format : "(null)";
  if (schema.dictionary)
    return fmt::format("{} -> dictionary of {}", format,
                       schema.dictionary->format ? schema.dictionary->format : "(null)");
  return format;
}

int64_t ArrowColumn::integer(int64_t row) const {
  const int64_t at = start + row;
  const int width = type == ArrowType::Dictionary ? indexBytes : valueBytes(type);
  switch (width) {
  case 1:
    return static_cast<const int8_t*>(values)[at];
  case 2:
    return static_cast<const int16_t*>(values)[at];
  case 4:
    return static_cast<const int32_t*>(values)[at];
  default:
    return static_cast<const int64_t*>(values)[at];
  }
}

std::string_view ArrowColumn::text(int64_t row) const {
  if (type == ArrowType::Dictionary)
    return dictionary[0].text(integer(row));
  const int64_t at = start + row;
  int64_t first = 0, last = 0;
  if (type == ArrowType::Utf8) {
    first = static_cast<const int32_t*>(values)[at];
    last = static_cast<const int32_t*>(values)[at + 1];
  } else {
    first = static_cast<const int64_t*>(values)[at];
    last = static_cast<const int64_t*>(values)[at + 1];
  }
  return std::string_view(chars + first, static_cast<size_t>(last - first));
}

bool ArrowColumn::decimal(int64_t row, int64_t& out) const {
  // Little-endian two's complement, 16 bytes: it fits 64 bits when the high half is the sign
  // extension of the low half.
  uint64_t low = 0, high = 0;
  const auto* bytes = static_cast<const unsigned char*>(values) + 16 * (start + row);
  std::memcpy(&low, bytes, 8);
  std::memcpy(&high, bytes + 8, 8);
  const auto value = static_cast<int64_t>(low);
  if (high != (value < 0 ? ~uint64_t{0} : 0))
    return false;
  out = value;
  return true;
}

std::string ArrowColumn::shown(int64_t row) const {
  if (!valid(row))
    return "";
  switch (type) {
  case ArrowType::Bool:
    return boolean(row) ? "true" : "false";
  case ArrowType::Float64:
    return fmt::format("{}", float64(row));
  case ArrowType::Decimal128: {
    int64_t value = 0;
    if (!decimal(row, value))
      return "(a decimal beyond 64 bits)";
    if (decimalScale == 0)
      return fmt::format("{}", value);
    int64_t scale = 1;
    for (int i = 0; i < decimalScale; ++i)
      scale *= 10;
    const uint64_t magnitude =
        value < 0 ? 0 - static_cast<uint64_t>(value) : static_cast<uint64_t>(value);
    return fmt::format("{}{}.{:0{}}", value < 0 ? "-" : "",
                       magnitude / static_cast<uint64_t>(scale),
                       magnitude % static_cast<uint64_t>(scale), decimalScale);
  }
  case ArrowType::Utf8:
  case ArrowType::LargeUtf8:
  case ArrowType::Dictionary:
    return std::string(text(row));
  default:
    return fmt::format("{}", integer(row));
  }
}

bool readArrowStruct(const ArrowSchema& schema, const ArrowArray& array, ArrowStruct& out,
                     std::string& error) {
  if (!schema.release || !array.release) {
    error = "the struct array is released (its release callback is null)";
    return false;
  }
  if (!schema.format || std::string_view(schema.format) != "+s") {
    error = fmt::format("expected a struct array (format `+s`), found format `{}`",
                        schema.format ? schema.format : "(null)");
    return false;
  }
  if (array.length < 0 || array.offset < 0 || array.length > kMostRows ||
      array.offset > kMostRows) {
    error = fmt::format("the struct's length {} and offset {}: expected both from 0 to {}",
                        array.length, array.offset, kMostRows);
    return false;
  }
  if (array.n_buffers != 1 || !array.buffers) {
    error =
        fmt::format("a struct array has 1 buffer (validity), found n_buffers {}", array.n_buffers);
    return false;
  }
  if (schema.n_children != array.n_children || schema.n_children < 0 ||
      (schema.n_children > 0 && (!schema.children || !array.children))) {
    error = fmt::format("the schema has {} children and the array {}", schema.n_children,
                        array.n_children);
    return false;
  }
  if (array.null_count != 0 && array.buffers[0]) {
    const auto* bits = static_cast<const uint8_t*>(array.buffers[0]);
    for (int64_t row = 0; row < array.length; ++row) {
      const int64_t bit = array.offset + row;
      if (!((bits[bit >> 3] >> (bit & 7)) & 1)) {
        error = fmt::format("row {} of the struct is null: a row must be present (its fields "
                            "may be null)",
                            row + 1);
        return false;
      }
    }
  }
  out.rows = array.length;
  out.columns.clear();
  for (int64_t i = 0; i < schema.n_children; ++i) {
    const ArrowSchema* childSchema = schema.children[i];
    const ArrowArray* childArray = array.children[i];
    if (!childSchema || !childArray) {
      error = fmt::format("child {} is null", i + 1);
      return false;
    }
    ArrowColumn column;
    column.name = childSchema->name ? childSchema->name : "";
    if (column.name.empty()) {
      error = fmt::format("child {} has no name", i + 1);
      return false;
    }
    for (const ArrowColumn& other : out.columns)
      if (other.name == column.name) {
        error = fmt::format("column `{}` appears twice", column.name);
        return false;
      }
    if (!readColumn(*childSchema, *childArray, array.offset, array.length, column, error)) {
      error = fmt::format("column `{}` (format `{}`): {}", column.name,
                          describeFormat(*childSchema), error);
      return false;
    }
    out.columns.push_back(std::move(column));
  }
  return true;
}

} // namespace fulcrum::runtime::arrow
