// Arrow C Data Interface structs over Python-owned columns, for fulcrum_data_bind_arrow.
//
// The Python half (fulcrum/_columns.py) turns each DataFrame column into one of the kinds below,
// chosen from the table field's type; this builds the struct array (format `+s`) over them.
// float64, int64 and date32 values are handed over without copying: the child's private data
// holds a reference to the numpy array, dropped (under the GIL) by the release callback that
// fulcrum calls when it frees the data. Validity bitmaps, booleans and strings are copied.
#ifndef FULCRUM_PYTHON_ARROWCOLUMNS_H
#define FULCRUM_PYTHON_ARROWCOLUMNS_H

#include "fulcrum/arrow_c_data.h"

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <string>
#include <vector>

namespace fulcrum::python {

enum class ColumnKind { Float64, Int64, Date32, Bool, Utf8 };

struct ArrowColumn {
  std::string name;
  ColumnKind kind;
  // Float64: float64 array; Int64: int64 array; Date32: int32 array; Bool: uint8 array;
  // Utf8: a list of str (an entry under `missing` may be anything).
  pybind11::object values;
  // A bool array, true where the value is missing; None when nothing is.
  pybind11::object missing;
};

// Fills `schema` and `array` (both owned by the caller until handed to fulcrum) with a struct
// array of the columns, which must all have the same length. Throws std::invalid_argument on a
// column whose values do not match its kind.
void exportColumns(const std::vector<ArrowColumn>& columns, ArrowSchema* schema, ArrowArray* array);

} // namespace fulcrum::python

#endif
