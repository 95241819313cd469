// The built-in function table.
#include "compiler/check/Builtins.h"

namespace fulcrum {

const std::vector<BuiltinInfo>& builtins() {
  static const std::vector<BuiltinInfo> table = {
      {"clamp", Builtin::Clamp, 3, 3, "clamp(x, lo, hi)"},
      {"days_since", Builtin::DaysSince, 1, 1, "days_since(date)"},
      {"working_days", Builtin::WorkingDays, 1, 1, "working_days(period)"},
      {"decay", Builtin::Decay, 2, 2, "decay(date, half_life)"},
      {"abs", Builtin::Abs, 1, 1, "abs(x)"},
      {"round", Builtin::Round, 1, 1, "round(x)"},
      {"floor", Builtin::Floor, 1, 1, "floor(x)"},
      {"ceil", Builtin::Ceil, 1, 1, "ceil(x)"},
      {"least", Builtin::Least, 2, -1, "least(a, b, ...)"},
      {"greatest", Builtin::Greatest, 2, -1, "greatest(a, b, ...)"},
  };
  return table;
}

const BuiltinInfo* findBuiltin(std::string_view name) {
  for (const BuiltinInfo& info : builtins())
    if (info.name == name)
      return &info;
  return nullptr;
}

std::optional<ast::AggregateOp> findAggregate(std::string_view name) {
  using ast::AggregateOp;
  if (name == "sum")
    return AggregateOp::Sum;
  if (name == "count")
    return AggregateOp::Count;
  if (name == "avg")
    return AggregateOp::Avg;
  if (name == "min")
    return AggregateOp::Min;
  if (name == "max")
    return AggregateOp::Max;
  if (name == "first")
    return AggregateOp::First;
  if (name == "last")
    return AggregateOp::Last;
  if (name == "median")
    return AggregateOp::Median;
  return std::nullopt;
}

const char* aggregateName(ast::AggregateOp op) {
  switch (op) {
  case ast::AggregateOp::Sum:
    return "sum";
  case ast::AggregateOp::Count:
    return "count";
  case ast::AggregateOp::Avg:
    return "avg";
  case ast::AggregateOp::Min:
    return "min";
  case ast::AggregateOp::Max:
    return "max";
  case ast::AggregateOp::First:
    return "first";
  case ast::AggregateOp::Last:
    return "last";
  case ast::AggregateOp::Median:
    return "median";
  }
  return "?";
}

} // namespace fulcrum
