// A framework's model with a solver holding its facts, and the reasons an answer gives, shared by
// the questions compiler/prove/ asks (internal to the folder): checks and score components
// (Prove.cpp), band totality (BandTotality.cpp), division by zero (DivisionByZero.cpp).
#pragma once

#include "compiler/prove/Aggregates.h"
#include "compiler/prove/FrameworkModel.h"
#include "compiler/prove/Prove.h"
#include "compiler/prove/TimedSolver.h"

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace fulcrum::prove {

struct ModelSolver {
  ModelSolver(z3::context& ctx, const runtime::Plan& plan, bool loose, const ProveOptions& options)
      : framework(ctx, plan, loose, encodeAggregates,
                  [&](Encoder& encoder) {
                    if (options.freeParams)
                      encoder.freeParams();
                  }),
        solver(timedSolver(ctx, options.timeoutMs)) {
    for (const z3::expr& fact : framework.encoder().facts())
      solver.add(fact);
  }
  FrameworkModel framework;
  z3::solver solver;
};

// The solver's assertions from here to the end of the scope are taken back then, exception or
// not: a question's constraint never stays for the next question.
class SolverScope {
public:
  explicit SolverScope(z3::solver& solver) : solver_(solver) { solver_.push(); }
  ~SolverScope() { solver_.pop(); }
  SolverScope(const SolverScope&) = delete;
  SolverScope& operator=(const SolverScope&) = delete;

private:
  z3::solver& solver_;
};

// The loosened model (comparisons within a relative 1e-9 free: Encoder::loosenComparisons), made
// when first asked for.
using LoosenedModel = std::function<ModelSolver&()>;

// Why a refutation leaning on `approximations` (beyond kRounded and kAggregate) is unknown.
std::string approximationReason(uint8_t approximations);
// Why the solver gave no answer (its reason_unknown).
std::string unknownReason(const std::string& solverReason, unsigned timeoutMs);
// The values of the framework's output columns in `model`, for a counterexample.
std::vector<ShownValue> outputValues(ModelSolver& model, const z3::model& values);
// An answer without a solver (an error's): unknown for `reason`.
CheckProof unknownProof(const std::string& check, const std::string& reason);

// The reason of a refutation of a question other than a check: the values are the solver's.
extern const char* const kSolverValuesOnly;

// Band totality (BandTotality.cpp): one answer per band that is a `case` or an `if`.
std::vector<CheckProof> proveBandsTotal(ModelSolver& exact, const LoosenedModel& loosened,
                                        const ProveOptions& options);
// Division by zero (DivisionByZero.cpp): one answer per division asked (Prove.h).
std::vector<CheckProof> proveDivisions(ModelSolver& exact, const LoosenedModel& loosened,
                                       const ProveOptions& options);

} // namespace fulcrum::prove
