// Proving a framework's checks (see Prove.h): the plan's formulas encoded once per framework
// (compiler/prove/Encoding.h) over its aggregates (compiler/prove/Aggregates.h), then, per
// check, one question to the solver: is there a subject for which the check is false? None:
// proved; one: refuted, and the model is the counterexample; no answer in time: unknown.
#include "compiler/prove/Prove.h"

#include "compiler/prove/Aggregates.h"
#include "compiler/prove/AnswerText.h"
#include "compiler/prove/CounterexampleRows.h"
#include "compiler/prove/DeadlineChild.h"
#include "compiler/prove/Encoding.h"
#include "compiler/prove/FrameworkModel.h"
#include "compiler/prove/ModelSolver.h"
#include "runtime/output/ResultFormat.h"

#include <chrono>
#include <cmath>
#include <cstdlib>
#include <fmt/format.h>
#include <functional>
#include <map>
#include <optional>
#include <string>

namespace fulcrum::prove {

using runtime::PNode;
using runtime::POp;

const char* const kNotYetRun = "unconfirmed: the test block was not run on the engines";

const char* verdictName(Verdict verdict) {
  switch (verdict) {
  case Verdict::Proved:
    return "proved";
  case Verdict::Refuted:
    return "refuted";
  case Verdict::Unknown:
    break;
  }
  return "unknown";
}

const char* const kSolverValuesOnly =
    "unconfirmed: the solver's values; no rows are built for this question";

std::string approximationReason(uint8_t approximations) {
  if (approximations & kUninterpreted)
    return "the counterexample depends on decay or ^, which the solver does not decide";
  if (approximations & kAcrossSubjects)
    return "the counterexample depends on values across subjects (peer aggregates, ranks, "
           "other frameworks), which are not modelled";
  return "the counterexample depends on calendar arithmetic (a period's days, working days, "
         "added months), which is not modelled";
}

std::string unknownReason(const std::string& solverReason, unsigned timeoutMs) {
  if (solverReason == "timeout" || solverReason == "canceled")
    return fmt::format("no answer within {} ms", timeoutMs);
  return "the solver gave up: " + solverReason;
}

std::vector<ShownValue> outputValues(ModelSolver& model, const z3::model& values) {
  std::vector<ShownValue> shown;
  const runtime::Plan& plan = model.framework.encoder().plan();
  for (const runtime::OutputColumn& column : plan.outputs)
    shown.push_back(
        {column.name, shownModelValue(plan, column, values, model.framework.slot(column.slot))});
  return shown;
}

CheckProof unknownProof(const std::string& check, const std::string& reason) {
  CheckProof proof;
  proof.check = check;
  proof.reason = reason;
  return proof;
}

namespace {

// `answer()` computed in a child process (DeadlineChild.h) that is killed after `deadlineMs`,
// since Z3 may overrun its own timeout; then, or if the child fails, `unanswered` with why.
CheckProof answerWithin(unsigned deadlineMs, CheckProof unanswered,
                        const std::function<CheckProof()>& answer) {
  const ChildAnswer child = answerInChild(deadlineMs, [&] { return proofAsText(answer()); });
  switch (child.status) {
  case ChildAnswer::Status::Answered:
    return proofFromText(child.text);
  case ChildAnswer::Status::TimedOut:
    unanswered.reason =
        fmt::format("no answer within {} ms (the solver did not stop at its timeout)", deadlineMs);
    return unanswered;
  case ChildAnswer::Status::Failed:
    break;
  }
  unanswered.reason = "internal error: " + child.text;
  return unanswered;
}

// Whether the check may be violated (sat) or not (unsat) in `model`.
z3::check_result violable(ModelSolver& model, const runtime::CheckSpec& check) {
  const SymValue holds = model.framework.slot(check.slot);
  model.solver.push();
  model.solver.add(holds.present && holds.value == model.framework.encoder().ctx().real_val(0));
  const z3::check_result result = model.solver.check();
  model.solver.pop();
  return result;
}

CheckProof proveCheck(FrameworkModel& framework, z3::solver& solver, const LoosenedModel& loosened,
                      const runtime::CheckSpec& check, const ProveOptions& options) {
  CheckProof proof;
  proof.check = check.label;
  const runtime::Plan& plan = framework.encoder().plan();
  const SymValue holds = framework.slot(check.slot);
  solver.push();
  // A check is violated when it is known to be false (missing holds, as a run reports).
  solver.add(holds.present && holds.value == framework.encoder().ctx().real_val(0));
  const z3::check_result result = solver.check();
  if (result == z3::unsat) {
    // Exact arithmetic proves it; the engines' doubles must not break it at a boundary either.
    ModelSolver& loose = loosened();
    const z3::check_result margin = violable(loose, check);
    if (margin == z3::unsat)
      proof.verdict = Verdict::Proved;
    else if (margin == z3::sat)
      proof.reason = "holds exactly but may fail by floating-point rounding at a boundary";
    else
      proof.reason = unknownReason(loose.solver.reason_unknown(), options.timeoutMs);
  } else if (result == z3::unknown) {
    proof.reason = unknownReason(solver.reason_unknown(), options.timeoutMs);
  } else if ((holds.approximations & ~(kRounded | kAggregate)) != kExact) {
    proof.reason = approximationReason(holds.approximations);
  } else {
    proof.verdict = Verdict::Refuted;
    const z3::model model = solver.get_model();
    for (const runtime::OutputColumn& column : plan.outputs)
      proof.counterexample.push_back(
          {column.name, shownModelValue(plan, column, model, framework.slot(column.slot))});
    // The solver's values may be of no data set (aggregates are values the facts allow): rows
    // computed by the solver stand for them, and the engines are to run them.
    std::string why;
    if (auto rows = counterexampleRows(framework.encoder().ctx(), plan, check, options, why)) {
      proof.counterexample = std::move(rows->values);
      proof.testBlock = std::move(rows->testBlock);
      proof.testTitle = std::move(rows->title);
      proof.subject = std::move(rows->subject);
      proof.reason = kNotYetRun;
    } else {
      proof.reason = "unconfirmed: " + why;
    }
  }
  solver.pop();
  return proof;
}

// Whether `framework` lets score component `clamp` leave [0, 1] (sat) or not, pushed and popped.
z3::check_result leavesUnitRange(FrameworkModel& framework, z3::solver& solver,
                                 const runtime::ClampSpec& clamp) {
  const SymValue raw = framework.slot(clamp.rawSlot);
  z3::context& ctx = framework.encoder().ctx();
  solver.push();
  solver.add(raw.present && (raw.value < ctx.real_val(0) || raw.value > ctx.real_val(1)));
  return solver.check();
}

// Can a score component's value before clamping leave [0, 1]? Refuted: yes, and the values show
// how (they are the solver's: no rows are built for this question).
CheckProof proveComponentRange(ModelSolver& exact, const LoosenedModel& loosened,
                               const runtime::ClampSpec& clamp, const ProveOptions& options) {
  CheckProof proof;
  proof.check = clamp.name;
  proof.question = Question::ComponentRange;
  const runtime::Plan& plan = exact.framework.encoder().plan();
  const SymValue raw = exact.framework.slot(clamp.rawSlot);
  const z3::check_result result = leavesUnitRange(exact.framework, exact.solver, clamp);
  if (result == z3::unsat) {
    ModelSolver& loose = loosened();
    const z3::check_result margin = leavesUnitRange(loose.framework, loose.solver, clamp);
    if (margin == z3::unsat)
      proof.verdict = Verdict::Proved;
    else if (margin == z3::sat)
      proof.reason = "stays in [0, 1] exactly but may leave it by floating-point rounding at a "
                     "boundary";
    else
      proof.reason = unknownReason(loose.solver.reason_unknown(), options.timeoutMs);
    loose.solver.pop();
  } else if (result == z3::unknown) {
    proof.reason = unknownReason(exact.solver.reason_unknown(), options.timeoutMs);
  } else if ((raw.approximations & ~(kRounded | kAggregate)) != kExact) {
    proof.reason = approximationReason(raw.approximations);
  } else {
    proof.verdict = Verdict::Refuted;
    const z3::model model = exact.solver.get_model();
    for (const runtime::OutputColumn& column : plan.outputs)
      proof.counterexample.push_back(
          {column.name, shownModelValue(plan, column, model, exact.framework.slot(column.slot))});
    runtime::OutputColumn before{clamp.name + " before clamping", clamp.rawSlot,
                                 runtime::ValueType::Number, runtime::OutputRole::Value};
    // Exact (a refutation may be a hair past 1, which two decimals would show as 1.00).
    const z3::expr rawValue = model.eval(raw.value, true);
    proof.counterexample.push_back(
        {before.name, model.eval(raw.present, true).is_true() && rawValue.is_numeral()
                          ? rawValue.get_decimal_string(17)
                          : shownModelValue(plan, before, model, raw)});
    if (raw.approximations & kAggregate)
      proof.reason = kSolverValuesOnly;
  }
  exact.solver.pop();
  return proof;
}

} // namespace

std::vector<CheckProof> proveChecks(const runtime::Plan& plan, const ProveOptions& options) {
  std::vector<CheckProof> proofs;
  try {
    z3::context ctx;
    const auto encodingStart = std::chrono::steady_clock::now();
    ModelSolver exact(ctx, plan, false, options);
    std::optional<ModelSolver> loose;
    const LoosenedModel loosened = [&]() -> ModelSolver& {
      if (!loose)
        loose.emplace(ctx, plan, true, options);
      return *loose;
    };
    // Each check and component is answered in a child process, killed if the solver overruns
    // its timeout: its exact question, its loosened one and its rows search have the timeout
    // each. The loosened model is made here, once, for all of them.
    const unsigned deadlineMs = 3 * options.timeoutMs + 1000;
    if (!plan.checks.empty() || !plan.clamps.empty())
      loosened();
    // The shared encoding's time goes to the first check.
    auto start = encodingStart;
    for (const runtime::CheckSpec& check : plan.checks) {
      CheckProof proof = answerWithin(deadlineMs, unknownProof(check.label, ""), [&] {
        try {
          return proveCheck(exact.framework, exact.solver, loosened, check, options);
        } catch (const z3::exception& e) {
          return unknownProof(check.label, std::string("solver error: ") + e.msg());
        } catch (const std::exception& e) {
          return unknownProof(check.label, std::string("internal error: ") + e.what());
        }
      });
      const auto end = std::chrono::steady_clock::now();
      proof.milliseconds = std::chrono::duration<double, std::milli>(end - start).count();
      start = end;
      proofs.push_back(std::move(proof));
    }
    for (const runtime::ClampSpec& clamp : plan.clamps) {
      CheckProof unanswered = unknownProof(clamp.name, "");
      unanswered.question = Question::ComponentRange;
      CheckProof proof = answerWithin(deadlineMs, unanswered, [&] {
        try {
          return proveComponentRange(exact, loosened, clamp, options);
        } catch (const z3::exception& e) {
          CheckProof failed = unknownProof(clamp.name, std::string("solver error: ") + e.msg());
          failed.question = Question::ComponentRange;
          return failed;
        }
      });
      const auto end = std::chrono::steady_clock::now();
      proof.milliseconds = std::chrono::duration<double, std::milli>(end - start).count();
      start = end;
      proofs.push_back(std::move(proof));
    }
    // Bands and divisions: each answer times itself; they are asked in this process (warnings:
    // no overrun of Z3's timeout was seen on them in 10,000 random frameworks).
    for (std::vector<CheckProof> (*questions)(ModelSolver&, const LoosenedModel&,
                                              const ProveOptions&) :
         {&proveBandsTotal, &proveDivisions})
      for (CheckProof& proof : questions(exact, loosened, options))
        proofs.push_back(std::move(proof));
  } catch (const z3::exception& e) {
    // Every check and every component keeps its answer: unknown, when the shared model failed.
    const std::string reason = std::string("solver error: ") + e.msg();
    for (size_t i = proofs.size(); i < plan.checks.size(); ++i)
      proofs.push_back(unknownProof(plan.checks[i].label, reason));
    for (size_t i = proofs.size() - plan.checks.size(); i < plan.clamps.size(); ++i) {
      proofs.push_back(unknownProof(plan.clamps[i].name, reason));
      proofs.back().question = Question::ComponentRange;
    }
  }
  return proofs;
}

} // namespace fulcrum::prove
