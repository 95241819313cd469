// Proving a framework's checks (see Prove.h): the plan's formulas encoded once per framework
// (compiler/prove/Encoding.h) over its aggregates (compiler/prove/Aggregates.h), then, per
// check, one question to the solver: is there a subject for which the check is false? None:
// proved; one: refuted, and the model is the counterexample; no answer in time: unknown.
#include "compiler/prove/Prove.h"

#include "compiler/prove/Aggregates.h"
#include "compiler/prove/Encoding.h"
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

namespace {

// The framework's slots as solver values: every formula stage in order; the slots that peer
// steps, ranks and other frameworks fill are free values.
class FrameworkModel {
public:
  // `loose`: comparisons are loosened (Encoder::loosenComparisons).
  FrameworkModel(z3::context& ctx, const runtime::Plan& plan, bool loose) : encoder_(ctx, plan) {
    if (loose)
      encoder_.loosenComparisons();
    aggregates_ = encodeAggregates(encoder_);
    for (size_t stage = 0; stage <= plan.laterStages.size(); ++stage) {
      const runtime::FormulaKernel& kernel = runtime::formulaKernel(plan, stage);
      std::vector<std::optional<SymValue>> out;
      for (const runtime::SlotAssign& assign : kernel.assigns) {
        encoder_.encode(
            kernel.nodes, assign.nodes.begin, assign.nodes.end,
            [&](const PNode& n) { return leaf(n); }, out);
        if (assign.nodes.end > assign.nodes.begin && out[assign.nodes.end - 1])
          slots_.insert_or_assign(assign.slot, *out[assign.nodes.end - 1]);
      }
    }
  }

  Encoder& encoder() { return encoder_; }
  SymValue slot(uint32_t index) {
    if (auto it = slots_.find(index); it != slots_.end())
      return it->second;
    // Filled by a peer step, a rank or another framework: any value.
    return slots_.emplace(index, encoder_.freeValue(fmt::format("slot{}", index), kAcrossSubjects))
        .first->second;
  }

private:
  SymValue leaf(const PNode& n) {
    switch (n.op) {
    case POp::Slot:
      return slot(n.a);
    case POp::Aggregate:
      if (n.a < aggregates_.size() && aggregates_[n.a])
        return *aggregates_[n.a];
      return encoder_.freeValue("aggregate", kAcrossSubjects);
    case POp::SubjectColumn: {
      auto it = subjectColumns_.find(n.a);
      if (it == subjectColumns_.end())
        it = subjectColumns_
                 .emplace(n.a, encoder_.freshColumn(n.a, encoder_.plan().columns[n.a].name))
                 .first;
      return it->second;
    }
    default:
      return encoder_.freeValue("row value", kAcrossSubjects);
    }
  }

  Encoder encoder_;
  std::vector<std::optional<SymValue>> aggregates_;
  std::map<uint32_t, SymValue> slots_;
  std::map<uint32_t, SymValue> subjectColumns_;
};

double modelNumber(const z3::model& model, const z3::expr& value) {
  const z3::expr v = model.eval(value, true);
  if (!v.is_numeral() && !v.is_algebraic())
    return 0;
  std::string text = v.get_decimal_string(12);
  if (!text.empty() && text.back() == '?')
    text.pop_back();
  // strtod, not stod: a model may hold a value past a double's range (then an infinity).
  return std::strtod(text.c_str(), nullptr);
}

std::string shownModelValue(const runtime::Plan& plan, const runtime::OutputColumn& column,
                            const z3::model& model, const SymValue& v) {
  const bool present = model.eval(v.present, true).is_true();
  const double value = modelNumber(model, v.value);
  if (present &&
      (column.kind == runtime::ValueType::Text || column.kind == runtime::ValueType::Reference)) {
    // A text the solver chose freely may be no text of the program's.
    if (value < 0 || value != std::floor(value) ||
        value >= static_cast<double>(plan.strings.size()))
      return "(any text)";
    return "\"" + plan.strings[static_cast<size_t>(value)] + "\"";
  }
  if (present && column.kind == runtime::ValueType::Period)
    return "(any period)";
  if (present && !std::isfinite(value))
    return value > 0 ? "(past any double)" : "(below any double)";
  return runtime::shownValue(column.kind, value, present, plan.strings, plan.fiscalStart,
                             plan.currency->sign);
}

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

// A framework's model and a solver holding its facts.
struct ModelSolver {
  ModelSolver(z3::context& ctx, const runtime::Plan& plan, bool loose, unsigned timeoutMs)
      : framework(ctx, plan, loose), solver(ctx) {
    z3::params params(ctx);
    params.set("timeout", timeoutMs);
    solver.set(params);
    for (const z3::expr& fact : framework.encoder().facts())
      solver.add(fact);
  }
  FrameworkModel framework;
  z3::solver solver;
};

// Whether the check may be violated (sat) or not (unsat) in `model`.
z3::check_result violable(ModelSolver& model, const runtime::CheckSpec& check) {
  const SymValue holds = model.framework.slot(check.slot);
  model.solver.push();
  model.solver.add(holds.present && holds.value == model.framework.encoder().ctx().real_val(0));
  const z3::check_result result = model.solver.check();
  model.solver.pop();
  return result;
}

CheckProof proveCheck(FrameworkModel& framework, z3::solver& solver,
                      const std::function<ModelSolver&()>& loosened,
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
    // Until the engines replay a counterexample as data, aggregates in it are only values the
    // facts allow (Aggregates.cpp), maybe of no data set.
    if (holds.approximations & kAggregate)
      proof.reason = "unconfirmed: the solver's values, not yet reproduced as data";
    const z3::model model = solver.get_model();
    for (const runtime::OutputColumn& column : plan.outputs)
      proof.counterexample.push_back(
          {column.name, shownModelValue(plan, column, model, framework.slot(column.slot))});
  }
  solver.pop();
  return proof;
}

} // namespace

std::vector<CheckProof> proveChecks(const runtime::Plan& plan, const ProveOptions& options) {
  std::vector<CheckProof> proofs;
  try {
    z3::context ctx;
    const auto encodingStart = std::chrono::steady_clock::now();
    ModelSolver exact(ctx, plan, false, options.timeoutMs);
    std::optional<ModelSolver> loose;
    const std::function<ModelSolver&()> loosened = [&]() -> ModelSolver& {
      if (!loose)
        loose.emplace(ctx, plan, true, options.timeoutMs);
      return *loose;
    };
    // The shared encoding's time goes to the first check.
    auto start = encodingStart;
    for (const runtime::CheckSpec& check : plan.checks) {
      CheckProof proof;
      try {
        proof = proveCheck(exact.framework, exact.solver, loosened, check, options);
      } catch (const z3::exception& e) {
        proof = {check.label, Verdict::Unknown, std::string("solver error: ") + e.msg(), 0, {}};
      } catch (const std::exception& e) {
        proof = {check.label, Verdict::Unknown, std::string("internal error: ") + e.what(), 0, {}};
      }
      const auto end = std::chrono::steady_clock::now();
      proof.milliseconds = std::chrono::duration<double, std::milli>(end - start).count();
      start = end;
      proofs.push_back(std::move(proof));
    }
  } catch (const z3::exception& e) {
    for (size_t i = proofs.size(); i < plan.checks.size(); ++i)
      proofs.push_back(
          {plan.checks[i].label, Verdict::Unknown, std::string("solver error: ") + e.msg(), 0, {}});
  }
  return proofs;
}

} // namespace fulcrum::prove
