// Aggregates at run time, by kind: each call goes to the kind's traits struct
// (runtime/exec/AggregateTraits.h), chosen from the registry's rows. Shared by the interpreter,
// chunked scans, finalization and peer steps.
#pragma once

#include "runtime/exec/AggregateTraits.h"
#include "runtime/plan/Plan.h"

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <span>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace fulcrum::runtime {

// The values kept by aggregates that keep them (median, count distinct), per (aggregate,
// subject); the JIT reaches it through KernelArgs::collectedValues and fulcrumCollectValue.
//
// Also the values that escape exact sums' windows (runtime/exec/ExactSum.h), per (aggregate,
// subject), which chunks add from several threads at once (fulcrumEscapeSum).
class CollectedValues {
public:
  CollectedValues();
  // Room for every scan aggregate of `plan` that keeps values, for `subjects` subjects.
  CollectedValues(const Plan& plan, size_t subjects);
  ~CollectedValues();
  CollectedValues(CollectedValues&&) noexcept;
  CollectedValues& operator=(CollectedValues&&) noexcept;

  void add(uint32_t aggregate, int64_t subject, double value);
  // The values kept for (aggregate, subject), in no set order for distinct ones; empty for an
  // aggregate that keeps none.
  std::vector<double> values(uint32_t aggregate, size_t subject) const;
  // Aggregate `aggregate`'s result for `subject` from its kept values.
  AggregateResult finalize(AggregateKind kind, uint32_t aggregate, size_t subject);

  // Keeps a value that escaped the window of exact sum (aggregate, subject); safe to call from
  // several threads at once.
  void addEscaped(uint32_t aggregate, int64_t subject, double value);
  // The values kept for (aggregate, subject), in no set order; valid until the next addEscaped.
  std::span<const double> escaped(uint32_t aggregate, size_t subject) const;

private:
  struct Escapes {
    std::mutex lock;
    std::unordered_map<uint64_t, std::vector<double>> values; // by escapeKey
    // Whether any value escaped: read without the lock, so that finalizing millions of subjects
    // when none did (nearly always) takes no lock per subject.
    std::atomic<bool> any{false};
  };
  static uint64_t escapeKey(uint32_t aggregate, int64_t subject) {
    return (uint64_t{aggregate} << 32) | static_cast<uint32_t>(subject);
  }

  size_t subjects_ = 0;
  // Per aggregate: what it keeps (Accumulates: nothing) and its place among the aggregates that
  // keep the same, or -1.
  std::vector<int32_t> place_;
  std::vector<AggregateState> state_;
  std::vector<std::unordered_set<double>> distinct_; // [place * subjects + subject]
  std::vector<std::vector<double>> all_;             // [place * subjects + subject]
  std::unique_ptr<Escapes> escapes_;                 // never null but once moved from
};

// A finalized result as a slot holds it: missing when it is not finite (a sum past the largest
// double), and for money (held in units) rounded to a whole unit, halves away from zero, and
// missing outside money's range (support/Money.h). Every aggregate result passes through here.
AggregateResult settledResult(AggregateResult result, bool money);

// One counted row into an accumulating aggregate's block. True when the row's value escapes an
// exact sum's window: the caller keeps it (CollectedValues::addEscaped).
[[nodiscard]] bool updateAggregate(AggregateKind kind, double* acc, const AggregateRow& row);
// A later chunk's block into the block of the rows before it (kinds whose rows merge).
void mergeAggregate(AggregateKind kind, double* into, const double* part);
// An accumulating aggregate's result from its block and, for an exact sum, the values that
// escaped it.
AggregateResult finalizeAccumulated(AggregateKind kind, const double* acc,
                                    std::span<const double> escaped = {});
// A value-keeping aggregate's result from the values themselves (peer steps keep their own).
AggregateResult finalizeValues(AggregateKind kind, std::vector<double>& values);

} // namespace fulcrum::runtime
