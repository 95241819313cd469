// Runtime helpers that JIT-compiled kernels call: plain C functions whose addresses the session
// defines as absolute symbols, so generated code calls the same C++ the interpreter runs.
#pragma once

#include <cstdint>

namespace fulcrum::runtime::jit {

// Names the generated IR uses for the helpers (and for fulcrumCollectValue, fulcrumMatchRow and
// fulcrumEscapeSum from KernelAbi.h).
inline constexpr const char* kCollectValueSymbol = "fulcrumCollectValue";
inline constexpr const char* kMatchRowSymbol = "fulcrumMatchRow";
inline constexpr const char* kEscapeSumSymbol = "fulcrumEscapeSum";
inline constexpr const char* kDecaySymbol = "fulcrumJitDecay";
inline constexpr const char* kAddMonthsSymbol = "fulcrumJitAddMonths";
inline constexpr const char* kWorkingDaysSymbol = "fulcrumWorkingDays";
inline constexpr const char* kFlushCountsSymbol = "fulcrumJitFlushCounts";
inline constexpr const char* kFlushSumsSymbol = "fulcrumJitFlushSums";

extern "C" {
// Decay's value, through decayValue (runtime/exec/Semantics.h): a call rather than inline IR
// because the optimiser rewrites pow(0.5, x) into exp2(-x), which is not bit-identical.
double fulcrumJitDecay(double age, double halfLife);
// A date moved by calendar months, through addMonthsValue (runtime/exec/Semantics.h).
double fulcrumJitAddMonths(double day, double months);

// After a scan: adds each subject's integer counter counters[subject * stride] into
// accumulators[(aggregate * subjects + subject) * kAccumulatorWidth] (none when aggregate < 0:
// a block's counter of rows that count nowhere) and zeroes it.
void fulcrumJitFlushCounts(int64_t* counters, int64_t stride, double* accumulators,
                           int64_t subjects, int64_t aggregate);

// After a block scan: adds each subject's sum entry (runtime/jit/CategoryCounts.h, SumEntry), a
// 128-bit integer in entries[subject * stride + 0..1], into the exact window of
// accumulators[(aggregate * subjects + subject) * kAccumulatorWidth] (runtime/exec/ExactSum.h),
// and for an average (`avg` != 0) its count entries[subject * stride + 2] into the block's fourth
// double; then zeroes the entry's `width` words.
void fulcrumJitFlushSums(int64_t* entries, int64_t stride, int64_t width, double* accumulators,
                         int64_t subjects, int64_t aggregate, int64_t avg);
}

} // namespace fulcrum::runtime::jit
