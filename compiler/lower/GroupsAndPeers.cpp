// Group subjects, peers and ranks: a group's rows; each `across` a peer step, and each rank a
// rank step, that starts a new formula stage.
#include "compiler/ast/Walk.h"
#include "compiler/lower/Lowerer.h"

#include <fmt/format.h>

namespace fulcrum::lower {

// A group subject (`group team of rep by manager`): its rows are the distinct values of the
// member entity's text field, bound for the row mapping.
void Lowerer::prepareGroupSubject() {
  const GroupDecl* group = framework_.subject->group;
  if (!group)
    return;
  members_ = compilation_.symbols.findData(group->member.name);
  const int field = members_ ? members_->fieldIndex(group->by.name) : -1;
  if (field < 0 || members_->fields[field].type.kind != TypeKind::Text)
    unsupported(group->by.range, "a group by a field that is not text");
  plan_.tables[0].groupMembers = static_cast<int32_t>(tableIndex(members_));
  plan_.tables[0].groupField = field;
  columnIndex(members_, field); // the members' group names, bound for the row mapping
}

// Each `across` in the member: its input becomes a slot of the current stage, then a new
// formula stage starts, preceded by the peer step that fills the call's result slot.
void Lowerer::preparePeers(const Member& member) {
  std::vector<const CallExpr*> calls;
  for (const Expr* root : memberExpressions(member))
    walkPreorder(*root, [&](const Expr& e) {
      if (e.is<CallExpr>() && e.as<CallExpr>().callKind == CallKind::PeerAggregate)
        calls.push_back(&e.as<CallExpr>());
    });
  for (const CallExpr* call : calls) {
    const AggregateInfo& info = aggregateInfo(call->aggregate);
    if (!info.acrossPeers)
      unsupported(call->range, fmt::format("`{}` across peers", info.name));
    PeerStep step;
    step.kind = info.kind;
    step.money = call->type.kind == TypeKind::Money;
    step.input = plan_.slotCount++;
    assign(step.input, *call->args[0]);
    if (call->by)
      step.groupColumn = static_cast<int32_t>(
          columnIndex(framework_.subject, framework_.subject->fieldIndex(call->by->name)));
    if (call->orderBy) { // first, last: the key per subject
      step.orderInput = static_cast<int32_t>(plan_.slotCount++);
      assign(static_cast<uint32_t>(step.orderInput), *call->orderBy);
    }
    step.output = plan_.slotCount++;
    peerSlots_[call] = step.output;
    // The accumulation: a scan over the subjects that reads the input slot as a column (an
    // aggregate that keeps its values has no scan: the runtime collects each group's values).
    if (info.merges()) {
      step.inputColumn = static_cast<uint32_t>(plan_.columns.size());
      plan_.columns.push_back(
          BoundColumnSpec{0, 0, Storage::F64, fmt::format("slot {}", step.input), true});
      step.aggregate = plan_.aggregateCount++;
      step.scan = static_cast<uint32_t>(scans_.size());
      ScanKernel& scan = scans_.emplace_back();
      scan.peerStage = static_cast<int32_t>(stages_.size() + 1);
      scan.nodes.push_back(PNode{POp::Column, step.inputColumn, 0, 0, 0, {}});
      int32_t order = -1;
      if (step.orderInput >= 0) {
        // As over rows (Aggregates.cpp): a text key by its place in byte order, `desc` as -key.
        step.orderColumn = static_cast<uint32_t>(plan_.columns.size());
        plan_.columns.push_back(
            BoundColumnSpec{0, 0, Storage::F64, fmt::format("slot {}", step.orderInput), true});
        scan.nodes.push_back(PNode{POp::Column, step.orderColumn, 0, 0, 0, {}});
        if (call->orderBy->type.kind == TypeKind::Text) {
          scan.nodes.push_back(PNode{POp::TextOrder, 1, 0, 0, 0, {}});
          plan_.usesTextOrder = true;
        }
        if (call->orderDescending)
          scan.nodes.push_back(
              PNode{POp::Neg, static_cast<uint32_t>(scan.nodes.size() - 1), 0, 0, 0, {}});
        order = static_cast<int32_t>(scan.nodes.size() - 1);
      }
      scan.updates.push_back(AggregateUpdate{step.kind, step.aggregate, -1, 0, order, step.money,
                                             call->type.kind == TypeKind::Text, false});
      scanBuilders_.push_back(std::make_unique<NodeBuilder>(scan.nodes));
    }
    startStage();
    stages_.back().peers.push_back(step);
  }
}

void Lowerer::startStage() {
  FormulaStage& stage = stages_.emplace_back();
  kernel_ = &stage.kernel;
  formulas_ = &stageBuilders_.emplace_back(stage.kernel.nodes);
}

// `rank NAME by E desc within G`: E in a slot of the current stage, then a new stage whose rank
// step fills the rank's slot (runtime/exec/Ranks.h). A rank is an output column, a count.
void Lowerer::planRank(const RankMember& rank) {
  RankStep step;
  step.input = plan_.slotCount++;
  assign(step.input, *rank.by);
  step.descending = rank.descending;
  if (rank.withinField >= 0)
    step.groupColumn = static_cast<int32_t>(columnIndex(framework_.subject, rank.withinField));
  step.output = slotFor(&rank);
  startStage();
  stages_.back().ranks.push_back(step);
  plan_.outputs.push_back(
      OutputColumn{rank.name.name, step.output, ValueType::Count, OutputRole::Rank});
}

// The table format lists subjects in the order of the framework's first rank.
void Lowerer::orderByFirstRank() {
  for (const MemberPtr& member : framework_.members)
    if (member->is<RankMember>()) {
      const uint32_t slot = slots_.at(member.get());
      for (size_t i = 0; i < plan_.outputs.size(); ++i)
        if (plan_.outputs[i].slot == slot) {
          plan_.orderOutput = static_cast<int32_t>(i);
          return;
        }
    }
}

} // namespace fulcrum::lower
