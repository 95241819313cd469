// The one way compiler/prove/ makes a Z3 solver (internal to the folder): Z3's SMT kernel (the
// "simple" solver) with the question's timeout. The default solver, asked without a push first,
// hands the whole problem to a tactic chosen by its logic, and for nonlinear arithmetic (`k2 *
// (count(deals) / k2.progress)`) that tactic ran far past its timeout without looking at it
// (prove_soundness seed 1820: a `check --prove --timeout-ms 2000` that never finished). The SMT
// kernel, which the default solver uses anyway once a scope is pushed, stops at the timeout
// (mostly: where it does not, DeadlineChild.h).
#pragma once

#include <z3++.h>

namespace fulcrum::prove {

inline void setTimeout(z3::solver& solver, unsigned timeoutMs) {
  z3::params params(solver.ctx());
  params.set("timeout", timeoutMs);
  solver.set(params);
}

inline z3::solver timedSolver(z3::context& ctx, unsigned timeoutMs) {
  z3::solver solver(ctx, z3::solver::simple());
  setTimeout(solver, timeoutMs);
  return solver;
}

} // namespace fulcrum::prove
