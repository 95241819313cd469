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
}

} // namespace fulcrum::runtime::jit
