// Which arm of each `case` and `if` a traced subject took (see Trace.h).
#include "runtime/exec/Trace.h"

namespace fulcrum::runtime {

std::vector<ArmOutcome> armOutcomes(const Plan& plan, const SubjectTrace& trace) {
  const std::vector<Probe>& probes = plan.probes;
  std::vector<ArmOutcome> outcomes(probes.size(), ArmOutcome::NotReached);
  // A choice's arms are consecutive probes: walk each choice's arms in order until one decides.
  for (size_t i = 0; i < probes.size();) {
    if (probes[i].kind != ProbeKind::Arm) {
      ++i;
      continue;
    }
    const uint32_t choice = probes[i].choice;
    bool decided = false;
    for (; i < probes.size() && probes[i].kind == ProbeKind::Arm && probes[i].choice == choice;
         ++i) {
      const Probe& arm = probes[i];
      if (decided)
        continue;
      if (arm.condition < 0) {
        outcomes[i] = ArmOutcome::Taken;
        decided = true;
        continue;
      }
      const NodeValue& condition = trace.stages.at(arm.stage).at(arm.condition);
      outcomes[i] = !condition.valid         ? ArmOutcome::Missing
                    : condition.value != 0.0 ? ArmOutcome::Taken
                                             : ArmOutcome::False;
      decided = outcomes[i] != ArmOutcome::False;
    }
  }
  // An inner choice's probes come before the arm holding it: from the back, each holder's
  // outcome is final when its inner arms are looked at.
  for (size_t i = probes.size(); i-- > 0;)
    if (probes[i].kind == ProbeKind::Arm && probes[i].within >= 0 &&
        outcomes[static_cast<size_t>(probes[i].within)] != ArmOutcome::Taken)
      outcomes[i] = ArmOutcome::NotReached;
  return outcomes;
}

} // namespace fulcrum::runtime
