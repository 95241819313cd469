// Lowers a checked framework to a Plan. Expressions become post-ordered nodes, hash-consed per
// kernel so that a filter shared by several aggregates is computed once per row; aggregates
// over one table share one scan; members become slots in the checker's evaluation order.
#include "runtime/plan/Planner.h"

#include "compiler/ast/Walk.h"
#include "compiler/check/Weights.h"
#include "compiler/source/Limits.h"
#include "runtime/plan/Declarations.h"
#include "runtime/plan/Functions.h"
#include "support/Text.h"

#include <algorithm>
#include <array>
#include <bit>
#include <deque>
#include <fmt/format.h>
#include <map>
#include <tuple>
#include <unordered_map>

namespace fulcrum::runtime {

using namespace fulcrum::ast;

namespace {

// Hash-consing builder for one kernel's nodes.
class NodeBuilder {
public:
  explicit NodeBuilder(std::vector<PNode>& nodes) : nodes_(nodes) {}

  uint32_t add(PNode node) {
    // The constant by its bits: a double key would merge 0.0 with -0.0, and a NaN has no order.
    auto key = std::make_tuple(node.op, node.a, node.b, node.c, std::bit_cast<uint64_t>(node.value),
                               node.list);
    if (auto it = seen_.find(key); it != seen_.end())
      return it->second;
    nodes_.push_back(std::move(node));
    const auto index = static_cast<uint32_t>(nodes_.size() - 1);
    seen_.emplace(std::move(key), index);
    return index;
  }
  uint32_t leaf(POp op, uint32_t a = 0, uint32_t b = 0) { return add(PNode{op, a, b, 0, 0, {}}); }
  uint32_t constant(double value) { return add(PNode{POp::Const, 0, 0, 0, value, {}}); }
  uint32_t op(POp op, uint32_t a, uint32_t b = 0, uint32_t c = 0) {
    return add(PNode{op, a, b, c, 0, {}});
  }
  uint32_t list(POp op, uint32_t a, std::vector<uint32_t> items) {
    return add(PNode{op, a, 0, 0, 0, std::move(items)});
  }
  size_t size() const { return nodes_.size(); }

private:
  std::vector<PNode>& nodes_;
  std::map<std::tuple<POp, uint32_t, uint32_t, uint32_t, uint64_t, std::vector<uint32_t>>, uint32_t>
      seen_;
};

// Raised (and caught in this file) when a construct cannot be planned; the diagnostic is
// already reported. The front end's exceptions policy allows them here: the planner is part
// of the compiler, and none leaves planFramework, whose clients (the CLI and the tests; there
// is no C API yet) get a null plan.
struct Unsupported {};

class Planner {
public:
  Planner(const Compilation& compilation, const FrameworkDecl& framework, DiagnosticSink& sink)
      : compilation_(compilation), framework_(framework), sink_(sink),
        firstStage_(plan_.formulas.nodes) {}

  std::unique_ptr<Plan> run();

private:
  // Where an expression is lowered: a scan over `table`'s rows, or the per-subject formulas.
  struct Context {
    NodeBuilder* nodes;
    int table = -1;     // scan context: plan table index; -1: formula context
    int linkField = -1; // scan context: the row's reference to the subject
    const std::map<const void*, uint32_t>* fnArgs = nullptr; // inlined function parameters
  };

  [[noreturn]] void unsupported(SourceRange range, const std::string& what,
                                const std::string& hint = {}) {
    sink_.report(DiagKind::NotSupportedYet, range, what + " is not supported yet", hint);
    throw Unsupported{};
  }
  // Counts one more lowered expression of the member being planned (kMaxLoweredPerMember).
  void countLowered();

  uint32_t tableIndex(const DataDecl* decl);
  uint32_t columnIndex(const DataDecl* decl, int field);
  uint32_t rowSubjectIndex(uint32_t table, int field);
  uint32_t runParam(RunParamSpec spec);
  uint32_t stringCode(const std::string& text);
  uint32_t slotFor(const void* key);
  ScanKernel& scanFor(uint32_t table, uint32_t rowSubjects);

  uint32_t lower(const Expr& expr, const Context& ctx);
  uint32_t lowerName(const NameRef& name, const Context& ctx);
  uint32_t lowerMember(const MemberRef& member, const Context& ctx);
  uint32_t lowerIn(const InExpr& in, const Context& ctx);
  uint32_t lowerCall(const CallExpr& call, const Context& ctx);
  uint32_t lowerAggregate(const CallExpr& call, const Context& ctx);
  uint32_t lowerBuiltin(const CallExpr& call, const Context& ctx);
  uint32_t lowerWorkingDays(const CallExpr& call, NodeBuilder& nodes);
  uint32_t durationDays(const Expr& expr, const Context& ctx);

  void planMember(const Member& member);
  void preparePeers(const Member& member);
  void assign(uint32_t slot, const Expr& expr);
  void assignNode(uint32_t slot, uint32_t begin, uint32_t node);

