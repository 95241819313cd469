// A framework's slots as solver values (internal to compiler/prove/): every formula stage encoded
// in order over a subject's aggregates; the slots that peer steps, ranks and other frameworks
// fill are free values. Where the aggregates come from is the caller's: free values bound by
// facts (Aggregates.h) to prove, or sums over a few rows (CounterexampleRows.h) to build data.
#pragma once

#include "compiler/prove/Encoding.h"

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace fulcrum::prove {

class FrameworkModel {
public:
  using AggregateSource = std::function<std::vector<std::optional<SymValue>>(Encoder&)>;
  // `loose`: comparisons are loosened (Encoder::loosenComparisons); `prepare` runs on the encoder
  // before anything is encoded (to fix run parameters).
  FrameworkModel(z3::context& ctx, const runtime::Plan& plan, bool loose,
                 const AggregateSource& aggregates,
                 const std::function<void(Encoder&)>& prepare = nullptr);

  Encoder& encoder() { return encoder_; }
  SymValue slot(uint32_t index);
  // The value of node `index` of formula stage `stage` (Plan::formulas, then laterStages), or
  // none when no slot's formula holds it.
  std::optional<SymValue> node(uint32_t stage, uint32_t index) const;

private:
  SymValue leaf(const runtime::PNode& n);

  Encoder encoder_;
  std::vector<std::optional<SymValue>> aggregates_;
  std::map<uint32_t, SymValue> slots_;
  std::vector<std::vector<std::optional<SymValue>>> nodes_; // per stage, indexed as its nodes
};

// A model's value as a double (an infinity past a double's range; 0 for no numeral).
double modelNumber(const z3::model& model, const z3::expr& value);
// An output column's value in a model, as people read values (`100%`, `"pip"`, `-`).
std::string shownModelValue(const runtime::Plan& plan, const runtime::OutputColumn& column,
                            const z3::model& model, const SymValue& v);

} // namespace fulcrum::prove
