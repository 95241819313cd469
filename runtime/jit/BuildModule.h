// From a plan to a verified (and optionally optimised) module: the steps compileJit and
// dumpLlvm share.
#pragma once

#include "runtime/jit/Codegen.h"
#include "runtime/jit/JitSession.h"
#include "runtime/plan/Plan.h"

#include <llvm/IR/LLVMContext.h>
#include <llvm/IR/Module.h>
#include <memory>
#include <string>

namespace fulcrum::runtime::jit {

// Checks the plan, generates its module in `context` for the session's target, verifies it and,
// when `optimize` is set, runs the O2 pipeline and verifies it again. Null with `error` set on
// any failure.
std::unique_ptr<llvm::Module> buildModule(const Plan& plan, const KernelNames& names,
                                          llvm::LLVMContext& context, JitSession& session,
                                          bool optimize, std::string& error);

} // namespace fulcrum::runtime::jit
