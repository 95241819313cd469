// Reading a struct array of the Arrow C Data Interface that another program made: its formats
// parsed, its structure checked against the specification's rules (buffers, offsets, lengths)
// before any value is read, and each column's cells read through one view.
#pragma once

#include "include/fulcrum/arrow_c_data.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace fulcrum::runtime::arrow {

// The column types a host may hand over (ArrowImport.h says which field takes which).
enum class ArrowType : uint8_t {
  Bool,       // `b`, bit-packed
  Int8,       // `c`
  Int16,      // `s`
  Int32,      // `i`
  Int64,      // `l`
  Float64,    // `g`
  Date32,     // `tdD`: days since 1970-01-01
  Decimal128, // `d:P,S` or `d:P,S,128`
  Utf8,       // `u`: int32 offsets
  LargeUtf8,  // `U`: int64 offsets
  Dictionary  // int8/16/32 indexes (the schema's format) into a utf8 or large utf8 dictionary
};

// `g`, `d:18,4`, `u` with an int32-indexed dictionary written `i -> dictionary of u`.
std::string describeFormat(const ArrowSchema& schema);

// One child of the struct, checked: every cell of rows [0, rows) may be read.
struct ArrowColumn {
  std::string name;
  ArrowType type = ArrowType::Utf8;
  int decimalScale = 0;        // Decimal128
  const uint8_t* validity = 0; // null: every row valid
  const void* values = nullptr;
  const char* chars = nullptr; // Utf8, LargeUtf8
  int64_t start = 0;           // the first row's index in the buffers (offsets applied)
  int64_t rows = 0;
  // Dictionary: its index width in bytes, and the dictionary as a string column of its own.
  int indexBytes = 0;
  std::vector<ArrowColumn> dictionary; // one element, for Dictionary

  bool valid(int64_t row) const {
    if (!validity)
      return true;
    const int64_t bit = start + row;
    return (validity[bit >> 3] >> (bit & 7)) & 1;
  }
  // A Utf8, LargeUtf8 or Dictionary cell (the caller checks validity first).
  std::string_view text(int64_t row) const;
  bool isText() const {
    return type == ArrowType::Utf8 || type == ArrowType::LargeUtf8 || type == ArrowType::Dictionary;
  }
  int64_t integer(int64_t row) const; // Int8..Int64, Date32
  double float64(int64_t row) const { return static_cast<const double*>(values)[start + row]; }
  bool boolean(int64_t row) const {
    const int64_t bit = start + row;
    return (static_cast<const uint8_t*>(values)[bit >> 3] >> (bit & 7)) & 1;
  }
  // A Decimal128 cell's unscaled value, if it fits 64 bits (false: beyond any amount).
  bool decimal(int64_t row, int64_t& out) const;
  // The cell as a CSV file would write it, for messages; empty when null.
  std::string shown(int64_t row) const;
};

// The checked struct array: its rows and children.
struct ArrowStruct {
  int64_t rows = 0;
  std::vector<ArrowColumn> columns;
};

// Checks `schema` and `array` (a struct array `+s` of supported children) and describes them.
// Returns false with `error` saying what is wrong (`column amount: ...`); never reads outside
// what the structs describe. The structs are not released.
bool readArrowStruct(const ArrowSchema& schema, const ArrowArray& array, ArrowStruct& out,
                     std::string& error);

} // namespace fulcrum::runtime::arrow
