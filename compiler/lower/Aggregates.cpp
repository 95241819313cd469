// Aggregates over a table's rows: one scan per (table, row-to-subject path), updates shared
// when the same aggregate of the same filter and value is asked for twice.
#include "compiler/ast/Walk.h"
#include "compiler/lower/Lowerer.h"

#include <fmt/format.h>

namespace fulcrum::lower {

uint32_t Lowerer::rowSubjectIndex(uint32_t table, int field) {
  auto [it, inserted] = rowSubjects_.emplace(std::make_pair(table, field), 0);
  if (inserted) {
    const DataDecl* decl = tableDecls_[table];
    const DataDecl* subject = framework_.subject;
    SubjectPath path = SubjectPath::Self;
    if (field == CallExpr::kEveryRow)
      path = SubjectPath::Everything;
    else if (subject->group && (decl == members_ || field == CallExpr::kMemberRows))
      path = SubjectPath::Member; // the member entity, or another framework's results over it
    else if (field >= 0)
      path = decl->fields[field].type.data == subject ? SubjectPath::Reference
                                                      : SubjectPath::ReferenceToMember;
    plan_.rowSubjects.push_back(RowSubjectSpec{table, field, path});
    it->second = static_cast<uint32_t>(plan_.rowSubjects.size() - 1);
  }
  return it->second;
}

ScanKernel& Lowerer::scanFor(uint32_t table, uint32_t rowSubjects, uint8_t pass) {
  auto [it, inserted] = scanIndex_.emplace(std::make_tuple(table, rowSubjects, pass), 0);
  if (inserted) {
    ScanKernel& scan = scans_.emplace_back();
    scan.table = table;
    scan.subjectOfRow = rowSubjects;
    scan.pass = pass;
    it->second = static_cast<uint32_t>(scans_.size() - 1);
    scanBuilders_.push_back(std::make_unique<NodeBuilder>(scans_.back().nodes));
  }
  return scans_[it->second];
}

// Whether an aggregate's clauses hold another aggregate (over rows: not one across peers).
static bool holdsAggregate(const CallExpr& call) {
  bool holds = false;
  auto look = [&](const Expr* e) {
    if (e)
      walkPreorder(*e, [&](const Expr& x) {
        holds = holds || (x.is<CallExpr>() && x.as<CallExpr>().callKind == CallKind::Aggregate);
      });
  };
  for (const ExprPtr& arg : call.args)
    look(arg.get());
  look(call.where.get());
  look(call.orderBy.get());
  return holds;
}

uint32_t Lowerer::lowerAggregate(const CallExpr& call, const Context& ctx) {
  if (ctx.table >= 0) {
    // An aggregate inside another's clauses: the outer one is in a second-pass scan, where
    // this one, computed in the first pass, is read at the row's subject.
    if (!ctx.secondPass || holdsAggregate(call))
      unsupported(call.range, "an aggregate inside an aggregate inside another aggregate",
                  "compute the inner aggregates as metrics of their own");
    return ctx.nodes->leaf(POp::Aggregate, aggregateOf(call, ctx, 0));
  }
  const uint32_t aggregate = aggregateOf(call, ctx, holdsAggregate(call) ? 1 : 0);
  if (ctx.nodes == formulas_)
    probeAggregate(call, aggregate); // --explain counts the rows that fed it
  return ctx.nodes->leaf(POp::Aggregate, aggregate);
}

// The aggregate a call computes, in a scan of its table of pass `pass`: its update made once.
uint32_t Lowerer::aggregateOf(const CallExpr& call, const Context& ctx, uint8_t pass) {
  if (framework_.subject == nullptr || call.source == nullptr ||
      (call.subjectField < 0 && call.subjectField != CallExpr::kEveryRow &&
       call.subjectField != CallExpr::kMemberRows))
    unsupported(call.range, "this aggregate");
  const uint32_t table = tableIndex(call.source);
  // The subject entity itself: each subject is its own row. A group's members: each member
  // row names its group in the group's field.
  const bool overSubject = call.source == framework_.subject;
  const int link = overSubject ? -1 : call.subjectField;
  if (!overSubject && link >= 0)
    columnIndex(call.source, link); // the column is bound for the row mapping
  const uint32_t rowSubjects = rowSubjectIndex(table, link);
  ScanKernel& scan = scanFor(table, rowSubjects, pass);
  const uint32_t scanIndex = scanIndex_[{table, rowSubjects, pass}];
  NodeBuilder& nodes = *scanBuilders_[scanIndex];
  Context rowCtx{&nodes, static_cast<int>(table), link, ctx.fnArgs};
  rowCtx.secondPass = pass == 1;

  const AggregateKind kind = call.aggregate;
  const Expr& arg = *call.args[0];
  const bool countsRows = arg.type.kind == TypeKind::Rows;
  const int32_t value = countsRows ? -1 : static_cast<int32_t>(lower(arg, rowCtx));
  const int32_t filter = call.where ? static_cast<int32_t>(lower(*call.where, rowCtx)) : -1;
  // `order by f desc` orders by -f: the smallest -f is the largest f, and accumulate's tie rules
  // (first: the earliest row, last: the latest) stay those of file order.
  int32_t order = -1;
  if (call.orderBy) {
    uint32_t key = lower(*call.orderBy, rowCtx);
    if (call.orderBy->type.kind == TypeKind::Text) { // codes are in order of appearance
      key = nodes.op(POp::TextOrder, key);
      plan_.usesTextOrder = true;
    }
    order = static_cast<int32_t>(call.orderDescending ? nodes.op(POp::Neg, key) : key);
  }
  auto [it, inserted] =
      aggregates_.emplace(std::make_tuple(scanIndex, kind, filter, value, order), 0);
  if (inserted) {
    it->second = plan_.aggregateCount++;
    scan.updates.push_back(AggregateUpdate{
        kind, it->second, filter, value, order, call.type.kind == TypeKind::Money,
        call.type.kind == TypeKind::Text, !countsRows && arg.type.kind == TypeKind::Text});
  }
  return it->second;
}

} // namespace fulcrum::lower
