// A framework's slots as solver values (see FrameworkModel.h).
#include "compiler/prove/FrameworkModel.h"

#include "runtime/output/ResultFormat.h"

#include <cmath>
#include <cstdlib>
#include <fmt/format.h>

namespace fulcrum::prove {

using runtime::PNode;
using runtime::POp;

FrameworkModel::FrameworkModel(z3::context& ctx, const runtime::Plan& plan, bool loose,
                               const AggregateSource& aggregates,
                               const std::function<void(Encoder&)>& prepare)
    : encoder_(ctx, plan) {
  if (loose)
    encoder_.loosenComparisons();
  if (prepare)
    prepare(encoder_);
  aggregates_ = aggregates(encoder_);
  for (size_t stage = 0; stage <= plan.laterStages.size(); ++stage) {
    const runtime::FormulaKernel& kernel = runtime::formulaKernel(plan, stage);
    std::vector<std::optional<SymValue>>& out = nodes_.emplace_back();
    for (const runtime::SlotAssign& assign : kernel.assigns) {
      encoder_.encode(
          kernel.nodes, assign.nodes.begin, assign.nodes.end,
          [&](const PNode& n) { return leaf(n); }, out);
      if (assign.nodes.end > assign.nodes.begin && out[assign.nodes.end - 1])
        slots_.insert_or_assign(assign.slot, *out[assign.nodes.end - 1]);
    }
  }
}

std::optional<SymValue> FrameworkModel::node(uint32_t stage, uint32_t index) const {
  if (stage >= nodes_.size() || index >= nodes_[stage].size())
    return std::nullopt;
  return nodes_[stage][index];
}

SymValue FrameworkModel::slot(uint32_t index) {
  if (auto it = slots_.find(index); it != slots_.end())
    return it->second;
  // Filled by a peer step, a rank or another framework: any value.
  return slots_.emplace(index, encoder_.freeValue(fmt::format("slot{}", index), kAcrossSubjects))
      .first->second;
}

SymValue FrameworkModel::leaf(const PNode& n) {
  switch (n.op) {
  case POp::Slot:
    return slot(n.a);
  case POp::Aggregate:
    if (n.a < aggregates_.size() && aggregates_[n.a])
      return *aggregates_[n.a];
    return encoder_.freeValue("aggregate", kAcrossSubjects);
  case POp::SubjectColumn:
    return encoder_.subjectField(n.a);
  default:
    return encoder_.freeValue("row value", kAcrossSubjects);
  }
}

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

} // namespace fulcrum::prove
