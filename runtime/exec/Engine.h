// An engine runs a plan's kernels: the reference interpreter, or the LLVM JIT.
#pragma once

#include "runtime/exec/KernelAbi.h"
#include "runtime/plan/Plan.h"

#include <memory>
#include <string>

namespace fulcrum::runtime {

class Engine {
public:
  virtual ~Engine() = default;
  // Updates the accumulators for every row of scan `index` (args.rows rows).
  virtual void runScan(size_t index, const KernelArgs& args) const = 0;
  // Computes formula stage `stage`'s slots for every subject (args.subjects).
  virtual void runFormulas(size_t stage, const KernelArgs& args) const = 0;
  // Scratch doubles per subject that runScan(index) needs in KernelArgs::scratch.
  virtual int64_t scratchPerSubject(size_t /*index*/) const { return 0; }
};

// The reference interpreter: the oracle the JIT is tested against.
std::unique_ptr<Engine> makeInterpreter(const Plan& plan);

} // namespace fulcrum::runtime
