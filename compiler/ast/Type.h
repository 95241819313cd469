// The types and units of Fulcrum values, as the checker assigns them to expressions.
#pragma once

#include <cstdint>
#include <string>

namespace fulcrum::ast {

struct DataDecl;

enum class TypeKind : uint8_t {
  Error,         // already reported; never reported again
  Number,        // dimensionless
  Count,         // a whole number of things
  Money,         // US dollars
  Percent,       // a number shown as a percentage (40% is 0.4)
  NumberLiteral, // a bare number literal: takes the unit of what it meets
  Bool,
  Text,
  Date,
  Period,
  Duration,      // a fixed length: days and weeks (a number of days at run time)
  MonthDuration, // calendar months, quarters or years (`2 months`: a number of months at run
                 // time); a month has no fixed number of days, so the two never mix
  Entity,        // a reference to a row of an entity
  Rows,          // a table or entity used as the source of an aggregate
  Missing        // the `missing` literal: fits any type
};

struct Type {
  TypeKind kind = TypeKind::Error;
  bool optional = false;          // may be missing
  const DataDecl* data = nullptr; // Entity and Rows: which declaration

  static Type of(TypeKind kind, bool optional = false) { return Type{kind, optional, nullptr}; }
  static Type error() { return Type{}; }

  bool isError() const { return kind == TypeKind::Error; }
  bool isNumeric() const {
    return kind == TypeKind::Number || kind == TypeKind::Count || kind == TypeKind::Money ||
           kind == TypeKind::Percent || kind == TypeKind::NumberLiteral;
  }
  // Number, count, percent and bare literals mix freely.
  bool isDimensionless() const { return isNumeric() && kind != TypeKind::Money; }
  Type asOptional(bool value = true) const { return Type{kind, value, data}; }
  bool sameAs(const Type& other) const { return kind == other.kind && data == other.data; }
};

// `money`, `count?`, `rep`, ... as a user would write the type.
std::string typeName(const Type& type);
// The built-in type for a name (`number`, `money`, ...); Error when it is not built in.
TypeKind builtinTypeKind(const std::string& name);

} // namespace fulcrum::ast
