// Dispatch from an aggregate's kind to its traits struct, for every row of
// runtime/plan/Aggregates.def; and the kept values behind median and count distinct.
#include "runtime/exec/Aggregation.h"

#include "support/Money.h"

#include <cmath>
#include <mutex>
#include <unordered_set>

namespace fulcrum::runtime {

namespace {

template <typename Traits>
concept Accumulating = requires(double* acc, const AggregateRow& row) {
  Traits::update(acc, row);
  Traits::merge(acc, acc);
};

// An exact sum (sum, avg): update says whether the value escapes; finalize takes the escapes.
template <typename Traits>
concept SumsExactly = requires(const double* acc, std::span<const double> escaped) {
  Traits::finalize(acc, escaped);
};

template <typename Traits>
concept KeepsDistinct = requires(std::unordered_set<double>& values) {
  Traits::finalize(values);
};

template <typename Traits>
concept KeepsAll = requires(std::vector<double>& values) {
  Traits::finalize(values);
};

// Calls `visit(Traits{})` with the traits struct of `kind`.
template <typename Visit> auto withTraits(AggregateKind kind, Visit&& visit) {
  switch (kind) {
#define AGGREGATE(Kind, ...)                                                                       \
  case AggregateKind::Kind:                                                                        \
    return visit(Kind##Aggregate{});
#include "runtime/plan/Aggregates.def"
  }
  return visit(SumAggregate{}); // unreachable: every kind has a row
}

} // namespace

bool updateAggregate(AggregateKind kind, double* acc, const AggregateRow& row) {
  return withTraits(kind, [&]<typename Traits>(Traits) {
    if constexpr (SumsExactly<Traits>)
      return Traits::update(acc, row);
    else if constexpr (Accumulating<Traits>)
      Traits::update(acc, row);
    return false;
  });
}

void mergeAggregate(AggregateKind kind, double* into, const double* part) {
  withTraits(kind, [&]<typename Traits>(Traits) {
    if constexpr (Accumulating<Traits>)
      Traits::merge(into, part);
  });
}

AggregateResult finalizeAccumulated(AggregateKind kind, const double* acc,
                                    std::span<const double> escaped) {
  return withTraits(kind, [&]<typename Traits>(Traits) {
    if constexpr (SumsExactly<Traits>)
      return Traits::finalize(acc, escaped);
    else if constexpr (Accumulating<Traits>)
      return Traits::finalize(acc);
    else
      return AggregateResult{};
  });
}

AggregateResult finalizeValues(AggregateKind kind, std::vector<double>& values) {
  return withTraits(kind, [&]<typename Traits>(Traits) {
    if constexpr (KeepsAll<Traits>) {
      return Traits::finalize(values);
    } else if constexpr (KeepsDistinct<Traits>) {
      std::unordered_set<double> distinct(values.begin(), values.end());
      return Traits::finalize(distinct);
    } else {
      return AggregateResult{};
    }
  });
}

CollectedValues::CollectedValues() : escapes_(std::make_unique<Escapes>()) {
}
CollectedValues::~CollectedValues() = default;
CollectedValues::CollectedValues(CollectedValues&&) noexcept = default;
CollectedValues& CollectedValues::operator=(CollectedValues&&) noexcept = default;

CollectedValues::CollectedValues(const Plan& plan, size_t subjects)
    : subjects_(subjects), place_(plan.aggregateCount, -1),
      state_(plan.aggregateCount, AggregateState::Accumulates),
      escapes_(std::make_unique<Escapes>()) {
  size_t distinct = 0, all = 0;
  for (const ScanKernel& scan : plan.scans)
    for (const AggregateUpdate& update : scan.updates) {
      const AggregateState state = aggregateInfo(update.kind).state;
      if (state == AggregateState::Accumulates)
        continue;
      state_[update.aggregate] = state;
      place_[update.aggregate] =
          static_cast<int32_t>(state == AggregateState::DistinctValues ? distinct++ : all++);
    }
  distinct_.resize(distinct * subjects);
  all_.resize(all * subjects);
}

void CollectedValues::add(uint32_t aggregate, int64_t subject, double value) {
  const size_t at =
      static_cast<size_t>(place_[aggregate]) * subjects_ + static_cast<size_t>(subject);
  if (state_[aggregate] == AggregateState::DistinctValues)
    distinct_[at].insert(value);
  else
    all_[at].push_back(value);
}

std::vector<double> CollectedValues::values(uint32_t aggregate, size_t subject) const {
  if (aggregate >= place_.size() || place_[aggregate] < 0)
    return {};
  const size_t at = static_cast<size_t>(place_[aggregate]) * subjects_ + subject;
  return state_[aggregate] == AggregateState::DistinctValues
             ? std::vector<double>(distinct_[at].begin(), distinct_[at].end())
             : all_[at];
}

AggregateResult CollectedValues::finalize(AggregateKind kind, uint32_t aggregate, size_t subject) {
  const size_t at = static_cast<size_t>(place_[aggregate]) * subjects_ + subject;
  return withTraits(kind, [&]<typename Traits>(Traits) {
    if constexpr (KeepsAll<Traits>)
      return Traits::finalize(all_[at]);
    else if constexpr (KeepsDistinct<Traits>)
      return Traits::finalize(distinct_[at]);
    else
      return AggregateResult{};
  });
}

void CollectedValues::addEscaped(uint32_t aggregate, int64_t subject, double value) {
  const std::lock_guard<std::mutex> lock(escapes_->lock);
  escapes_->values[escapeKey(aggregate, subject)].push_back(value);
  escapes_->any.store(true, std::memory_order_release);
}

std::span<const double> CollectedValues::escaped(uint32_t aggregate, size_t subject) const {
  if (!escapes_ || !escapes_->any.load(std::memory_order_acquire))
    return {};
  const std::lock_guard<std::mutex> lock(escapes_->lock);
  const auto found = escapes_->values.find(escapeKey(aggregate, static_cast<int64_t>(subject)));
  return found == escapes_->values.end() ? std::span<const double>{} : found->second;
}

extern "C" void fulcrumCollectValue(void* collectedValues, uint32_t aggregate, int64_t subject,
                                    double value) {
  static_cast<CollectedValues*>(collectedValues)->add(aggregate, subject, value);
}

AggregateResult settledResult(AggregateResult result, bool money) {
  if (money)
    result.value = std::round(result.value);
  result.present =
      result.present && std::isfinite(result.value) && (!money || moneyInRange(result.value));
  if (!result.present)
    result.value = 0;
  return result;
}

extern "C" void fulcrumEscapeSum(void* collectedValues, uint32_t aggregate, int64_t subject,
                                 double value) {
  static_cast<CollectedValues*>(collectedValues)->addEscaped(aggregate, subject, value);
}

} // namespace fulcrum::runtime