  const Compilation& compilation_;
  const FrameworkDecl& framework_;
  DiagnosticSink& sink_;
  const Member* member_ = nullptr; // the member being planned, and what it has lowered so far
  size_t lowered_ = 0;
  Plan plan_;
  // The formula stage being filled: the first, or the last one `across` started.
  NodeBuilder firstStage_;
  NodeBuilder* formulas_ = &firstStage_;
  FormulaKernel* kernel_ = &plan_.formulas;
  std::deque<FormulaStage> stages_; // moved to plan_.laterStages at the end
  std::deque<NodeBuilder> stageBuilders_;
  std::map<const CallExpr*, uint32_t> peerSlots_;
  std::map<std::pair<uint32_t, int>, uint32_t> columns_;
  std::map<std::pair<uint32_t, int>, uint32_t> rowSubjects_;
  std::map<std::pair<uint32_t, uint32_t>, uint32_t> scanIndex_;
  // Scans are built in a deque, whose elements never move, since each has a NodeBuilder
  // pointing into it; they move into plan_.scans at the end.
  std::deque<ScanKernel> scans_;
  std::vector<std::unique_ptr<NodeBuilder>> scanBuilders_;
  std::map<std::tuple<uint32_t, AggregateKind, int32_t, int32_t, int32_t>, uint32_t> aggregates_;
  std::map<std::string, uint32_t> runParams_;
  std::map<std::string, uint32_t> strings_;
  std::map<const void*, uint32_t> slots_;   // member, score component -> slot
  std::vector<const DataDecl*> tableDecls_; // per plan_.tables
  const DataDecl* members_ = nullptr;       // a group subject's member entity
  size_t objectives_ = 0;
  std::map<const void*, std::array<uint32_t, 3>> keyResultSlots_; // actual, target, progress
};

uint32_t Planner::tableIndex(const DataDecl* decl) {
  for (size_t i = 0; i < tableDecls_.size(); ++i)
    if (tableDecls_[i] == decl)
      return static_cast<uint32_t>(i);
  tableDecls_.push_back(decl);
  plan_.tables.push_back(planTable(*decl, compilation_.sources));
  return static_cast<uint32_t>(plan_.tables.size() - 1);
}

static Storage storageOf(const FieldDecl& field) {
  switch (field.type.kind) {
  case TypeKind::Bool:
    return Storage::U8;
  case TypeKind::Text:
  case TypeKind::Date:
  case TypeKind::Entity:
    return Storage::I32;
  default:
    return Storage::F64; // numbers, money, percents, counts, period codes
  }
}

uint32_t Planner::columnIndex(const DataDecl* decl, int field) {
  const uint32_t table = tableIndex(decl);
  auto [it, inserted] = columns_.emplace(std::make_pair(table, field), 0);
  if (inserted) {
    const FieldDecl& f = decl->fields[field];
    plan_.columns.push_back(BoundColumnSpec{table, static_cast<uint32_t>(field), storageOf(f),
                                            decl->name.name + "." + f.name.name, false,
                                            !f.type.optional});
    it->second = static_cast<uint32_t>(plan_.columns.size() - 1);
  }
  return it->second;
}

uint32_t Planner::rowSubjectIndex(uint32_t table, int field) {
  auto [it, inserted] = rowSubjects_.emplace(std::make_pair(table, field), 0);
  if (inserted) {
    const DataDecl* decl = tableDecls_[table];
    const DataDecl* subject = framework_.subject;
    SubjectPath path = SubjectPath::Self;
    if (field == CallExpr::kEveryRow)
      path = SubjectPath::Everything;
    else if (subject->group && decl == members_)
      path = SubjectPath::Member;
    else if (field >= 0)
      path = decl->fields[field].type.data == subject ? SubjectPath::Reference
                                                      : SubjectPath::ReferenceToMember;
    plan_.rowSubjects.push_back(RowSubjectSpec{table, field, path});
    it->second = static_cast<uint32_t>(plan_.rowSubjects.size() - 1);
  }
  return it->second;
}

uint32_t Planner::runParam(RunParamSpec spec) {
  auto [it, inserted] = runParams_.emplace(spec.name, 0);
  if (inserted) {
    plan_.runParams.push_back(std::move(spec));
    it->second = static_cast<uint32_t>(plan_.runParams.size() - 1);
  }
  return it->second;
}

uint32_t Planner::stringCode(const std::string& text) {
  auto [it, inserted] = strings_.emplace(text, 0);
  if (inserted) {
    plan_.strings.push_back(text);
    it->second = static_cast<uint32_t>(plan_.strings.size() - 1);
  }
  return it->second;
}

uint32_t Planner::slotFor(const void* key) {
  auto [it, inserted] = slots_.emplace(key, plan_.slotCount);
  if (inserted)
    ++plan_.slotCount;
  return it->second;
}

ScanKernel& Planner::scanFor(uint32_t table, uint32_t rowSubjects) {
  auto [it, inserted] = scanIndex_.emplace(std::make_pair(table, rowSubjects), 0);
  if (inserted) {
    scans_.push_back(ScanKernel{table, rowSubjects, {}, {}});
    it->second = static_cast<uint32_t>(scans_.size() - 1);
    scanBuilders_.push_back(std::make_unique<NodeBuilder>(scans_.back().nodes));
  }
  return scans_[it->second];
}

static RunParamSpec periodParam(RunParamKind kind, const char* name) {
  RunParamSpec spec;
  spec.kind = kind;
  spec.name = name;
  return spec;
}

uint32_t Planner::lowerName(const NameRef& name, const Context& ctx) {
  NodeBuilder& nodes = *ctx.nodes;
  const Resolution& r = name.resolution;
  switch (r.kind) {
  case RefKind::RowField: {
    const auto* decl = tableDecls_[ctx.table];
    return nodes.leaf(POp::Column, columnIndex(decl, r.index));
  }
  case RefKind::SubjectField: {
    const DataDecl* subject = framework_.subject;
    const uint32_t column = columnIndex(subject, r.index);
    if (ctx.table < 0)
      return nodes.leaf(POp::SubjectColumn, column);
    // Inside a scan: the row's subject, through the row's reference to it.
    if (subject->group)
      unsupported(name.range,
                  fmt::format("a field of the group `{}` inside an aggregate", subject->name.name));
    // `subject company` has one field, its name, the same for every row (its one-row column
    // cannot be read at the scanned table's row index).
    if (subject->isCompany)
      return nodes.constant(stringCode(kCompanyKey));
    const auto* rowDecl = tableDecls_[ctx.table];
    if (ctx.linkField < 0)
      return nodes.leaf(POp::Column, column);
    return nodes.leaf(POp::RefColumn, column, columnIndex(rowDecl, ctx.linkField));
  }
  case RefKind::Metric:
  case RefKind::KeyResult:
    if (ctx.table >= 0)
      unsupported(name.range, fmt::format("reading metric `{}` inside an aggregate", name.name),
                  "compute the aggregate over the rows first, then combine it with the metric");
    return nodes.leaf(POp::Slot, slotFor(r.decl));
  case RefKind::Param: {
    const auto* param = static_cast<const ParamDecl*>(r.decl);
    // A duration param is a number of days at run time: only days and weeks have one length.
    if (const Expr* value = param->defaultValue.get(); value && value->is<DurationLit>())
      if (const PeriodUnit unit = value->as<DurationLit>().unit;
          unit != PeriodUnit::Day && unit != PeriodUnit::Week)
        unsupported(value->range, "a duration param in months, quarters or years",
                    "write it in days or weeks: these have a fixed length");
    return nodes.leaf(POp::RunParam, runParam(userParamSpec(*param)));
  }
  case RefKind::Period:
    return nodes.leaf(POp::RunParam, runParam(periodParam(RunParamKind::PeriodCode, "period")));
  case RefKind::FnParam:
    if (ctx.fnArgs)
      if (auto it = ctx.fnArgs->find(r.decl); it != ctx.fnArgs->end())
        return it->second;
    break;
  default:
    break;
  }
  unsupported(name.range, fmt::format("using `{}` here", name.name));
}

uint32_t Planner::lowerMember(const MemberRef& member, const Context& ctx) {
  NodeBuilder& nodes = *ctx.nodes;
  const Resolution& r = member.resolution;
  switch (r.kind) {
  case RefKind::RowField:
    return nodes.leaf(POp::Column, columnIndex(static_cast<const DataDecl*>(
                                                   member.base->as<NameRef>().resolution.decl),
                                               r.index));
  case RefKind::PeriodStart:
    return nodes.leaf(POp::RunParam,
                      runParam(periodParam(RunParamKind::PeriodStart, "period.start")));
  case RefKind::PeriodEnd:
    return nodes.leaf(POp::RunParam, runParam(periodParam(RunParamKind::PeriodEnd, "period.end")));
  case RefKind::ScoreComponent: {
    const auto* score = static_cast<const ScoreMember*>(r.decl);
    return nodes.leaf(POp::Slot, slotFor(&score->components[r.index]));
  }
  case RefKind::KeyResultPart:
    if (ctx.table >= 0)
      unsupported(member.range, "reading a key result inside an aggregate");
    return nodes.leaf(POp::Slot, keyResultSlots_.at(r.decl)[r.index]);
  case RefKind::Referenced:
    // `owner.manager` in a scan: one hop through a reference field of the row.
    if (ctx.table >= 0 && member.base->is<NameRef>() &&
        member.base->as<NameRef>().resolution.kind == RefKind::RowField) {
      const auto& base = member.base->as<NameRef>();
      const DataDecl* target = member.base->type.data;
      const auto* rowDecl = tableDecls_[ctx.table];
      return nodes.leaf(POp::RefColumn, columnIndex(target, r.index),
                        columnIndex(rowDecl, base.resolution.index));
    }
    unsupported(member.range, "following a reference here",
                "only a field of the aggregate's row can be followed (`owner.manager`)");
  default:
    unsupported(member.range, fmt::format("`.{}` here", member.member.name));
  }
}

// A literal, possibly negated: a value that is known at compile time and never missing.
static bool isLiteral(const Expr& expr) {
  switch (expr.kind) {
  case ExprKind::Number:
  case ExprKind::Percent:
  case ExprKind::Money:
  case ExprKind::Date:
  case ExprKind::PeriodLit:
  case ExprKind::Duration:
  case ExprKind::Bool:
    return true;
  case ExprKind::String:
    return !expr.as<StringLit>().hasHoles();
  case ExprKind::Unary:
    return expr.as<UnaryExpr>().op == UnaryOp::Negate && isLiteral(*expr.as<UnaryExpr>().operand);
  default:
    return false;
  }
}

uint32_t Planner::lowerIn(const InExpr& in, const Context& ctx) {
  NodeBuilder& nodes = *ctx.nodes;
  const uint32_t value = lower(*in.value, ctx);
  uint32_t result = 0;
  switch (in.inKind) {
  case InKind::List: {
    // A list of literals is a set lookup; any computed item may be missing, and then
    // `x in (a, b)` must mean `x == a or x == b` (missing unless another item matches).
    std::vector<uint32_t> items;
    bool constants = true;
    for (const ExprPtr& item : in.items) {
      items.push_back(lower(*item, ctx));
      constants = constants && isLiteral(*item);
    }
    if (constants) {
      result = nodes.list(POp::InSet, value, std::move(items));
    } else {
      result = nodes.op(POp::Eq, value, items[0]);
      for (size_t i = 1; i < items.size(); ++i)
        result = nodes.op(POp::Or, result, nodes.op(POp::Eq, value, items[i]));
    }
    break;
  }
  case InKind::Value: {
    const Expr& window = *in.items[0];
    if (window.is<PeriodLitExpr>()) {
      const Period& period = window.as<PeriodLitExpr>().period;
      // Operands are made one statement at a time: the order of a call's arguments is the
      // compiler's choice, and node numbers (dumps, the JIT's cache keys) must not depend on it.
      const uint32_t first = nodes.constant(period.start());
      const uint32_t last = nodes.constant(period.end());
      result = nodes.op(POp::InRange, value, first, last);
    } else if (window.is<NameRef>() && window.as<NameRef>().resolution.kind == RefKind::Period) {
      const uint32_t first = nodes.leaf(
          POp::RunParam, runParam(periodParam(RunParamKind::PeriodStart, "period.start")));
      const uint32_t last =
          nodes.leaf(POp::RunParam, runParam(periodParam(RunParamKind::PeriodEnd, "period.end")));
      result = nodes.op(POp::InRange, value, first, last);
    } else {
      unsupported(window.range, "`in` over a period value other than `period` or a literal");
    }
    break;
  }
  case InKind::Previous:
  case InKind::Last: {
    RunParamSpec start;
    start.last = in.inKind == InKind::Last;
    start.ofCadence = in.previousPeriod;
    start.count = in.count;
    start.unit = in.unit;
    const std::string window = in.previousPeriod
                                   ? "previous period"
                                   : fmt::format("{} {} {}", start.last ? "last" : "previous",
                                                 in.count, periodUnitName(in.unit));
    start.kind = RunParamKind::WindowStart;
    start.name = window + ".start";
    RunParamSpec end = start;
    end.kind = RunParamKind::WindowEnd;
    end.name = window + ".end";
    const uint32_t first = nodes.leaf(POp::RunParam, runParam(std::move(start)));
    const uint32_t last = nodes.leaf(POp::RunParam, runParam(std::move(end)));
    result = nodes.op(POp::InRange, value, first, last);
    break;
  }
  }
  return in.negated ? nodes.op(POp::Not, result) : result;
}

uint32_t Planner::durationDays(const Expr& expr, const Context& ctx) {
  if (expr.is<DurationLit>()) {
    const auto& d = expr.as<DurationLit>();
    if (d.unit == PeriodUnit::Day || d.unit == PeriodUnit::Week)
      return ctx.nodes->constant(d.count * (d.unit == PeriodUnit::Week ? 7 : 1));
    unsupported(expr.range, "a duration in months, quarters or years in arithmetic",
                "write it in days or weeks: these have a fixed length");
  }
  return lower(expr, ctx);
}

// A built-in function by its row's lowering: a node over its arguments in turn (a duration in
// days), then the as-of day when the row asks for it; or a node over a list.
uint32_t Planner::lowerBuiltin(const CallExpr& call, const Context& ctx) {
  NodeBuilder& nodes = *ctx.nodes;
  const FunctionInfo& function = *call.builtin;
  if (function.lowering == FunctionLowering::RunParameter)
    return lowerWorkingDays(call, nodes);
  std::vector<uint32_t> operands;
  for (size_t i = 0; i < call.args.size(); ++i) // in turn: see InRange above
    operands.push_back(function.param(i) == FunctionParam::Duration
                           ? durationDays(*call.args[i], ctx)
                           : lower(*call.args[i], ctx));
  if (function.lowering == FunctionLowering::ListOfOperands)
    return nodes.list(function.op, 0, std::move(operands));
  if (function.lowering == FunctionLowering::OperandsAndAsOf)
    operands.push_back(
        nodes.leaf(POp::RunParam, runParam(periodParam(RunParamKind::AsOf, "as_of"))));
  operands.resize(3, 0);
  return nodes.op(function.op, operands[0], operands[1], operands[2]);
}

// `working_days(period)`: a run parameter, less the days of a declared `holidays` table.
uint32_t Planner::lowerWorkingDays(const CallExpr& call, NodeBuilder& nodes) {
  if (!call.args[0]->is<NameRef>() ||
      call.args[0]->as<NameRef>().resolution.kind != RefKind::Period)
    unsupported(call.range, "`working_days` of a period other than `period`");
  RunParamSpec spec = periodParam(RunParamKind::WorkingDays, "working_days(period)");
  // A declared `holidays` table with a date field takes its days out.
  if (const DataDecl* holidays = compilation_.symbols.findData("holidays");
      holidays && !holidays->isEntity && !holidays->fromPath.empty())
    for (size_t f = 0; f < holidays->fields.size(); ++f)
      if (holidays->fields[f].type.kind == TypeKind::Date) {
        spec.holidaysTable = static_cast<int32_t>(tableIndex(holidays));
        spec.holidaysField = static_cast<int32_t>(f);
        spec.name = "working_days(period) without holidays";
        break;
      }
  return nodes.leaf(POp::RunParam, runParam(std::move(spec)));
}

uint32_t Planner::lowerAggregate(const CallExpr& call, const Context& ctx) {
  if (ctx.table >= 0)
    unsupported(call.range, "an aggregate inside another aggregate",
                "compute the inner aggregate as its own metric");
  if (framework_.subject == nullptr || call.source == nullptr ||
      (call.subjectField < 0 && call.subjectField != CallExpr::kEveryRow))
    unsupported(call.range, "this aggregate");
  const uint32_t table = tableIndex(call.source);
  // The subject entity itself: each subject is its own row. A group's members: each member
  // row names its group in the group's field.
  const bool overSubject = call.source == framework_.subject;
  const int link = overSubject ? -1 : call.subjectField;
  if (!overSubject && link >= 0)
    columnIndex(call.source, link); // the column is bound for the row mapping
  const uint32_t rowSubjects = rowSubjectIndex(table, link);
  ScanKernel& scan = scanFor(table, rowSubjects);
  NodeBuilder& nodes = *scanBuilders_[scanIndex_[{table, rowSubjects}]];
  const Context rowCtx{&nodes, static_cast<int>(table), link, ctx.fnArgs};

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
  const uint32_t scanIndex = scanIndex_[{table, rowSubjects}];
  auto [it, inserted] =
      aggregates_.emplace(std::make_tuple(scanIndex, kind, filter, value, order), 0);
  if (inserted) {
    it->second = plan_.aggregateCount++;
    scan.updates.push_back(AggregateUpdate{kind, it->second, filter, value, order});
  }
  return ctx.nodes->leaf(POp::Aggregate, it->second);
}

uint32_t Planner::lowerCall(const CallExpr& call, const Context& ctx) {
  switch (call.callKind) {
  case CallKind::Aggregate:
    return lowerAggregate(call, ctx);
  case CallKind::PeerAggregate:
    if (auto it = peerSlots_.find(&call); it != peerSlots_.end() && ctx.table < 0)
      return ctx.nodes->leaf(POp::Slot, it->second);
    unsupported(call.range, "`across` inside an aggregate");
  case CallKind::Builtin:
    return lowerBuiltin(call, ctx);
  case CallKind::Function: {
    // Functions are pure and never recursive: inline the body with the arguments bound.
    std::map<const void*, uint32_t> args;
    for (size_t i = 0; i < call.args.size(); ++i)
      args[&call.function->params[i]] = lower(*call.args[i], ctx);
    Context inner = ctx;
    inner.fnArgs = &args;
    return lower(*call.function->body, inner);
  }
  case CallKind::Unresolved:
    break;
  }
  unsupported(call.range, fmt::format("calling `{}`", call.callee.name));
}

void Planner::countLowered() {
  if (++lowered_ <= kMaxLoweredPerMember || member_ == nullptr)
    return;
  const std::string what =
      member_->name.name.empty() ? "this member" : fmt::format("`{}`", member_->name.name);
  const std::string limit = withThousands(static_cast<long long>(kMaxLoweredPerMember));
  sink_.report(
      DiagKind::PlanTooLarge, member_->range,
      fmt::format("{} grows past {} operations once its functions are inlined", what, limit),
      "a function that calls another several times copies it each time: compute the "
      "shared part once, in a metric, and pass that");
  throw Unsupported{};
}

uint32_t Planner::lower(const Expr& expr, const Context& ctx) {
  countLowered();
  NodeBuilder& nodes = *ctx.nodes;
  switch (expr.kind) {
  case ExprKind::Number:
    return nodes.constant(expr.as<NumberLit>().value);
  case ExprKind::Percent:
    return nodes.constant(expr.as<PercentLit>().fraction);
  case ExprKind::Money:
    return nodes.constant(expr.as<MoneyLit>().value);
  case ExprKind::Date:
    return nodes.constant(expr.as<DateLit>().day);
  case ExprKind::PeriodLit: {
    const Period& p = expr.as<PeriodLitExpr>().period;
    return nodes.constant(periodCode(p.start(), p.end()));
  }
  case ExprKind::Duration:
    return durationDays(expr, ctx);
  case ExprKind::String:
    if (expr.as<StringLit>().hasHoles())
      unsupported(expr.range, "a string with `{}` holes outside a message");
    return nodes.constant(stringCode(expr.as<StringLit>().plainText()));
  case ExprKind::Bool:
    return nodes.constant(expr.as<BoolLit>().value ? 1 : 0);
  case ExprKind::Missing:
    return nodes.leaf(POp::Missing);
  case ExprKind::Name:
    return lowerName(expr.as<NameRef>(), ctx);
  case ExprKind::Member:
    return lowerMember(expr.as<MemberRef>(), ctx);
  case ExprKind::Unary: {
    const auto& u = expr.as<UnaryExpr>();
    return nodes.op(u.op == UnaryOp::Not ? POp::Not : POp::Neg, lower(*u.operand, ctx));
  }
  case ExprKind::Binary: {
    const auto& b = expr.as<BinaryExpr>();
    if ((b.op == BinaryOp::Eq || b.op == BinaryOp::Ne) &&
        (b.lhs->type.kind == TypeKind::Entity || b.rhs->type.kind == TypeKind::Entity))
      unsupported(expr.range, "comparing a reference with a key",
                  "compare a field of the referenced row instead (`owner.name == \"Ann\"`)");
    const bool durationRhs = b.rhs->type.kind == TypeKind::Duration;
    const uint32_t lhs = lower(*b.lhs, ctx);
    const uint32_t rhs = durationRhs ? durationDays(*b.rhs, ctx) : lower(*b.rhs, ctx);
    switch (b.op) {
    case BinaryOp::Add:
      return nodes.op(POp::Add, lhs, rhs);
    case BinaryOp::Sub:
      return nodes.op(POp::Sub, lhs, rhs);
    case BinaryOp::Mul:
      return nodes.op(POp::Mul, lhs, rhs);
    case BinaryOp::Div:
      return nodes.op(POp::Div, lhs, rhs);
    case BinaryOp::Pow:
      return nodes.op(POp::Pow, lhs, rhs);
    case BinaryOp::Coalesce:
      return nodes.op(POp::Coalesce, lhs, rhs);
    case BinaryOp::Eq:
      return nodes.op(POp::Eq, lhs, rhs);
    case BinaryOp::Ne:
      return nodes.op(POp::Ne, lhs, rhs);
    case BinaryOp::Lt:
      return nodes.op(POp::Lt, lhs, rhs);
    case BinaryOp::Le:
      return nodes.op(POp::Le, lhs, rhs);
    case BinaryOp::Gt:
      return nodes.op(POp::Gt, lhs, rhs);
    case BinaryOp::Ge:
      return nodes.op(POp::Ge, lhs, rhs);
    case BinaryOp::And:
      return nodes.op(POp::And, lhs, rhs);
    case BinaryOp::Or:
      return nodes.op(POp::Or, lhs, rhs);
    case BinaryOp::Implies:
      return nodes.op(POp::Or, nodes.op(POp::Not, lhs), rhs);
    }
    break;
  }
  case ExprKind::IsMissing: {
    const auto& m = expr.as<IsMissingExpr>();
    const uint32_t test = nodes.op(POp::IsMissing, lower(*m.operand, ctx));
    return m.negated ? nodes.op(POp::Not, test) : test;
  }
  case ExprKind::In:
    return lowerIn(expr.as<InExpr>(), ctx);
  case ExprKind::If: {
    const auto& i = expr.as<IfExpr>();
    const uint32_t condition = lower(*i.condition, ctx);
    const uint32_t thenValue = lower(*i.thenValue, ctx);
    const uint32_t elseValue = lower(*i.elseValue, ctx);
    return nodes.op(POp::Select, condition, thenValue, elseValue);
  }
  case ExprKind::Case: {
    const auto& c = expr.as<CaseExpr>();
    // Arms and values first (post-order), then the selects from the last arm outwards.
    std::vector<std::pair<uint32_t, uint32_t>> arms;
    for (const CaseArm& arm : c.arms) {
      const uint32_t condition = lower(*arm.condition, ctx); // in turn: see InRange above
      arms.emplace_back(condition, lower(*arm.value, ctx));
    }
    uint32_t result = c.elseValue ? lower(*c.elseValue, ctx) : nodes.leaf(POp::Missing);
    for (auto it = arms.rbegin(); it != arms.rend(); ++it)
      result = nodes.op(POp::Select, it->first, it->second, result);
    return result;
  }
  case ExprKind::Call:
    return lowerCall(expr.as<CallExpr>(), ctx);
  case ExprKind::Error:
    break;
  }
  unsupported(expr.range, "this expression");
}

// Lowers `expr` into the formula kernel and records that `slot` takes its value.
void Planner::assign(uint32_t slot, const Expr& expr) {
  const auto begin = static_cast<uint32_t>(formulas_->size());
  const uint32_t node = lower(expr, Context{formulas_});
  assignNode(slot, begin, node);
}

// A slot's node range must end with its result. Hash-consing may return an older node (or
// add none), so a range whose last node is not the result gets a Coalesce(result, result)
// copy, which is the identity.
void Planner::assignNode(uint32_t slot, uint32_t begin, uint32_t node) {
  auto end = static_cast<uint32_t>(formulas_->size());
  if (end == begin || node != end - 1) {
    kernel_->nodes.push_back(PNode{POp::Coalesce, node, node, 0, 0, {}});
    end = static_cast<uint32_t>(kernel_->nodes.size());
    begin = std::min(begin, end - 1);
  }
  // Earlier nodes a range reuses were already evaluated for earlier slots of this subject;
  // the range starts at the first node this slot needs that no earlier range covered.
  kernel_->assigns.push_back(SlotAssign{slot, NodeRange{begin, end}});
}

static ValueType outputKind(const Type& type) {
  return valueTypeOf(type);
}

// Each `across` in the member: its input becomes a slot of the current stage, then a new
// formula stage starts, preceded by the peer step that fills the call's result slot.
void Planner::preparePeers(const Member& member) {
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
    step.input = plan_.slotCount++;
    assign(step.input, *call->args[0]);
    if (call->by)
      step.groupColumn = static_cast<int32_t>(
          columnIndex(framework_.subject, framework_.subject->fieldIndex(call->by->name)));
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
      scan.updates.push_back(AggregateUpdate{step.kind, step.aggregate, -1, 0, -1});
      scanBuilders_.push_back(std::make_unique<NodeBuilder>(scan.nodes));
    }
    FormulaStage& stage = stages_.emplace_back();
    stage.peers.push_back(step);
    kernel_ = &stage.kernel;
    formulas_ = &stageBuilders_.emplace_back(stage.kernel.nodes);
  }
}

