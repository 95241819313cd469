// Runtime helpers called by JIT-compiled kernels (see Helpers.h).
#include "runtime/jit/Helpers.h"

#include "runtime/exec/KernelAbi.h"
#include "runtime/exec/Semantics.h"

namespace fulcrum::runtime::jit {

extern "C" double fulcrumJitDecay(double age, double halfLife) {
  return decayValue(age, halfLife);
}

extern "C" double fulcrumJitAddMonths(double day, double months) {
  return addMonthsValue(day, months);
}

extern "C" void fulcrumJitFlushCounts(int64_t* counters, int64_t stride, double* accumulators,
                                      int64_t subjects, int64_t aggregate) {
  for (int64_t s = 0; s < subjects; ++s) {
    int64_t& counter = counters[s * stride];
    // Whole numbers below 2^53 (a count of rows): exact as doubles, in any order.
    if (aggregate >= 0)
      accumulators[(aggregate * subjects + s) * kAccumulatorWidth] += static_cast<double>(counter);
    counter = 0;
  }
}

} // namespace fulcrum::runtime::jit
