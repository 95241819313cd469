// A result table as an Arrow struct array of the C Data Interface that owns its memory: the
// receiver calls the release callbacks (a parent's releases its children), and nothing of the
// result need outlive the call.
#pragma once

#include "include/fulcrum/arrow_c_data.h"
#include "runtime/output/ResultTable.h"

#include <string>

namespace fulcrum::runtime::arrow {

// One child per column, the subject key first (utf8), named as the result's columns: money
// decimal128(18,4) `d:18,4`, count int64 `l`, number, percent and durations float64 `g`, date
// date32 `tdD`, bool bit-packed `b`, text, bands, periods and references utf8 `u`; a missing
// value is null (validity bitmaps). False with `error` (out of memory) and the outputs untouched.
bool exportResult(const ResultTable& table, ArrowSchema* schemaOut, ArrowArray* arrayOut,
                  std::string& error);

} // namespace fulcrum::runtime::arrow
