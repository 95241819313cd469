// Checks a plan before code generation (see PlanCheck.h).
#include "runtime/jit/PlanCheck.h"

#include <fmt/format.h>
#include <vector>

namespace fulcrum::runtime::jit {

namespace {

// Checks the ids a leaf reads and that it belongs to this kind of kernel: a scan reads rows
// (and, run after the formulas, its rows' subjects' slots), the formulas read subjects.
std::string checkLeaf(const Plan& plan, const PNode& n, bool scan, bool afterFormulas,
                      bool secondPass) {
  switch (n.op) {
  case POp::RunParam:
    return n.a < plan.runParams.size() ? "" : fmt::format("run parameter {} out of range", n.a);
  case POp::Column:
  case POp::RefColumn:
    if (!scan)
      return "a row column outside a scan kernel";
    if (n.a >= plan.columns.size())
      return fmt::format("column {} out of range", n.a);
    if (n.op == POp::RefColumn &&
        (n.b >= plan.columns.size() || plan.columns[n.b].storage != Storage::I32))
      return fmt::format("reference column {} out of range or not int32", n.b);
    return "";
  case POp::SubjectColumn:
    if (scan)
      return "a subject column inside a scan kernel";
    return n.a < plan.columns.size() ? "" : fmt::format("column {} out of range", n.a);
  case POp::Slot:
    if (scan && !afterFormulas)
      return "a slot read inside a scan kernel that runs before the formulas";
    return n.a < plan.slotCount ? "" : fmt::format("slot {} out of range", n.a);
  case POp::Aggregate:
    if (scan && !afterFormulas && !secondPass)
      return "an aggregate read inside a first-pass scan kernel";
    return n.a < plan.aggregateCount ? "" : fmt::format("aggregate {} out of range", n.a);
  default:
    return "";
  }
}

// Checks node `i`: its op, its leaf ids, and that its list operands come before it (a/b/c
// operands at or after the node read as missing, as in the interpreter). `evaluated` says which
// earlier nodes hold a value when node `i` runs; null when all of them do.
std::string checkNode(const Plan& plan, const std::vector<PNode>& nodes, uint32_t i, bool scan,
                      const std::vector<bool>* evaluated, bool afterFormulas = false,
                      bool secondPass = false) {
  const PNode& n = nodes[i];
  if (!knownOp(n.op))
    return fmt::format("node {}: unknown op {}", i, static_cast<int>(n.op));
  if (std::string error = checkLeaf(plan, n, scan, afterFormulas, secondPass); !error.empty())
    return fmt::format("node {}: {}", i, error);
  const NodeOperands uses = nodeOperands(n.op);
  std::vector<uint32_t> operands;
  if (uses.a)
    operands.push_back(n.a);
  if (uses.b)
    operands.push_back(n.b);
  if (uses.c)
    operands.push_back(n.c);
  for (uint32_t item : n.list) {
    if (!uses.list)
      break;
    if (item >= i)
      return fmt::format("node {}: list operand {} does not come before it", i, item);
    operands.push_back(item);
  }
  for (uint32_t operand : operands)
    if (evaluated && operand < i && !(*evaluated)[operand])
      return fmt::format("node {}: reads node {} before it is evaluated", i, operand);
  return "";
}

std::string checkScan(const Plan& plan, const ScanKernel& scan) {
  for (uint32_t i = 0; i < scan.nodes.size(); ++i)
    if (std::string error =
            checkNode(plan, scan.nodes, i, true, nullptr, scan.afterFormulas, scan.pass == 1);
        !error.empty())
      return error;
  if (scan.pass > 1)
    return fmt::format("pass {} (there are two)", scan.pass);
  const auto nodeCount = static_cast<int64_t>(scan.nodes.size());
  for (const ScanKernel::AlertMatch& match : scan.matches)
    if (match.alert >= plan.alerts.size() || !plan.alerts[match.alert].active ||
        match.filter >= scan.nodes.size())
      return fmt::format("alert match {}: alert or node out of range", match.alert);
  for (size_t u = 0; u < scan.updates.size(); ++u) {
    const AggregateUpdate& update = scan.updates[u];
    if (!knownAggregate(update.kind))
      return fmt::format("update {}: unknown aggregate kind", u);
    if (update.aggregate >= plan.aggregateCount)
      return fmt::format("update {}: aggregate {} out of range", u, update.aggregate);
    for (int32_t node : {update.filter, update.value, update.orderKey})
      if (node < -1 || node >= nodeCount)
        return fmt::format("update {}: node {} out of range", u, node);
  }
  return "";
}

// In the formula kernel each assignment evaluates its own node range, so an operand outside
// the range must have been evaluated by an earlier assignment of the same subject.
std::string checkFormulas(const Plan& plan, const FormulaKernel& kernel) {
  std::vector<bool> evaluated(kernel.nodes.size(), false);
  for (size_t s = 0; s < kernel.assigns.size(); ++s) {
    const SlotAssign& assign = kernel.assigns[s];
    if (assign.slot >= plan.slotCount)
      return fmt::format("assignment {}: slot {} out of range", s, assign.slot);
    if (assign.nodes.begin >= assign.nodes.end || assign.nodes.end > kernel.nodes.size())
      return fmt::format("assignment {}: bad node range [{}, {})", s, assign.nodes.begin,
                         assign.nodes.end);
    for (uint32_t i = assign.nodes.begin; i < assign.nodes.end; ++i) {
      if (std::string error = checkNode(plan, kernel.nodes, i, false, &evaluated); !error.empty())
        return error;
      evaluated[i] = true;
    }
  }
  return "";
}

// A peer step's aggregate runs across peers; one that accumulates has its scan and aggregate.
std::string checkPeerStep(const Plan& plan, const PeerStep& step) {
  if (!knownAggregate(step.kind) || !aggregateInfo(step.kind).acrossPeers)
    return "a peer step with an aggregate that does not run across peers";
  if (step.input >= plan.slotCount || step.output >= plan.slotCount ||
      step.orderInput >= static_cast<int64_t>(plan.slotCount))
    return "a peer step's slot out of range";
  if ((aggregateInfo(step.kind).clause == AggregateClause::OrderBy) != (step.orderInput >= 0))
    return "a peer step's `order by` key does not match its aggregate";
  if (aggregateInfo(step.kind).merges() &&
      (step.scan >= plan.scans.size() || step.aggregate >= plan.aggregateCount))
    return "a peer step's scan or aggregate out of range";
  return "";
}

std::string checkRankStep(const Plan& plan, const RankStep& step) {
  if (step.input >= plan.slotCount || step.output >= plan.slotCount)
    return "a rank step's slot out of range";
  if (step.groupColumn >= static_cast<int64_t>(plan.columns.size()))
    return "a rank step's group column out of range";
  return "";
}

// An alert's message and priority nodes: a scan's row context (active), or a subject's.
std::string checkAlert(const Plan& plan, const AlertSpec& alert) {
  for (uint32_t i = 0; i < alert.nodes.size(); ++i)
    if (std::string error = checkNode(plan, alert.nodes, i, alert.active, nullptr, true);
        !error.empty())
      return error;
  const auto nodeCount = static_cast<int64_t>(alert.nodes.size());
  for (const MessagePart& part : alert.message)
    if (part.value >= nodeCount)
      return "a message hole's node out of range";
  if (alert.priority >= nodeCount)
    return "the priority's node out of range";
  if (!alert.active && alert.condition >= plan.slotCount)
    return "the condition's slot out of range";
  if (alert.active &&
      (alert.table >= plan.tables.size() || alert.rowSubjects >= plan.rowSubjects.size() ||
       alert.dateColumn >= plan.columns.size()))
    return "the table, row map or date column out of range";
  for (uint32_t column : alert.identityColumns)
    if (column >= plan.columns.size())
      return "an identity column out of range";
  return "";
}

} // namespace

// Every aggregate has exactly one update: sums and counts add without a branch (a row that
// does not count adds -0.0 or 0.0), which is exact only for an accumulator no other update
// writes.
std::string checkOneUpdatePerAggregate(const Plan& plan) {
  std::vector<uint8_t> updated(plan.aggregateCount, 0);
  for (size_t s = 0; s < plan.scans.size(); ++s)
    for (const AggregateUpdate& update : plan.scans[s].updates) {
      if (updated[update.aggregate])
        return fmt::format("scan kernel {}: aggregate {} is updated twice", s, update.aggregate);
      updated[update.aggregate] = 1;
    }
  return "";
}

std::string checkPlan(const Plan& plan) {
  for (size_t s = 0; s < plan.scans.size(); ++s)
    if (std::string error = checkScan(plan, plan.scans[s]); !error.empty())
      return fmt::format("scan kernel {}: {}", s, error);
  if (std::string error = checkOneUpdatePerAggregate(plan); !error.empty())
    return error;
  for (size_t stage = 0; stage <= plan.laterStages.size(); ++stage) {
    if (stage > 0)
      for (const PeerStep& step : plan.laterStages[stage - 1].peers)
        if (std::string error = checkPeerStep(plan, step); !error.empty())
          return fmt::format("formula stage {}: {}", stage, error);
    if (stage > 0)
      for (const RankStep& step : plan.laterStages[stage - 1].ranks)
        if (std::string error = checkRankStep(plan, step); !error.empty())
          return fmt::format("formula stage {}: {}", stage, error);
    if (std::string error = checkFormulas(plan, formulaKernel(plan, stage)); !error.empty())
      return fmt::format("formula stage {}: {}", stage, error);
  }
  for (size_t a = 0; a < plan.alerts.size(); ++a)
    if (std::string error = checkAlert(plan, plan.alerts[a]); !error.empty())
      return fmt::format("alert {}: {}", plan.alerts[a].name, error);
  return "";
}

} // namespace fulcrum::runtime::jit
