// `--dump-plan`: tables, bound columns, run parameters, each scan's nodes and aggregate
// updates, the formula kernel's slots, outputs and checks.
#include "runtime/plan/Plan.h"

#include <fmt/format.h>

namespace fulcrum::runtime {

static std::string node(const Plan& plan, const PNode& n) {
  switch (n.op) {
  case POp::Const:
    return fmt::format("const {}", n.value);
  case POp::RunParam:
    return fmt::format("run_param {} ({})", n.a, plan.runParams[n.a].name);
  case POp::Column:
  case POp::SubjectColumn:
    return fmt::format("{} {} ({})", opSpelling(n.op), n.a, plan.columns[n.a].name);
  case POp::RefColumn:
    return fmt::format("ref_column {} ({}) via {} ({})", n.a, plan.columns[n.a].name, n.b,
                       plan.columns[n.b].name);
  case POp::Slot:
  case POp::Aggregate:
    return fmt::format("{} {}", opSpelling(n.op), n.a);
  default:
    break;
  }
  // Every other op prints its operand nodes: `add %3, %4`, `in_set %1, [%2, %9]`.
  const NodeOperands uses = nodeOperands(n.op);
  std::string text = opSpelling(n.op);
  std::string separator = " ";
  for (auto [used, index] : {std::pair{uses.a, n.a}, {uses.b, n.b}, {uses.c, n.c}})
    if (used) {
      text += fmt::format("{}%{}", separator, index);
      separator = ", ";
    }
  if (uses.list) {
    std::string items;
    for (uint32_t item : n.list)
      items += fmt::format("{}%{}", items.empty() ? "" : ", ", item);
    text += fmt::format("{}[{}]", separator, items);
  }
  return text;
}

std::string dumpPlan(const Plan& plan) {
  std::string out = fmt::format("plan for framework {}\n", plan.frameworkName);
  out += "tables:\n";
  for (size_t i = 0; i < plan.tables.size(); ++i)
    out += fmt::format("  {} {}{}\n", i, plan.tables[i].name, i == 0 ? " (subject)" : "");
  // The frameworks it reads, run first: each read output and the slot or column it fills.
  for (const FeedSpec& feed : plan.feeds) {
    static const char* const kRelations[] = {"same subject", "level above", "members"};
    out += fmt::format("reads framework {} ({}):\n", feed.plan->frameworkName,
                       kRelations[static_cast<int>(feed.relation)]);
    for (const FeedSpec::Read& read : feed.reads)
      out += fmt::format("  {} -> {} {}\n", feed.plan->outputs[read.output].name,
                         feed.relation == FeedRelation::Members ? "column" : "slot", read.target);
  }
  out += "columns:\n";
  for (size_t i = 0; i < plan.columns.size(); ++i) {
    const BoundColumnSpec& c = plan.columns[i];
    out += fmt::format("  {} {} {}\n", i, c.name,
                       c.storage == Storage::F64   ? "f64"
                       : c.storage == Storage::I32 ? "i32"
                                                   : "u8");
  }
  out += "run parameters:\n";
  for (size_t i = 0; i < plan.runParams.size(); ++i)
    out += fmt::format("  {} {}\n", i, plan.runParams[i].name);
  for (size_t i = 0; i < plan.scans.size(); ++i) {
    const ScanKernel& scan = plan.scans[i];
    if (scan.peerStage >= 0) {
      out += fmt::format("scan {} over the subjects, by peer group, before formula stage {}:\n", i,
                         scan.peerStage);
      for (size_t n = 0; n < scan.nodes.size(); ++n)
        out += fmt::format("  %{} = {}\n", n, node(plan, scan.nodes[n]));
      for (const AggregateUpdate& u : scan.updates)
        out += fmt::format("  aggregate {} = {}(%{})\n", u.aggregate, aggregateSpelling(u.kind),
                           u.value);
      continue;
    }
    const RowSubjectSpec& link = plan.rowSubjects[scan.subjectOfRow];
    out += fmt::format("scan {} over {} (subject by {}){}:\n", i, plan.tables[scan.table].name,
                       link.path == SubjectPath::Everything ? std::string("every row")
                       : link.field < 0                     ? std::string("itself")
                                        : plan.tables[scan.table].fields[link.field].name,
                       scan.afterFormulas ? ", after the formulas"
                       : scan.pass == 1   ? ", second pass"
                                          : "");
    for (size_t n = 0; n < scan.nodes.size(); ++n)
      out += fmt::format("  %{} = {}\n", n, node(plan, scan.nodes[n]));
    for (const AggregateUpdate& u : scan.updates) {
      out += fmt::format("  aggregate {} = {}", u.aggregate, aggregateSpelling(u.kind));
      out += u.value >= 0 ? fmt::format("(%{})", u.value) : std::string("(rows)");
      if (u.filter >= 0)
        out += fmt::format(" where %{}", u.filter);
      if (u.orderKey >= 0)
        out += fmt::format(" order by %{}", u.orderKey);
      out += u.money ? " as money\n" : "\n";
    }
    for (const ScanKernel::AlertMatch& m : scan.matches)
      out += fmt::format("  alert {} where %{}\n", plan.alerts[m.alert].name, m.filter);
  }
  for (size_t stage = 0; stage <= plan.laterStages.size(); ++stage) {
    if (stage > 0)
      for (const PeerStep& p : plan.laterStages[stage - 1].peers)
        out += fmt::format("peers: slot {} = {}(slot {}{}) across {}{}\n", p.output,
                           aggregateSpelling(p.kind), p.input,
                           p.orderInput < 0 ? std::string()
                                            : fmt::format(" order by slot {}", p.orderInput),
                           p.groupColumn < 0 ? std::string("every subject")
                                             : "same " + plan.columns[p.groupColumn].name,
                           p.money ? " as money" : "");
    if (stage > 0)
      for (const RankStep& r : plan.laterStages[stage - 1].ranks)
        out += fmt::format("rank: slot {} = rank(slot {} {}) {}\n", r.output, r.input,
                           r.descending ? "desc" : "asc",
                           r.groupColumn < 0 ? std::string("of every subject")
                                             : "within same " + plan.columns[r.groupColumn].name);
    const FormulaKernel& kernel = formulaKernel(plan, stage);
    out += stage == 0 ? std::string("formulas (per subject):\n")
                      : fmt::format("formulas, stage {} (per subject):\n", stage);
    size_t next = 0;
    for (const SlotAssign& assign : kernel.assigns) {
      for (; next < assign.nodes.end; ++next)
        out += fmt::format("  %{} = {}\n", next, node(plan, kernel.nodes[next]));
      out += fmt::format("  slot {} = %{}\n", assign.slot, assign.nodes.end - 1);
    }
  }
  out += "outputs:\n";
  for (const OutputColumn& c : plan.outputs)
    out += fmt::format("  {} = slot {}\n", c.name, c.slot);
  for (const CheckSpec& c : plan.checks)
    out += fmt::format("check \"{}\" = slot {}\n", c.label, c.slot);
  for (const AlertSpec& a : plan.alerts) {
    out += a.active ? fmt::format("alert {} on {} (dated by {}):\n", a.name,
                                  plan.tables[a.table].name, plan.columns[a.dateColumn].name)
                    : fmt::format("alert {} when slot {}:\n", a.name, a.condition);
    for (size_t n = 0; n < a.nodes.size(); ++n)
      out += fmt::format("  %{} = {}\n", n, node(plan, a.nodes[n]));
    std::string message;
    for (const MessagePart& part : a.message)
      message += part.value < 0 ? part.text : fmt::format("{{%{}}}", part.value);
    out += fmt::format("  message \"{}\"\n", message);
    if (a.priority >= 0)
      out += fmt::format("  priority %{}\n", a.priority);
  }
  return out;
}

} // namespace fulcrum::runtime
