// The PostgreSQL types a table may hold, one row each: the type's OID, its SQL name, how a value
// in binary COPY format becomes the text a CSV cell would hold, and which fields may read it.
#pragma once

#include "runtime/data/Schema.h"

#include <cstdint>
#include <string>
#include <string_view>

namespace fulcrum::runtime::postgres {

// What a type's values are, for matching them to fields.
enum class PgFamily : uint8_t { Integer, Float, Numeric, Text, Bool, Date, Timestamp };

struct PgType {
  uint32_t oid;
  const char* name; // as format_type names it
  PgFamily family;
  // Appends the value's text to `out` (a CSV cell's form: `1054`, `1054.5`, `2017-03-01`,
  // `true`); false when the bytes are not a value of the type.
  bool (*toText)(std::string_view bytes, std::string& out);
};

inline constexpr uint32_t kBooleanOid = 16;
inline constexpr uint32_t kMoneyOid = 790; // PostgreSQL's `money`: not read (locale-formatted)

// The row of `oid`, or null for a type no field reads.
const PgType* pgType(uint32_t oid);

// Whether a field reads values of `family`; else `accepted` says which types it takes.
bool fieldReads(const FieldSchema& field, PgFamily family, std::string& accepted);

} // namespace fulcrum::runtime::postgres
