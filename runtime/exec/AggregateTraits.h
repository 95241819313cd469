// How each aggregate of runtime/plan/Aggregates.def computes, one traits struct per row, named
// after its kind (SumAggregate). Both engines' results come from here: the interpreter updates
// through them, chunked scans merge through them, and finalization reads them; the JIT's code
// for an update (runtime/jit/Codegen.cpp) must do what `update` does, bit for bit.
//
// An aggregate that accumulates has a block of `width` doubles per subject, zeroed before its
// scan (zero is every block's start: "nothing seen"), and:
//   update(acc, row)     one counted row (its value and order key, each possibly missing)
//   merge(into, part)    a later chunk's block into the block of the rows before it
//   finalize(acc)        the result; missing when it says so (or when it is not finite)
// Exact sums (sum, avg) also have values that escape their block: their `update` returns true
// when the row's value must be kept beside the block, and their finalize(acc, escaped) takes
// the values kept for the block, in any order.
// An aggregate that keeps values (its state is DistinctValues or AllValues) has instead:
//   finalize(values)     the result from the subject's valid values, in row order
// (rows with a missing value are never kept: aggregates skip missing values).
#pragma once

#include "runtime/exec/ExactSum.h"
#include "runtime/exec/KernelAbi.h"
#include "runtime/plan/Aggregates.h"

#include <algorithm>
#include <numeric>
#include <span>
#include <unordered_set>
#include <vector>

namespace fulcrum::runtime {

// One counted row as an aggregate sees it.
struct AggregateRow {
  double value = 0;
  bool valid = false; // `count(rows)`: always valid
  double key = 0;     // `order by` (first, last)
  bool keyValid = false;
};

struct AggregateResult {
  double value = 0;
  bool present = false;
};

// acc[0..2]: the exact sum's window (runtime/exec/ExactSum.h), whose bits are integers, not
// doubles. `update` returns true when the row's value escapes the window: the caller keeps it
// beside the block (CollectedValues::addEscaped), and `finalize` is given the values kept. The
// sum is exactly rounded, so neither the order of rows nor that of merges changes it.
struct SumAggregate {
  static bool update(double* acc, const AggregateRow& row) {
    return row.valid && !exactSumAdd(acc, row.value);
  }
  static void merge(double* into, const double* part) { exactSumMerge(into, part); }
  static AggregateResult finalize(const double* acc, std::span<const double> escaped) {
    return {exactSumRound(acc, escaped), true};
  }
};

struct CountAggregate {
  static void update(double* acc, const AggregateRow& row) {
    if (row.valid)
      acc[0] += 1;
  }
  static void merge(double* into, const double* part) { into[0] += part[0]; }
  static AggregateResult finalize(const double* acc) { return {acc[0], true}; }
};

// acc[0..2] the exact sum's window, as SumAggregate's; acc[3] the count. The result is the
// exactly rounded sum over the count (language.md).
struct AvgAggregate {
  static bool update(double* acc, const AggregateRow& row) {
    if (!row.valid)
      return false;
    acc[3] += 1;
    return !exactSumAdd(acc, row.value);
  }
  static void merge(double* into, const double* part) {
    exactSumMerge(into, part);
    into[3] += part[3];
  }
  static AggregateResult finalize(const double* acc, std::span<const double> escaped) {
    return acc[3] > 0 ? AggregateResult{exactSumRound(acc, escaped) / acc[3], true}
                      : AggregateResult{};
  }
};

// acc[0] the extreme so far, acc[1] = 1 once a value is seen.
template <bool Smallest> struct ExtremeAggregate {
  static void update(double* acc, const AggregateRow& row) {
    if (!row.valid)
      return;
    if (acc[1] == 0 || (Smallest ? row.value < acc[0] : row.value > acc[0]))
      acc[0] = row.value;
    acc[1] = 1;
  }
  // A chunk's extreme is one more value for the rows before it.
  static void merge(double* into, const double* part) {
    update(into, AggregateRow{part[0], part[1] != 0});
  }
  static AggregateResult finalize(const double* acc) {
    return acc[1] != 0 ? AggregateResult{acc[0], true} : AggregateResult{};
  }
};
using MinAggregate = ExtremeAggregate<true>;
using MaxAggregate = ExtremeAggregate<false>;

// acc[0] the order key, acc[1] the value, acc[2] = 1 when that value is valid, acc[3] = 1 once a
// row is seen. Rows with a missing key are skipped. First keeps the smallest key (the earliest
// row on ties), Last the largest (the latest row on ties).
template <bool Earliest> struct OrderedAggregate {
  // Where the block holds the value and its validity (a text value is a pool code: a
  // distributed run ships it as its text, runtime/program/PartialStates.cpp).
  static constexpr int kValue = 1, kValueValid = 2;
  static void update(double* acc, const AggregateRow& row) {
    if (!row.keyValid)
      return;
    if (acc[3] == 0 || (Earliest ? row.key < acc[0] : row.key >= acc[0])) {
      acc[0] = row.key;
      acc[1] = row.valid ? row.value : 0;
      acc[2] = row.valid ? 1 : 0;
    }
    acc[3] = 1;
  }
  // A chunk's first (last) row is one more row after the rows before it, so the tie rules hold
  // across chunks too.
  static void merge(double* into, const double* part) {
    update(into, AggregateRow{part[1], part[2] != 0, part[0], part[3] != 0});
  }
  static AggregateResult finalize(const double* acc) {
    return acc[3] != 0 && acc[2] != 0 ? AggregateResult{acc[1], true} : AggregateResult{};
  }
};
using FirstAggregate = OrderedAggregate<true>;
using LastAggregate = OrderedAggregate<false>;

struct CountDistinctAggregate {
  static AggregateResult finalize(const std::unordered_set<double>& values) {
    return {static_cast<double>(values.size()), true};
  }
};

// The middle value, or the mean of the two middle ones for an even count; missing for none.
struct MedianAggregate {
  static AggregateResult finalize(std::vector<double>& values) {
    if (values.empty())
      return {};
    std::sort(values.begin(), values.end());
    const size_t mid = values.size() / 2;
    return {values.size() % 2 ? values[mid] : std::midpoint(values[mid - 1], values[mid]),
            true}; // midpoint: no overflow
  }
};

} // namespace fulcrum::runtime
