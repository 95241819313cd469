// Peer aggregation: subjects are grouped by the exact value of the group column (text codes,
// numbers, dates), or all together; missing inputs are skipped as aggregates skip them.
#include "runtime/exec/Peers.h"

#include "runtime/exec/Semantics.h"

#include <unordered_map>

namespace fulcrum::runtime {

namespace {

struct Accumulator {
  double sum = 0;
  double count = 0;
  double extreme = 0;
};

} // namespace

void runPeerSteps(const Plan& plan, const std::vector<PeerStep>& steps, const KernelArgs& args) {
  const int64_t subjects = args.subjects;
  for (const PeerStep& step : steps) {
    // Each subject's group: an index into `groups`, or -1 when its group value is missing.
    std::unordered_map<double, int32_t> groupIndex;
    std::vector<int32_t> groupOf(static_cast<size_t>(subjects), 0);
    std::vector<Accumulator> groups(step.groupColumn < 0 ? 1 : 0);
    for (int64_t s = 0; s < subjects; ++s) {
      if (step.groupColumn < 0)
        continue;
      const auto column = static_cast<uint32_t>(step.groupColumn);
      const int64_t row = args.subjectRows[s];
      if (!args.columnValid[column][row]) {
        groupOf[s] = -1;
        continue;
      }
      auto [it, inserted] = groupIndex.emplace(loadColumnValue(plan, args, column, row),
                                               static_cast<int32_t>(groups.size()));
      if (inserted)
        groups.emplace_back();
      groupOf[s] = it->second;
    }
    for (int64_t s = 0; s < subjects; ++s) {
      const int64_t at = step.input * subjects + s;
      if (groupOf[s] < 0 || !args.slotValid[at])
        continue;
      Accumulator& acc = groups[groupOf[s]];
      const double v = args.slotValues[at];
      if (acc.count == 0 || (step.kind == AggregateKind::Min ? v < acc.extreme : v > acc.extreme))
        acc.extreme = v;
      acc.sum += v;
      acc.count += 1;
    }
    for (int64_t s = 0; s < subjects; ++s) {
      const int64_t at = step.output * subjects + s;
      double value = 0;
      bool valid = groupOf[s] >= 0;
      if (valid) {
        const Accumulator& acc = groups[groupOf[s]];
        switch (step.kind) {
        case AggregateKind::Sum:
          value = acc.sum;
          break;
        case AggregateKind::Count:
          value = acc.count;
          break;
        case AggregateKind::Avg:
          valid = acc.count > 0;
          value = valid ? acc.sum / acc.count : 0;
          break;
        default: // Min, Max
          valid = acc.count > 0;
          value = valid ? acc.extreme : 0;
          break;
        }
      }
      args.slotValues[at] = value;
      args.slotValid[at] = valid;
    }
  }
}

} // namespace fulcrum::runtime
