// IR generation: a plan's kernels as LLVM functions `void(const KernelArgs*)`.
#pragma once

#include "runtime/plan/Plan.h"

#include <functional>
#include <llvm/IR/LLVMContext.h>
#include <llvm/IR/Module.h>
#include <llvm/TargetParser/Triple.h>
#include <memory>
#include <string>

namespace fulcrum::runtime::jit {

// Symbol names: kernels `<prefix>_scan_<i>` and `<prefix>_formulas` (later formula stages
// `<prefix>_formulas_<stage>`), and the constant pool
// `<prefix>_constants`. Each JIT-compiled program gets its own prefix, since all of them share
// one JITDylib.
struct KernelNames {
  std::string prefix = "fulcrum";
  std::string scan(size_t index) const { return prefix + "_scan_" + std::to_string(index); }
  std::string formulas(size_t stage = 0) const {
    return stage == 0 ? prefix + "_formulas" : prefix + "_formulas_" + std::to_string(stage);
  }
  std::string constants() const { return prefix + "_constants"; }
};

// Which kernels a module holds, by name (KernelNames); empty: every kernel of the plan.
using KernelSelection = std::function<bool(const std::string& kernel)>;

// The module for `plan` (which must pass checkPlan), laid out for `layout`, with the kernels
// `only` selects (and the constant pool); null with `error` set if the KernelArgs layout LLVM
// computes differs from the C++ one.
std::unique_ptr<llvm::Module> generateModule(const Plan& plan, const KernelNames& names,
                                             llvm::LLVMContext& context,
                                             const llvm::DataLayout& layout,
                                             const llvm::Triple& triple, std::string& error,
                                             const KernelSelection& only = {});

} // namespace fulcrum::runtime::jit
