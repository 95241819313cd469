// Members to slots in evaluation order: metrics, scores (weighted, clamped components), bands,
// checks (and the values a violation shows), objectives (key result progress and its score);
// ranks are in GroupsAndPeers.cpp, alerts in Alerts.cpp.
#include "compiler/ast/Walk.h"
#include "compiler/check/Weights.h"
#include "compiler/lower/Declarations.h"
#include "compiler/lower/Lowerer.h"

#include <algorithm>
#include <fmt/format.h>
#include <functional>

namespace fulcrum::lower {

// Lowers `expr` into the formula kernel and records that `slot` takes its value.
// `as`: the type the slot holds, when a bare number must take it (money: see lowerAs).
void Lowerer::assign(uint32_t slot, const Expr& expr, TypeKind as) {
  const auto begin = static_cast<uint32_t>(formulas_->size());
  const uint32_t node = lowerAs(as, expr, Context{formulas_});
  assignNode(slot, begin, node);
}

// A slot's node range must end with its result. Hash-consing may return an older node (or
// add none), so a range whose last node is not the result gets a Coalesce(result, result)
// copy, which is the identity.
void Lowerer::assignNode(uint32_t slot, uint32_t begin, uint32_t node) {
  auto end = static_cast<uint32_t>(formulas_->size());
  if (end == begin || node != end - 1) {
    kernel_->nodes.push_back(PNode{POp::Coalesce, node, node, 0, 0, {}});
    end = static_cast<uint32_t>(kernel_->nodes.size());
    begin = std::min(begin, end - 1);
  }
  // Earlier nodes a range reuses were already evaluated for earlier slots of this subject;
  // the range starts at the first node this slot needs that no earlier range covered.
  kernel_->assigns.push_back(SlotAssign{slot, NodeRange{begin, end}});
}

ValueType outputKind(const Type& type) {
  return valueTypeOf(type);
}

// A metric or a band: its value in the slot of `key` (the member), shown as `name`.
void Lowerer::planValue(const void* key, const std::string& name, const Expr& value,
                        const Type& type, OutputRole role) {
  const uint32_t slot = slotFor(key);
  assign(slot, value, type.kind);
  plan_.outputs.push_back(OutputColumn{name, slot, outputKind(type), role});
}

// weight_0 * slot_0 + weight_1 * slot_1 + ..., added in order; none for no slots.
std::optional<uint32_t> Lowerer::weightedSum(const std::vector<double>& weights,
                                             const std::vector<uint32_t>& slots) {
  std::optional<uint32_t> sum;
  for (size_t i = 0; i < slots.size(); ++i) {
    const uint32_t weight = formulas_->constant(weights[i]);
    const uint32_t term = formulas_->op(POp::Mul, weight, formulas_->leaf(POp::Slot, slots[i]));
    sum = sum ? formulas_->op(POp::Add, *sum, term) : term;
  }
  return sum;
}

// score = outOf * the weighted sum of its components, each clamped to [0, 1] (the raw value is
// kept to report clamping).
void Lowerer::planScore(const ScoreMember& score) {
  const uint32_t scoreSlot = slotFor(&score);
  std::vector<OutputColumn> components;
  std::vector<uint32_t> clamped;
  for (const ScoreComponent& component : score.components) {
    // The raw fraction, kept to report clamping, and the clamped one the score uses.
    const uint32_t raw = plan_.slotCount++;
    const size_t probeAt = plan_.probes.size();
    assign(raw, *component.value);
    const std::string name = score.name.name + "." + component.name.name;
    plan_.clamps.push_back(ClampSpec{name, raw});
    const uint32_t slot = slotFor(&component);
    const auto begin = static_cast<uint32_t>(formulas_->size());
    const uint32_t value = formulas_->leaf(POp::Slot, raw);
    const uint32_t zero = formulas_->constant(0);
    const uint32_t one = formulas_->constant(1);
    const uint32_t node = formulas_->op(POp::Clamp, value, zero, one);
    assignNode(slot, begin, node);
    probeValue(ProbeKind::Component, probeAt, component.name.range, component.value->range,
               static_cast<int32_t>(slot), ValueType::Number, component.name.name,
               component.weight * score.outOf);
    clamped.push_back(slot);
    components.push_back(OutputColumn{name, slot, ValueType::Number});
  }
  // score = outOf * sum(weight_i * component_i), summed in declaration order.
  const auto begin = static_cast<uint32_t>(formulas_->size());
  std::vector<double> weights;
  for (const ScoreComponent& component : score.components)
    weights.push_back(component.weight);
  const std::optional<uint32_t> sum = weightedSum(weights, clamped);
  const uint32_t total = sum ? formulas_->op(POp::Mul, formulas_->constant(score.outOf), *sum)
                             : formulas_->constant(0);
  assignNode(scoreSlot, begin, total);
  plan_.outputs.push_back(
      OutputColumn{score.name.name, scoreSlot, ValueType::Number, OutputRole::Score});
  plan_.outputs.insert(plan_.outputs.end(), components.begin(), components.end());
}

void Lowerer::planCheck(const CheckMember& check) {
  const uint32_t slot = plan_.slotCount++;
  const size_t probeAt = plan_.probes.size();
  assign(slot, *check.condition);
  probeValue(ProbeKind::Check, probeAt, check.range, check.condition->range,
             static_cast<int32_t>(slot), ValueType::Bool);
  CheckSpec spec{check.label, slot, {}};
  // The values a violation shows (language.md: "the values involved"): every member, score
  // component (`s.results`), key result or objective part, field of the subject and param the
  // condition reads, once, in the order written. A member has its slot; the others are computed
  // into a slot of their own, for the report only.
  auto show = [&](const std::string& name, const Expr& e, std::optional<uint32_t> slot) {
    if (std::any_of(spec.inputs.begin(), spec.inputs.end(),
                    [&](const OutputColumn& c) { return c.name == name; }))
      return;
    if (!slot) {
      slot = plan_.slotCount++;
      assign(*slot, e);
    }
    spec.inputs.push_back(OutputColumn{name, *slot, outputKind(e.type)});
  };
  std::function<void(const Expr&)> visit = [&](const Expr& e) {
    if (e.is<MemberRef>()) {
      const MemberRef& ref = e.as<MemberRef>();
      const RefKind kind = ref.resolution.kind;
      if ((kind == RefKind::ScoreComponent || kind == RefKind::KeyResultPart ||
           kind == RefKind::ObjectivePart || kind == RefKind::FrameworkOutput) &&
          ref.base->is<NameRef>())
        return show(ref.base->as<NameRef>().name + "." + ref.member.name, e, std::nullopt);
    }
    if (e.is<NameRef>()) {
      const NameRef& ref = e.as<NameRef>();
      const RefKind kind = ref.resolution.kind;
      if (kind == RefKind::Metric)
        show(ref.name, e, slots_[ref.resolution.decl]);
      else if (kind == RefKind::SubjectField || kind == RefKind::Param ||
               kind == RefKind::KeyResult)
        show(ref.name, e, std::nullopt);
    }
    forEachChild(e, visit);
  };
  visit(*check.condition);
  plan_.checks.push_back(std::move(spec));
}

// A missing key result leaves the objective scored over the others (language.md): when every
// progress is there, `full` (the weighted sum, bit for bit as before); else the sum of the
// present ones' share times progress over the sum of their shares (missing when none is there).
uint32_t Lowerer::overPresent(const std::vector<double>& shares,
                              const std::vector<uint32_t>& progress, uint32_t full) {
  NodeBuilder& f = *formulas_;
  const uint32_t zero = f.constant(0);
  std::optional<uint32_t> all, numerator, denominator;
  for (size_t i = 0; i < progress.size(); ++i) {
    const uint32_t value = f.leaf(POp::Slot, progress[i]);
    const uint32_t missing = f.op(POp::IsMissing, value);
    const uint32_t present = f.op(POp::Not, missing);
    const uint32_t share = f.constant(shares[i]);
    const uint32_t term = f.op(POp::Coalesce, f.op(POp::Mul, share, value), zero);
    const uint32_t weight = f.op(POp::Select, missing, zero, share);
    all = all ? f.op(POp::And, *all, present) : present;
    numerator = numerator ? f.op(POp::Add, *numerator, term) : term;
    denominator = denominator ? f.op(POp::Add, *denominator, weight) : weight;
  }
  return f.op(POp::Select, *all, full, f.op(POp::Div, *numerator, *denominator));
}

// Per key result: actual, target and progress in [0, 1]; the objective's score is the sum of
// each progress times its share (compiler/check/Weights.h), over the present ones. A key result's
// name reads its actual.
void Lowerer::planObjective(const ObjectiveMember& objective) {
  const std::vector<double> shares = keyResultShares(objective).shares;
  std::vector<uint32_t> progress; // progress slots
  for (const KeyResult& kr : objective.keyResults) {
    // `revenue = sum(deals.value) target 1_000_000`: a bare target takes the actual's unit.
    // Their value nodes too: the progress's divisor is one of them (a constant target is asked
    // nothing, as a constant divisor written with `/`).
    const uint32_t actual = slotFor(&kr);
    const auto actualBegin = static_cast<uint32_t>(formulas_->size());
    const uint32_t actualValue = lowerAs(kr.target->type.kind, *kr.actual, Context{formulas_});
    assignNode(actual, actualBegin, actualValue);
    const uint32_t target = plan_.slotCount++;
    const auto targetBegin = static_cast<uint32_t>(formulas_->size());
    const uint32_t targetValue = lowerAs(kr.actual->type.kind, *kr.target, Context{formulas_});
    assignNode(target, targetBegin, targetValue);
    const auto begin = static_cast<uint32_t>(formulas_->size());
    const uint32_t a = formulas_->leaf(POp::Slot, actual);
    const uint32_t t = formulas_->leaf(POp::Slot, target);
    const uint32_t zero = formulas_->constant(0), one = formulas_->constant(1);
    // Higher is better: actual / target. `target below`: 1 at or under the target, else
    // target / actual.
    uint32_t node = 0;
    if (kr.lowerIsBetter) {
      const uint32_t met = formulas_->op(POp::Le, a, t);
      const uint32_t ratio = formulas_->op(POp::Clamp, formulas_->op(POp::Div, t, a), zero, one);
      node = formulas_->op(POp::Select, met, one, ratio);
    } else {
      node = formulas_->op(POp::Clamp, formulas_->op(POp::Div, a, t), zero, one);
    }
    const uint32_t slot = plan_.slotCount++;
    assignNode(slot, begin, node);
    noteProgressDivision(kr, kr.lowerIsBetter ? actualValue : targetValue, slot);
    keyResultSlots_[&kr] = {actual, target, slot};
    progress.push_back(slot);
    const ValueType kind = outputKind(kr.actual->type.kind == TypeKind::NumberLiteral
                                          ? kr.target->type
                                          : kr.actual->type); // two bare numbers: a Number
    plan_.outputs.push_back(OutputColumn{kr.name.name + ".actual", actual, kind});
    plan_.outputs.push_back(OutputColumn{kr.name.name + ".target", target, kind});
    plan_.outputs.push_back(OutputColumn{kr.name.name + ".progress", slot, ValueType::Percent});
  }
  const auto begin = static_cast<uint32_t>(formulas_->size());
  const uint32_t none = formulas_->constant(0); // the score of an objective without results
  const uint32_t sum = weightedSum(shares, progress).value_or(none);
  const uint32_t score = progress.empty() ? sum : overPresent(shares, progress, sum);
  const uint32_t scoreSlot = plan_.slotCount++;
  assignNode(scoreSlot, begin, score);
  const std::string& name = objective.name.name;
  plan_.outputs.push_back(OutputColumn{name + ".score", scoreSlot, ValueType::Percent});
  for (size_t i = 0; i < progress.size(); ++i)
    plan_.partialScores.push_back(
        PartialScoreSpec{name, objective.keyResults[i].name.name, progress[i], scoreSlot});
  // The grade is the standard library's `grade` of the score (stdlib/okr), inlined.
  const FnDecl& grade = *compilation_.symbols.okrGrade;
  const uint32_t gradeSlot = plan_.slotCount++;
  const auto gradeBegin = static_cast<uint32_t>(formulas_->size());
  const std::map<const void*, uint32_t> args{
      {&grade.params.at(0), formulas_->leaf(POp::Slot, scoreSlot)}};
  Context ctx{formulas_};
  ctx.fnArgs = &args;
  assignNode(gradeSlot, gradeBegin, lower(*grade.body, ctx));
  plan_.outputs.push_back(OutputColumn{name + ".grade", gradeSlot, ValueType::Text});
  objectiveSlots_[&objective] = {scoreSlot, gradeSlot};
}

void Lowerer::planMember(const Member& member) {
  member_ = &member;
  lowered_ = 0;
  memberProbes_ = plan_.probes.size();
  const size_t divisions = plan_.divisions.size();
  preparePeers(member);
  planMemberOfKind(member);
  settleDivisionMembers(divisions);
}

void Lowerer::planMemberOfKind(const Member& member) {
  switch (member.kind) {
  case MemberKind::Metric: {
    const auto& metric = member.as<MetricMember>();
    const size_t probeAt = plan_.probes.size();
    planValue(&metric, metric.name.name, *metric.value, metric.type);
    probeValue(ProbeKind::Metric, probeAt, metric.range, metric.value->range,
               static_cast<int32_t>(slotFor(&metric)), outputKind(metric.type));
    return;
  }
  case MemberKind::Score: {
    const auto& score = member.as<ScoreMember>();
    const size_t probeAt = plan_.probes.size();
    planScore(score);
    probeValue(ProbeKind::Score, probeAt, score.range, score.name.range,
               static_cast<int32_t>(slotFor(&score)), ValueType::Number, {}, score.outOf);
    return;
  }
  case MemberKind::Band: {
    const auto& band = member.as<BandMember>();
    const size_t probeAt = plan_.probes.size();
    planValue(&band, band.name.name, *band.value, band.type, OutputRole::Band);
    probeValue(ProbeKind::Band, probeAt, band.range, band.value->range,
               static_cast<int32_t>(slotFor(&band)), outputKind(band.type));
    return;
  }
  case MemberKind::Check:
    planCheck(member.as<CheckMember>());
    return;
  case MemberKind::Objective:
    planObjective(member.as<ObjectiveMember>());
    return;
  case MemberKind::Rank:
    planRank(member.as<RankMember>());
    return;
  case MemberKind::Alert:
    planAlert(member.as<AlertMember>());
    return;
  default:
    return;
  }
}

} // namespace fulcrum::lower
