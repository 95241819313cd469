// The one table of built-in functions and aggregates the compiler knows; the standard library
// (stdlib/*.fulcrum) is written in Fulcrum on top of these.
#pragma once

#include "compiler/ast/Ast.h"

#include <optional>
#include <string_view>
#include <vector>

namespace fulcrum {

enum class Builtin : uint8_t {
  Clamp,       // clamp(x, lo, hi)
  DaysSince,   // days_since(date): whole days to the as-of date
  WorkingDays, // working_days(period): Monday..Friday days
  Decay,       // decay(date, half_life): 0.5 ^ (age / half_life)
  Abs,
  Round,
  Floor,
  Ceil,
  Least,
  Greatest
};

struct BuiltinInfo {
  std::string_view name;
  Builtin id;
  int minArgs;
  int maxArgs;                // -1: any number
  std::string_view signature; // for messages: `clamp(x, lo, hi)`
};

const std::vector<BuiltinInfo>& builtins();
const BuiltinInfo* findBuiltin(std::string_view name);
std::optional<ast::AggregateOp> findAggregate(std::string_view name);
const char* aggregateName(ast::AggregateOp op);

} // namespace fulcrum
