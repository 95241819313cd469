// Alerts: which rows or subjects fire is the engines' work (an active alert's filter is a match
// in a scan, a passive alert's condition a slot); the message and priority of each alert that
// fires are the alert's own nodes, evaluated after the formulas (runtime/exec/Alerts.h).
#include "compiler/ast/Walk.h"
#include "compiler/lower/Declarations.h"
#include "compiler/lower/Lowerer.h"

namespace fulcrum::lower {

// Whether `expr` reads a framework member (a metric, band, rank, score or key result).
static bool readsMembers(const Expr& expr) {
  bool reads = false;
  walkPreorder(expr, [&](const Expr& e) {
    if (e.is<NameRef>()) {
      const RefKind kind = e.as<NameRef>().resolution.kind;
      reads = reads || kind == RefKind::Metric || kind == RefKind::KeyResult;
    } else if (e.is<MemberRef>()) {
      const RefKind kind = e.as<MemberRef>().resolution.kind;
      reads = reads || kind == RefKind::ScoreComponent || kind == RefKind::KeyResultPart ||
              kind == RefKind::ObjectivePart;
    }
  });
  return reads;
}

// `on TABLE where P`: the row's subject, date and identity columns, and P as a match in a scan
// of TABLE: the table's ordinary scan when P reads no member, else a scan of its own that runs
// after the formulas. The message sees the row (and through it, the subject's members).
void Lowerer::planActiveAlert(const AlertMember& alert, AlertSpec& spec, Context& messageCtx) {
  const DataDecl* decl = alert.table;
  if (decl == nullptr || alert.dateField < 0)
    unsupported(alert.range, "this alert");
  if (decl->group != nullptr || framework_.subject->group != nullptr)
    unsupported(alert.range, "an alert on a group, or over a group subject",
                "alert on the member entity's rows in a framework over the members");
  const uint32_t table = tableIndex(decl);
  const bool overSubject = decl == framework_.subject;
  const int link = overSubject ? -1 : alert.subjectField;
  if (!overSubject && link >= 0)
    columnIndex(decl, link); // bound for the row mapping
  spec.table = table;
  spec.rowSubjects = rowSubjectIndex(table, link);
  spec.dateColumn = columnIndex(decl, alert.dateField);
  if (const int key = decl->keyField(); key >= 0) {
    spec.identityColumns.push_back(columnIndex(decl, key));
    spec.identityIsKey = true;
  } else {
    for (size_t field = 0; field < decl->fields.size(); ++field)
      spec.identityColumns.push_back(columnIndex(decl, static_cast<int>(field)));
  }
  const bool late = alert.where && readsMembers(*alert.where);
  NodeBuilder* scanNodes = nullptr;
  ScanKernel* scan = nullptr;
  if (!late) {
    scan = &scanFor(table, spec.rowSubjects);
    scanNodes = scanBuilders_[scanIndex_[{table, spec.rowSubjects, 0}]].get();
  } else {
    scan = &scans_.emplace_back();
    scan->table = table;
    scan->subjectOfRow = spec.rowSubjects;
    scan->afterFormulas = true;
    scanNodes = scanBuilders_.emplace_back(std::make_unique<NodeBuilder>(scan->nodes)).get();
  }
  const Context filterCtx{scanNodes, static_cast<int>(table), link, nullptr, late};
  const uint32_t filter = alert.where ? lower(*alert.where, filterCtx) : scanNodes->constant(1);
  scan->matches.push_back(
      ScanKernel::AlertMatch{static_cast<uint32_t>(plan_.alerts.size()), filter});
  messageCtx.table = static_cast<int>(table);
  messageCtx.linkField = link;
  messageCtx.readsMembers = true;
}

void Lowerer::planAlert(const AlertMember& alert) {
  AlertSpec spec;
  spec.name = alert.name.name;
  spec.title = alert.title;
  spec.active = alert.onTable.has_value();
  std::vector<PNode> nodes;
  NodeBuilder builder(nodes);
  Context messageCtx{&builder};
  const size_t probeAt = plan_.probes.size();
  if (spec.active) {
    planActiveAlert(alert, spec, messageCtx);
  } else {
    spec.condition = plan_.slotCount++;
    assign(spec.condition, *alert.when);
  }
  // --coverage: whether it fired (a passive one's condition is a slot --explain shows).
  probeValue(ProbeKind::Alert, probeAt, alert.range, alert.name.range,
             spec.active ? -1 : static_cast<int32_t>(spec.condition), ValueType::Bool,
             alert.name.name);
  if (alert.message)
    for (const StringLit::Part& part : alert.message->parts) {
      if (!part.expr) {
        spec.message.push_back(MessagePart{part.text, -1, ValueType::Text});
        continue;
      }
      const uint32_t node = lower(*part.expr, messageCtx);
      spec.message.push_back(
          MessagePart{"", static_cast<int32_t>(node), valueTypeOf(part.expr->type)});
    }
  if (alert.priority) {
    spec.priority = static_cast<int32_t>(lower(*alert.priority, messageCtx));
    spec.priorityKind = valueTypeOf(alert.priority->type);
  }
  spec.nodes = std::move(nodes);
  plan_.alerts.push_back(std::move(spec));
}

} // namespace fulcrum::lower