void Planner::planMember(const Member& member) {
  member_ = &member;
  lowered_ = 0;
  preparePeers(member);
  switch (member.kind) {
  case MemberKind::Metric: {
    const auto& metric = member.as<MetricMember>();
    const uint32_t slot = slotFor(&metric);
    assign(slot, *metric.value);
    plan_.outputs.push_back(OutputColumn{metric.name.name, slot, outputKind(metric.type)});
    return;
  }
  case MemberKind::Score: {
    const auto& score = member.as<ScoreMember>();
    const uint32_t scoreSlot = slotFor(&score);
    std::vector<OutputColumn> components;
    std::vector<uint32_t> clamped;
    for (const ScoreComponent& component : score.components) {
      // The raw fraction, kept to report clamping, and the clamped one the score uses.
      const uint32_t raw = plan_.slotCount++;
      assign(raw, *component.value);
      const std::string name = score.name.name + "." + component.name.name;
      plan_.clamps.push_back(ClampSpec{name, raw});
      const uint32_t slot = slotFor(&component);
      const auto begin = static_cast<uint32_t>(formulas_->size());
      const uint32_t value = formulas_->leaf(POp::Slot, raw);
      const uint32_t zero = formulas_->constant(0);
      const uint32_t one = formulas_->constant(1);
      const uint32_t node = formulas_->op(POp::Clamp, value, zero, one);
      assignNode(slot, begin, node);
      clamped.push_back(slot);
      components.push_back(OutputColumn{name, slot, ValueType::Number});
    }
    // score = outOf * sum(weight_i * component_i), summed in declaration order.
    const auto begin = static_cast<uint32_t>(formulas_->size());
    uint32_t sum = 0;
    for (size_t i = 0; i < clamped.size(); ++i) {
      const uint32_t weight = formulas_->constant(score.components[i].weight);
      const uint32_t term = formulas_->op(POp::Mul, weight, formulas_->leaf(POp::Slot, clamped[i]));
      sum = i == 0 ? term : formulas_->op(POp::Add, sum, term);
    }
    const uint32_t total = clamped.empty()
                               ? formulas_->constant(0)
                               : formulas_->op(POp::Mul, formulas_->constant(score.outOf), sum);
    assignNode(scoreSlot, begin, total);
    plan_.outputs.push_back(OutputColumn{score.name.name, scoreSlot, ValueType::Number});
    plan_.outputs.insert(plan_.outputs.end(), components.begin(), components.end());
    return;
  }
  case MemberKind::Band: {
    const auto& band = member.as<BandMember>();
    const uint32_t slot = slotFor(&band);
    assign(slot, *band.value);
    plan_.outputs.push_back(OutputColumn{band.name.name, slot, outputKind(band.type)});
    return;
  }
  case MemberKind::Check: {
    const auto& check = member.as<CheckMember>();
    const uint32_t slot = plan_.slotCount++;
    assign(slot, *check.condition);
    CheckSpec spec{check.label, slot, {}};
    // The values a violation shows: every member the condition reads, once, in order.
    std::vector<const Expr*> work{check.condition.get()};
    while (!work.empty()) {
      const Expr* e = work.back();
      work.pop_back();
      if (e->is<NameRef>() && e->as<NameRef>().resolution.kind == RefKind::Metric) {
        const void* decl = e->as<NameRef>().resolution.decl;
        const bool seen =
            std::any_of(spec.inputs.begin(), spec.inputs.end(),
                        [&](const OutputColumn& c) { return c.slot == slots_[decl]; });
        if (!seen)
          spec.inputs.push_back(
              OutputColumn{e->as<NameRef>().name, slots_[decl], outputKind(e->type)});
      }
      if (e->is<BinaryExpr>()) {
        work.push_back(e->as<BinaryExpr>().rhs.get());
        work.push_back(e->as<BinaryExpr>().lhs.get());
      } else if (e->is<UnaryExpr>()) {
        work.push_back(e->as<UnaryExpr>().operand.get());
      } else if (e->is<IsMissingExpr>()) {
        work.push_back(e->as<IsMissingExpr>().operand.get());
      }
    }
    plan_.checks.push_back(std::move(spec));
    return;
  }
  case MemberKind::Objective: {
    // Per key result: actual, target and progress in [0, 1]; the objective's score is the sum of
    // each progress times its share (compiler/check/Weights.h). A key result's name reads its
    // actual.
    const auto& objective = member.as<ObjectiveMember>();
    const size_t number = ++objectives_;
    const std::vector<double> shares = keyResultShares(objective).shares;
    std::vector<uint32_t> progress; // progress slots
    for (const KeyResult& kr : objective.keyResults) {
      const uint32_t actual = slotFor(&kr);
      assign(actual, *kr.actual);
      const uint32_t target = plan_.slotCount++;
      assign(target, *kr.target);
      const auto begin = static_cast<uint32_t>(formulas_->size());
      const uint32_t a = formulas_->leaf(POp::Slot, actual);
      const uint32_t t = formulas_->leaf(POp::Slot, target);
      const uint32_t zero = formulas_->constant(0), one = formulas_->constant(1);
      // Higher is better: actual / target. `target below`: 1 at or under the target, else
      // target / actual.
      uint32_t node = 0;
      if (kr.lowerIsBetter) {
        const uint32_t met = formulas_->op(POp::Le, a, t);
        const uint32_t ratio = formulas_->op(POp::Clamp, formulas_->op(POp::Div, t, a), zero, one);
        node = formulas_->op(POp::Select, met, one, ratio);
      } else {
        node = formulas_->op(POp::Clamp, formulas_->op(POp::Div, a, t), zero, one);
      }
      const uint32_t slot = plan_.slotCount++;
      assignNode(slot, begin, node);
      keyResultSlots_[&kr] = {actual, target, slot};
      progress.push_back(slot);
      const ValueType kind = outputKind(kr.actual->type); // a bare number is a Number
      plan_.outputs.push_back(OutputColumn{kr.name.name + ".actual", actual, kind});
      plan_.outputs.push_back(OutputColumn{kr.name.name + ".target", target, kind});
      plan_.outputs.push_back(OutputColumn{kr.name.name + ".progress", slot, ValueType::Percent});
    }
    const auto begin = static_cast<uint32_t>(formulas_->size());
    uint32_t sum = formulas_->constant(0);
    for (size_t i = 0; i < progress.size(); ++i) {
      const uint32_t weight = formulas_->constant(shares[i]);
      const uint32_t term =
          formulas_->op(POp::Mul, weight, formulas_->leaf(POp::Slot, progress[i]));
      sum = i == 0 ? term : formulas_->op(POp::Add, sum, term);
    }
    const uint32_t scoreSlot = plan_.slotCount++;
    assignNode(scoreSlot, begin, sum);
    plan_.outputs.push_back(
        OutputColumn{fmt::format("objective_{}.score", number), scoreSlot, ValueType::Percent});
    return;
  }
  case MemberKind::Rank:
    unsupported(member.range, "running a rank");
  case MemberKind::Alert:
    unsupported(member.range, "running an alert", "alerts will run with `fulcrum alerts`");
  default:
    return;
  }
}

