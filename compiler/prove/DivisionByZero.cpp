// Can a division be by zero where the result is not declared `?`? Division by zero is missing
// (language.md); a member that is not a metric declared `T?` is not meant to be. For each
// division of the per-subject formulas (Plan::divisions) whose divisor is not a non-zero
// constant, in a member not declared `T?`: is there an input where its divisor is 0 and the
// member's value is then missing? A division guarded so that the member stays present
// (`if decided > 0 then won / decided else 0`, `won / quota ?? 0`) is proved.
#include "compiler/prove/ModelSolver.h"

#include <algorithm>
#include <chrono>
#include <fmt/format.h>
#include <optional>
#include <string>
#include <vector>

namespace fulcrum::prove {

using runtime::POp;

namespace {

// The divisor as written: what follows the last ` / ` of the division (`quota` of `won / quota`).
std::string divisorText(std::string text) {
  if (text.size() > 1 && text.front() == '(' && text.back() == ')')
    text = text.substr(1, text.size() - 2);
  const size_t at = text.rfind(" / ");
  return at == std::string::npos ? "the divisor" : text.substr(at + 3);
}

CheckProof proveDivision(ModelSolver& exact, const LoosenedModel& loosened,
                         const runtime::DivisionSpec& division, const ProveOptions& options) {
  CheckProof proof;
  proof.check = division.at.text;
  proof.question = Question::DivisionByZero;
  proof.member = division.member;
  proof.file = division.at.file;
  proof.line = division.at.line;
  proof.column = division.at.column;
  // The member's slot, stored when the plan was lowered (a check's label may be another
  // member's name: no lookup by name).
  const std::optional<uint32_t> slot =
      division.memberSlot >= 0 ? std::optional<uint32_t>(division.memberSlot) : std::nullopt;
  // Whether `model` has an input with the divisor 0 and the member then missing.
  uint8_t divisorApproximations = kExact;
  const auto byZero = [&](ModelSolver& model, uint8_t& approximations) -> std::optional<z3::expr> {
    const std::optional<SymValue> divisor = model.framework.node(division.stage, division.divisor);
    if (!divisor)
      return std::nullopt;
    z3::context& ctx = model.framework.encoder().ctx();
    z3::expr zero = divisor->present && divisor->value == ctx.real_val(0);
    approximations = divisor->approximations;
    divisorApproximations = divisor->approximations;
    if (slot) {
      const SymValue member = model.framework.slot(*slot);
      approximations |= member.approximations;
      zero = zero && !member.present;
    }
    return zero;
  };
  uint8_t approximations = kExact;
  const std::optional<z3::expr> question = byZero(exact, approximations);
  if (!question) {
    proof.reason = "its divisor is not encoded";
    return proof;
  }
  SolverScope scope(exact.solver);
  exact.solver.add(*question);
  const z3::check_result result = exact.solver.check();
  if (result == z3::sat) {
    if ((approximations & ~(kRounded | kAggregate)) != kExact) {
      proof.reason = approximationReason(approximations);
    } else {
      proof.verdict = Verdict::Refuted;
      proof.counterexample = outputValues(exact, exact.solver.get_model());
      // The divisor, when it is no output column (an entity's field, a formula).
      const std::string divisor = divisorText(division.at.text);
      if (std::none_of(proof.counterexample.begin(), proof.counterexample.end(),
                       [&](const ShownValue& shown) { return shown.name == divisor; }))
        proof.counterexample.push_back({divisor, "0"});
      if (approximations & kAggregate)
        proof.reason = kSolverValuesOnly;
    }
  } else if (result == z3::unknown) {
    proof.reason = unknownReason(exact.solver.reason_unknown(), options.timeoutMs);
  } else if (divisorApproximations & kRounded) {
    // Exactly never 0; but the engines' doubles may absorb or cancel (`x + y - x` is 0 for
    // x = 1e16, y = 1), which no relative margin models.
    proof.reason = "never by zero exactly, but its divisor is computed with rounding";
  } else {
    ModelSolver& loose = loosened();
    uint8_t looseApproximations = kExact;
    const std::optional<z3::expr> looseQuestion = byZero(loose, looseApproximations);
    SolverScope looseScope(loose.solver);
    if (looseQuestion)
      loose.solver.add(*looseQuestion);
    const z3::check_result margin =
        looseQuestion ? loose.solver.check() : z3::check_result(z3::unknown);
    if (margin == z3::unsat)
      proof.verdict = Verdict::Proved;
    else if (margin == z3::sat)
      proof.reason = "never by zero exactly, but may be by the engines' rounding at a boundary";
    else
      proof.reason = unknownReason(loose.solver.reason_unknown(), options.timeoutMs);
  }
  return proof;
}

} // namespace

std::vector<CheckProof> proveDivisions(ModelSolver& exact, const LoosenedModel& loosened,
                                       const ProveOptions& options) {
  std::vector<CheckProof> proofs;
  const runtime::Plan& plan = exact.framework.encoder().plan();
  for (size_t index = 0; index < plan.divisions.size(); ++index) {
    const runtime::DivisionSpec& division = plan.divisions[index];
    if (division.declaredMayBeMissing)
      continue;
    const runtime::PNode& divisor =
        runtime::formulaKernel(plan, division.stage).nodes[division.divisor];
    if (divisor.op == POp::Const && divisor.value != 0)
      continue;
    const auto start = std::chrono::steady_clock::now();
    CheckProof proof;
    try {
      proof = proveDivision(exact, loosened, division, options);
    } catch (const z3::exception& e) {
      proof = unknownProof(division.at.text, std::string("solver error: ") + e.msg());
      proof.member = division.member;
      proof.file = division.at.file;
      proof.line = division.at.line;
      proof.column = division.at.column;
    }
    proof.question = Question::DivisionByZero;
    proof.division = static_cast<int32_t>(index);
    proof.milliseconds =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    proofs.push_back(std::move(proof));
  }
  return proofs;
}

} // namespace fulcrum::prove
