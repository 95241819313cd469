// Runtime helpers that JIT-compiled kernels call: plain C functions whose addresses the session
// defines as absolute symbols, so generated code calls the same C++ the interpreter runs.
#pragma once

#include <cstdint>

namespace fulcrum::runtime::jit {

// Names the generated IR uses for the helpers (and for fulcrumAddDistinct from KernelAbi.h).
inline constexpr const char* kAddDistinctSymbol = "fulcrumAddDistinct";
inline constexpr const char* kDecaySymbol = "fulcrumJitDecay";

extern "C" {
// Decay's value, through decayValue (runtime/exec/Semantics.h): a call rather than inline IR
// because the optimiser rewrites pow(0.5, x) into exp2(-x), which is not bit-identical.
double fulcrumJitDecay(double age, double halfLife);
}

} // namespace fulcrum::runtime::jit
