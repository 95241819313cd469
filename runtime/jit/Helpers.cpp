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

extern "C" void fulcrumJitFlushCounts(double* counters, double* accumulators, int64_t subjects,
                                      int64_t count, int64_t firstAggregate) {
  for (int64_t s = 0; s < subjects; ++s)
    for (int64_t k = 0; k < count; ++k) {
      double& counter = counters[s * count + k];
      accumulators[((firstAggregate + k) * subjects + s) * kAccumulatorWidth] += counter;
      counter = 0;
    }
}

} // namespace fulcrum::runtime::jit
