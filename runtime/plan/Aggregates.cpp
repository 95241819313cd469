// The aggregate registry's table, built from runtime/plan/Aggregates.def.
#include "runtime/plan/Aggregates.h"

#include <array>

namespace fulcrum {

namespace {

constexpr std::array kAggregates = {
#define AGGREGATE(Kind, name, clause, input, result, whenNone, width, state, acrossPeers)          \
  AggregateInfo{AggregateKind::Kind,                                                               \
                name,                                                                              \
                AggregateClause::clause,                                                           \
                AggregateInput::input,                                                             \
                AggregateResult::result,                                                           \
                AggregateWhenNone::whenNone,                                                       \
                width,                                                                             \
                AggregateState::state,                                                             \
                acrossPeers},
#include "runtime/plan/Aggregates.def"
};

constexpr bool rowsInKindOrder() {
  for (size_t i = 0; i < kAggregates.size(); ++i)
    if (static_cast<size_t>(kAggregates[i].kind) != i)
      return false;
  return true;
}
static_assert(rowsInKindOrder(), "aggregateInfo indexes the table by kind");

} // namespace

std::span<const AggregateInfo> aggregates() {
  return kAggregates;
}

bool knownAggregate(AggregateKind kind) {
  return static_cast<size_t>(kind) < kAggregates.size();
}

const AggregateInfo& aggregateInfo(AggregateKind kind) {
  return kAggregates[static_cast<size_t>(kind)];
}

std::string aggregateSpelling(AggregateKind kind) {
  const AggregateInfo& info = aggregateInfo(kind);
  return std::string(info.name) + (info.clause == AggregateClause::Distinct ? "_distinct" : "");
}

const AggregateInfo* findAggregate(std::string_view name, bool distinct) {
  const AggregateInfo* found = nullptr;
  for (const AggregateInfo& info : kAggregates)
    if (info.name == name && (info.clause == AggregateClause::Distinct) == distinct)
      return &info;
    else if (info.name == name && !found)
      found = &info;
  return found;
}

} // namespace fulcrum
