// The scan pipeline (see Optimize.h).
#include "runtime/jit/Optimize.h"

#include <cstdlib>
#include <cstring>
#include <llvm/Analysis/CGSCCPassManager.h>
#include <llvm/Analysis/LoopAnalysisManager.h>
#include <llvm/IR/PassManager.h>
#include <llvm/Passes/OptimizationLevel.h>
#include <llvm/Passes/PassBuilder.h>
#include <llvm/Transforms/InstCombine/InstCombine.h>
#include <llvm/Transforms/Scalar/DCE.h>
#include <llvm/Transforms/Scalar/EarlyCSE.h>
#include <llvm/Transforms/Scalar/GVN.h>
#include <llvm/Transforms/Scalar/LICM.h>
#include <llvm/Transforms/Scalar/LoopPassManager.h>
#include <llvm/Transforms/Scalar/SimplifyCFG.h>
#include <llvm/Transforms/Vectorize/LoopVectorize.h>

namespace fulcrum::runtime::jit {

namespace {

bool fullPipelineRequested() {
  const char* pipeline = std::getenv("FULCRUM_JIT_PIPELINE");
  return pipeline && std::strcmp(pipeline, "O2") == 0;
}

// Fold the generated validity logic, share repeated loads and compares, hoist loop-invariant
// work, then clean up what that exposed; then widen the loops that can be (a block scan's loop
// over its rows' counter indexes: CategoryCounts.h) and clean up after that.
llvm::FunctionPassManager scanPipeline() {
  llvm::FunctionPassManager passes;
  passes.addPass(llvm::EarlyCSEPass(/*UseMemorySSA=*/false));
  passes.addPass(llvm::InstCombinePass());
  passes.addPass(llvm::SimplifyCFGPass());
  passes.addPass(llvm::createFunctionToLoopPassAdaptor(llvm::LICMPass(llvm::LICMOptions()),
                                                       /*UseMemorySSA=*/true));
  passes.addPass(llvm::GVNPass());
  passes.addPass(llvm::InstCombinePass());
  passes.addPass(llvm::SimplifyCFGPass());
  passes.addPass(llvm::DCEPass());
  passes.addPass(llvm::LoopVectorizePass());
  passes.addPass(llvm::InstCombinePass());
  passes.addPass(llvm::SimplifyCFGPass());
  return passes;
}

} // namespace

void optimizeModule(llvm::Module& module, llvm::TargetMachine& machine) {
  // Declared in this order so that they are destroyed in the reverse one, as LLVM requires.
  llvm::LoopAnalysisManager loops;
  llvm::FunctionAnalysisManager functions;
  llvm::CGSCCAnalysisManager sccs;
  llvm::ModuleAnalysisManager modules;

  llvm::PassBuilder passes(&machine);
  passes.registerModuleAnalyses(modules);
  passes.registerCGSCCAnalyses(sccs);
  passes.registerFunctionAnalyses(functions);
  passes.registerLoopAnalyses(loops);
  passes.crossRegisterProxies(loops, functions, sccs, modules);

  llvm::ModulePassManager pipeline;
  if (fullPipelineRequested())
    pipeline = passes.buildPerModuleDefaultPipeline(llvm::OptimizationLevel::O2);
  else
    pipeline.addPass(llvm::createModuleToFunctionPassAdaptor(scanPipeline()));
  pipeline.run(module, modules);
}

} // namespace fulcrum::runtime::jit
