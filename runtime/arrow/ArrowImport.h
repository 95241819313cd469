// A table bound from Arrow columns (a struct array of the C Data Interface): the host's memory
// becomes a loader HostTable, float64 numbers and date32 days used where they lie.
//
// Which formats a field takes: money decimal128 `d:P,S` (scale 0 to 4; `d:18,4` is the exact
// form) or int64 `l` of units of 1/10,000; count `l`, `i`, `s` or `c`; number, percent and
// durations `g` (or an integer format, copied); bool `b`; date `tdD`; text, references and
// periods `u`, `U` or a dictionary of them over int8/16/32 indexes.
#pragma once

#include "runtime/arrow/ArrowView.h"
#include "runtime/data/HostTable.h"
#include "runtime/data/Schema.h"

#include <memory>
#include <string>
#include <vector>

namespace fulcrum::runtime::arrow {

// Both structs, moved in: releasing this releases them (once, however many columns borrow).
struct ArrowOwned {
  ArrowSchema schema{};
  ArrowArray array{};
  ArrowOwned() = default;
  ArrowOwned(const ArrowOwned&) = delete;
  ArrowOwned& operator=(const ArrowOwned&) = delete;
  ~ArrowOwned();
};

class ArrowHostTable final : public HostTable {
public:
  // Takes over `schema` and `array` (the caller's copies are marked released, as the
  // specification's move does) and checks their structure. On a problem returns null with
  // `error`; the structs are then released already. `table` names the table in messages.
  static std::shared_ptr<const ArrowHostTable> take(const std::string& table, ArrowSchema* schema,
                                                    ArrowArray* array, std::string& error);

  // What keeps the columns from serving `schema`: a child that is no field, a required field
  // with no child, a format the field's type does not take. Empty when they fit.
  std::string mismatch(const TableSchema& schema) const;

  size_t rows() const { return static_cast<size_t>(struct_.rows); }
  void parse(const TableSchema& schema, ParsedTable& out) const override;

private:
  std::shared_ptr<ArrowOwned> owned_;
  ArrowStruct struct_;
};

} // namespace fulcrum::runtime::arrow
