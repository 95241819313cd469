// The outputs in declaration order, not evaluation order: each member's outputs (its value,
// a score's components, an objective's key results and score) as it planned them.
#include "compiler/lower/Lowerer.h"

namespace fulcrum::lower {

void Lowerer::orderOutputs() {
  std::vector<OutputColumn> ordered;
  ordered.reserve(plan_.outputs.size());
  for (const MemberPtr& member : framework_.members)
    if (auto found = outputsOf_.find(member.get()); found != outputsOf_.end())
      ordered.insert(ordered.end(),
                     plan_.outputs.begin() + static_cast<std::ptrdiff_t>(found->second.first),
                     plan_.outputs.begin() + static_cast<std::ptrdiff_t>(found->second.second));
  plan_.outputs = std::move(ordered);
}

} // namespace fulcrum::lower
