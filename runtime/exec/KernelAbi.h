// The plain-C view of one run's data that kernels read and write. The interpreter and the
// JIT-compiled code both take a KernelArgs; the JIT's generated functions have the signature
// `void kernel(const KernelArgs*)`, so the layout below is an ABI: change it in one place.
#pragma once

#include <cstdint>

namespace fulcrum::runtime {

// Accumulator doubles per (aggregate, subject): the widest row of runtime/plan/Aggregates.def.
inline constexpr int64_t kAccumulatorWidth = 4;

extern "C" {

struct KernelArgs {
  // Per bound column (Plan::columns): the values (double*, int32_t* or uint8_t* by the
  // column's Storage) and the validity bytes (1 = present).
  const void* const* columnValues;
  const uint8_t* const* columnValid;
  // Scan kernels: row -> subject index (-1: the row belongs to no subject), and row count.
  const int32_t* rowSubjects;
  int64_t rows;
  // Number of subjects; the formula kernel runs once per subject.
  int64_t subjects;
  // Formula kernel: subject index -> row of the subject table, for SubjectColumn.
  const int32_t* subjectRows;
  // Run parameters (Plan::runParams): value and validity.
  const double* runValues;
  const uint8_t* runValid;
  // Scan kernels write: accumulators[(aggregate * subjects + subject) * kAccumulatorWidth + k],
  // zero-initialised by the caller. Aggregates that keep their values (median, count distinct)
  // add them through fulcrumCollectValue instead; sum and avg hand the values outside their
  // exact window to fulcrumEscapeSum. Both take collectedValues.
  double* accumulators;
  void* collectedValues;
  // Formula kernel reads aggregate results and writes slots: [index * subjects + subject].
  const double* aggregateValues;
  const uint8_t* aggregateValid;
  double* slotValues;
  uint8_t* slotValid;
  // Scan kernels: Engine::scratchPerSubject(scan) * subjects zeroed integers of the caller's,
  // which the kernel uses for counters and leaves zeroed; null when none are needed.
  int64_t* scratch;
  // Text code -> its place among the run's texts in byte order; null unless Plan::usesTextOrder.
  const int32_t* textOrder;
  // Scans with alert matches (ScanKernel::matches) hand each matching row to fulcrumMatchRow.
  void* matchedRows;
  // working_days of a period value (POp::WorkingDaysOf): the run's holidays, handed to
  // fulcrumWorkingDays; null when the program declares none.
  const void* holidays;
};

// Keeps `value` for (aggregate, subject) (runtime/exec/Aggregation.h). Implemented by the runtime.
void fulcrumCollectValue(void* collectedValues, uint32_t aggregate, int64_t subject, double value);

// Keeps `value`, which lies outside the exact window of sum or avg (aggregate, subject)
// (runtime/exec/ExactSum.h), beside its block. Implemented by the runtime; safe to call from
// several chunks' threads at once.
void fulcrumEscapeSum(void* collectedValues, uint32_t aggregate, int64_t subject, double value);

// Records that `row` matched active alert `alert`'s filter (runtime/exec/Alerts.h). Implemented
// by the runtime; safe to call from several chunks' threads at once.
void fulcrumMatchRow(void* matchedRows, uint32_t alert, int64_t row);

// Monday to Friday days of the period `periodCode` (a PeriodCode) less the holidays, a
// `const std::vector<int32_t>*` of sorted, distinct weekday day numbers, or null. Implemented by
// the runtime (EvaluateNodes.cpp), the same for both engines.
double fulcrumWorkingDays(const void* holidays, double periodCode);

using KernelFunction = void (*)(const KernelArgs*);
}

} // namespace fulcrum::runtime
