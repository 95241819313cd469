// Runtime helpers called by JIT-compiled kernels (see Helpers.h).
#include "runtime/jit/Helpers.h"

#include "runtime/exec/Semantics.h"

namespace fulcrum::runtime::jit {

extern "C" double fulcrumJitDecay(double age, double halfLife) {
  return decayValue(age, halfLife);
}

} // namespace fulcrum::runtime::jit
