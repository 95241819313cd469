// Runtime helpers called by JIT-compiled kernels (see Helpers.h).
#include "runtime/jit/Helpers.h"

#include "runtime/exec/ExactSum.h"
#include "runtime/exec/KernelAbi.h"
#include "runtime/exec/Semantics.h"

#include <algorithm>

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

extern "C" void fulcrumJitFlushSums(int64_t* entries, int64_t stride, int64_t width,
                                    double* accumulators, int64_t subjects, int64_t aggregate,
                                    int64_t avg) {
  static_assert(kExactSumWords == 3 && kExactSumLowBit == -96);
  for (int64_t s = 0; s < subjects; ++s) {
    int64_t* entry = entries + s * stride;
    double* block = accumulators + (aggregate * subjects + s) * kAccumulatorWidth;
    const auto low = static_cast<uint64_t>(entry[0]), high = static_cast<uint64_t>(entry[1]);
    if ((low | high) != 0) {
      // The whole-number total times 2^96 in the window's 192 bits: below 2^94 in magnitude, so
      // its top word is the sign-extended high part.
      double part[kExactSumWords];
      setExactSumWord(part, 0, 0);
      setExactSumWord(part, 1, low << 32);
      setExactSumWord(part, 2, (high << 32) | (low >> 32));
      exactSumMerge(block, part);
    }
    if (avg != 0)
      block[3] += static_cast<double>(entry[2]); // a count of rows: whole, exact in any order
    std::fill(entry, entry + width, 0);
  }
}

} // namespace fulcrum::runtime::jit