std::unique_ptr<Plan> Planner::run() {
  plan_.frameworkName = framework_.name.name;
  try {
    if (framework_.subject == nullptr || !framework_.cadence)
      unsupported(framework_.name.range, "a framework without a subject and a cadence");
    plan_.cadence = *framework_.cadence;
    tableIndex(framework_.subject); // tables[0]
    if (const GroupDecl* group = framework_.subject->group) {
      members_ = compilation_.symbols.findData(group->member.name);
      const int field = members_ ? members_->fieldIndex(group->by.name) : -1;
      if (field < 0 || members_->fields[field].type.kind != TypeKind::Text)
        unsupported(group->by.range, "a group by a field that is not text");
      plan_.tables[0].groupMembers = static_cast<int32_t>(tableIndex(members_));
      plan_.tables[0].groupField = field;
      columnIndex(members_, field); // the members' group names, bound for the row mapping
    }
    const int key = framework_.subject->keyField();
    columnIndex(framework_.subject, key); // the key column names each output row
    // Every member is planned, so that each unsupported one is reported in this run.
    bool unsupportedMember = false;
    for (const Member* member : framework_.evaluationOrder) {
      try {
        planMember(*member);
      } catch (const Unsupported&) {
        unsupportedMember = true;
      }
    }
    if (unsupportedMember)
      return nullptr;
    // Outputs in declaration order, not evaluation order. A member's outputs are its name and
    // `name.part`s, found by the part before the first dot (in one pass: a framework may have
    // tens of thousands of members).
    std::unordered_map<std::string, std::vector<size_t>> outputsOf;
    for (size_t i = 0; i < plan_.outputs.size(); ++i)
      outputsOf[plan_.outputs[i].name.substr(0, plan_.outputs[i].name.find('.'))].push_back(i);
    std::vector<OutputColumn> ordered;
    size_t objectiveNumber = 0;
    for (const MemberPtr& member : framework_.members) {
      auto take = [&](const std::string& name) {
        if (auto found = outputsOf.find(name); found != outputsOf.end())
          for (size_t i : found->second)
            ordered.push_back(plan_.outputs[i]);
      };
      if (member->is<MetricMember>() || member->is<ScoreMember>() || member->is<BandMember>())
        take(member->name.name);
      if (member->is<ObjectiveMember>()) {
        for (const KeyResult& kr : member->as<ObjectiveMember>().keyResults)
          take(kr.name.name);
        take(fmt::format("objective_{}", ++objectiveNumber));
      }
    }
    plan_.outputs = std::move(ordered);
    plan_.referencedEntities =
        referencedEntities(plan_.tables, compilation_.symbols, compilation_.sources);
    plan_.declaredData = declaredData(compilation_.symbols);
    plan_.scans.assign(std::make_move_iterator(scans_.begin()),
                       std::make_move_iterator(scans_.end()));
    plan_.laterStages.assign(std::make_move_iterator(stages_.begin()),
                             std::make_move_iterator(stages_.end()));
  } catch (const Unsupported&) {
    return nullptr;
  }
  return std::make_unique<Plan>(std::move(plan_));
}

} // namespace

std::unique_ptr<Plan> planFramework(const Compilation& compilation,
                                    const ast::FrameworkDecl& framework, DiagnosticSink& sink) {
  return Planner(compilation, framework, sink).run();
}

} // namespace fulcrum::runtime
