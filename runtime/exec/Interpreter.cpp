// The reference interpreter: evaluates each kernel's post-ordered nodes front to back into a
// scratch array of (value, valid) pairs. Its semantics are the definition the JIT must match.
#include "runtime/exec/Aggregation.h"
#include "runtime/exec/Engine.h"
#include "runtime/exec/EvaluateNodes.h"

#include <vector>

namespace fulcrum::runtime {

namespace {

class Interpreter : public Engine {
public:
  explicit Interpreter(const Plan& plan) : plan_(plan) {}

  void runScan(size_t index, const KernelArgs& args) const override {
    const ScanKernel& scan = plan_.scans[index];
    std::vector<NodeValue> scratch(scan.nodes.size());
    for (int64_t row = 0; row < args.rows; ++row) {
      const int32_t subject = args.rowSubjects[row];
      if (subject < 0)
        continue;
      // The row's subject: a Slot in an alert's scan, run after the formulas, reads its slot.
      evaluateNodes(plan_, scan.nodes, 0, static_cast<uint32_t>(scan.nodes.size()), args, row,
                    subject, scratch);
      for (const AggregateUpdate& update : scan.updates) {
        if (update.filter >= 0) {
          const NodeValue& filter = scratch[update.filter];
          if (!filter.valid || filter.value == 0)
            continue;
        }
        const NodeValue value = update.value >= 0 ? scratch[update.value] : NodeValue{1, true};
        const NodeValue key = update.orderKey >= 0 ? scratch[update.orderKey] : NodeValue{};
        if (aggregateInfo(update.kind).keepsValues()) {
          if (value.valid)
            fulcrumCollectValue(args.collectedValues, update.aggregate, subject, value.value);
          continue;
        }
        double* acc =
            args.accumulators + (update.aggregate * args.subjects + subject) * kAccumulatorWidth;
        if (updateAggregate(update.kind, acc, {value.value, value.valid, key.value, key.valid}))
          fulcrumEscapeSum(args.collectedValues, update.aggregate, subject, value.value);
      }
      for (const ScanKernel::AlertMatch& match : scan.matches) {
        const NodeValue& filter = scratch[match.filter];
        if (filter.valid && filter.value != 0)
          fulcrumMatchRow(args.matchedRows, match.alert, row);
      }
    }
  }

  void runFormulas(size_t stage, const KernelArgs& args) const override {
    const FormulaKernel& kernel = formulaKernel(plan_, stage);
    std::vector<NodeValue> scratch(kernel.nodes.size());
    for (int64_t subject = 0; subject < args.subjects; ++subject) {
      for (const SlotAssign& assign : kernel.assigns) {
        evaluateNodes(plan_, kernel.nodes, assign.nodes.begin, assign.nodes.end, args, -1, subject,
                      scratch);
        const NodeValue& result = scratch[assign.nodes.end - 1];
        const int64_t at = assign.slot * args.subjects + subject;
        args.slotValues[at] = result.valid ? result.value : 0;
        args.slotValid[at] = result.valid;
      }
    }
  }

  const Plan& plan_;
};

} // namespace

std::unique_ptr<Engine> makeInterpreter(const Plan& plan) {
  return std::make_unique<Interpreter>(plan);
}

} // namespace fulcrum::runtime
