// The aggregate registry: one row per aggregate (runtime/plan/Aggregates.def), read by the
// checker, the lowering, the plan dump and checker, and both engines.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace fulcrum {

enum class AggregateKind : uint8_t {
#define AGGREGATE(Kind, ...) Kind,
#include "runtime/plan/Aggregates.def"
};

enum class AggregateClause : uint8_t { NoClause, Distinct, OrderBy };
enum class AggregateInput : uint8_t { ValuesOrRows, Numbers, NumbersOrDates, AnyValue };
enum class AggregateResult : uint8_t { CountOf, SameUnit, MeanUnit, SameType };
enum class AggregateWhenNone : uint8_t { ZeroWhenNone, MissingWhenNone };
enum class AggregateState : uint8_t { Accumulates, DistinctValues, AllValues };

struct AggregateInfo {
  AggregateKind kind;
  std::string_view name;
  AggregateClause clause;
  AggregateInput input;
  AggregateResult result;
  AggregateWhenNone whenNone;
  int width; // accumulator doubles per subject
  AggregateState state;
  bool acrossPeers;

  // Partial results (a chunk's, a thread's) merge into the whole; the others keep their values.
  bool merges() const { return state == AggregateState::Accumulates; }
  bool keepsValues() const { return state != AggregateState::Accumulates; }
};

std::span<const AggregateInfo> aggregates();
const AggregateInfo& aggregateInfo(AggregateKind kind);
// The aggregate a call names: `count` with `distinct` is CountDistinct. Null when none is.
const AggregateInfo* findAggregate(std::string_view name, bool distinct = false);
// How plan dumps spell it: its name, `count_distinct` for the distinct row.
std::string aggregateSpelling(AggregateKind kind);
// Whether `kind` is one of the registry's (a plan read from elsewhere may hold any byte).
bool knownAggregate(AggregateKind kind);

} // namespace fulcrum
