// Expressions to post-ordered plan nodes: literals, names, members, operators, `in`, `if` and
// `case`; calls go to Calls.cpp.
#include "compiler/lower/Declarations.h"
#include "compiler/lower/Lowerer.h"
#include "compiler/source/Limits.h"
#include "support/Literals.h"
#include "support/Money.h"
#include "support/Text.h"

#include <fmt/format.h>

namespace fulcrum::lower {

uint32_t Lowerer::lowerName(const NameRef& name, const Context& ctx) {
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
    // `subject company` (or a group without `by`) has one field, its name, the same for every
    // row (its one-row column cannot be read at the scanned table's row index).
    if (subject->isCompany)
      return nodes.constant(stringCode(subject->name.name));
    const auto* rowDecl = tableDecls_[ctx.table];
    if (ctx.linkField < 0)
      return nodes.leaf(POp::Column, column);
    return nodes.leaf(POp::RefColumn, column, columnIndex(rowDecl, ctx.linkField));
  }
  case RefKind::Metric:
  case RefKind::KeyResult:
    if (ctx.table >= 0 && !ctx.readsMembers)
      unsupported(name.range, fmt::format("reading metric `{}` inside an aggregate", name.name),
                  "compute the aggregate over the rows first, then combine it with the metric");
    return nodes.leaf(POp::Slot, slotFor(r.decl));
  case RefKind::Param: {
    // A duration param is a number of days at run time, or of months for one in months.
    const auto* param = static_cast<const ParamDecl*>(r.decl);
    return nodes.leaf(POp::RunParam, runParam(userParamSpec(*param)));
  }
  case RefKind::Period:
    return periodLeaf(nodes, RunParamKind::PeriodCode, "period");
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

uint32_t Lowerer::lowerMember(const MemberRef& member, const Context& ctx) {
  NodeBuilder& nodes = *ctx.nodes;
  const Resolution& r = member.resolution;
  switch (r.kind) {
  case RefKind::RowField:
    // `deals.value`; `team_okrs.revenue.score` (another framework's results) in a scan of them.
    return nodes.leaf(POp::Column, columnIndex(member.base->is<NameRef>()
                                                   ? static_cast<const DataDecl*>(
                                                         member.base->as<NameRef>().resolution.decl)
                                                   : tableDecls_.at(static_cast<size_t>(ctx.table)),
                                               r.index));
  case RefKind::FrameworkOutput: {
    // Another framework's output for this subject or the level above it: a slot each run fills.
    if (ctx.table >= 0 && !ctx.readsMembers)
      unsupported(member.range, "reading another framework's output inside an aggregate");
    const auto* field = static_cast<const FieldDecl*>(r.decl);
    const DataDecl* results = nullptr;
    for (const auto& [name, framework] : compilation_.symbols.frameworks)
      if (framework->results && r.index >= 0 &&
          static_cast<size_t>(r.index) < framework->results->fields.size() &&
          &framework->results->fields[r.index] == field)
        results = framework->results.get();
    const uint32_t feed = feedIndex(*results->resultsOf, member.range);
    auto [it, inserted] = slots_.emplace(field, plan_.slotCount);
    if (inserted) {
      ++plan_.slotCount;
      plan_.feeds[feed].reads.push_back(
          FeedSpec::Read{feedOutput(feed, field->name.name, member.range), it->second});
    }
    return nodes.leaf(POp::Slot, it->second);
  }
  case RefKind::PeriodStart:
    return periodLeaf(nodes, RunParamKind::PeriodStart, "period.start");
  case RefKind::PeriodEnd:
    return periodLeaf(nodes, RunParamKind::PeriodEnd, "period.end");
  case RefKind::ScoreComponent: {
    if (ctx.table >= 0 && !ctx.readsMembers)
      unsupported(member.range, "reading a score component inside an aggregate");
    const auto* score = static_cast<const ScoreMember*>(r.decl);
    return nodes.leaf(POp::Slot, slotFor(&score->components[r.index]));
  }
  case RefKind::KeyResultPart:
    if (ctx.table >= 0 && !ctx.readsMembers)
      unsupported(member.range, "reading a key result inside an aggregate");
    return nodes.leaf(POp::Slot, keyResultSlots_.at(r.decl)[r.index]);
  case RefKind::ObjectivePart:
    if (ctx.table >= 0 && !ctx.readsMembers)
      unsupported(member.range, "reading an objective's score inside an aggregate");
    return nodes.leaf(POp::Slot, objectiveSlots_.at(r.decl)[r.index]);
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

// `stage == "won"`, `stage in ("Won", "Lsot")`: the loaded data will tell whether any row holds
// the literal (TextLiteralSpec). Fields of a table, of the subject or one reference away.
void Lowerer::noteTextLiteral(const Expr& field, const Expr& literal, const Context& ctx) {
  if (!literal.is<StringLit>() || literal.as<StringLit>().hasHoles() ||
      field.type.kind != TypeKind::Text)
    return;
  const DataDecl* decl = nullptr;
  int index = -1;
  if (field.is<NameRef>()) {
    const Resolution& r = field.as<NameRef>().resolution;
    if (r.kind == RefKind::RowField && ctx.table >= 0)
      decl = tableDecls_[ctx.table];
    else if (r.kind == RefKind::SubjectField)
      decl = framework_.subject;
    index = r.index;
  } else if (field.is<MemberRef>()) {
    const auto& member = field.as<MemberRef>();
    const Resolution& r = member.resolution;
    if (r.kind == RefKind::RowField && member.base->is<NameRef>())
      decl = static_cast<const DataDecl*>(member.base->as<NameRef>().resolution.decl);
    else if (r.kind == RefKind::Referenced)
      decl = member.base->type.data;
    index = r.index;
  }
  if (decl == nullptr || index < 0 || decl->group != nullptr || decl->isCompany)
    return;
  const SourceRange& at = literal.range;
  const uint32_t length = at.end.line == at.begin.line ? at.end.column - at.begin.column : 1;
  plan_.textLiterals.push_back(TextLiteralSpec{
      tableIndex(decl), static_cast<uint32_t>(index), literal.as<StringLit>().plainText(),
      compilation_.sources.file(at.file).path, at.begin.line, at.begin.column, length});
}

uint32_t Lowerer::lowerIn(const InExpr& in, const Context& ctx) {
  NodeBuilder& nodes = *ctx.nodes;
  if (in.inKind == InKind::List)
    for (const ExprPtr& item : in.items)
      noteTextLiteral(*in.value, *item, ctx);
  const uint32_t value = lower(*in.value, ctx);
  uint32_t result = 0;
  switch (in.inKind) {
  case InKind::List: {
    // A list of literals is a set lookup; any computed item may be missing, and then
    // `x in (a, b)` must mean `x == a or x == b` (missing unless another item matches).
    std::vector<uint32_t> items;
    bool constants = true;
    for (const ExprPtr& item : in.items) {
      items.push_back(lowerAs(in.value->type.kind, *item, ctx));
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
      const uint32_t first = periodLeaf(nodes, RunParamKind::PeriodStart, "period.start");
      // A run as of a day inside the period counts the period to date (language.md, as-of).
      const uint32_t last = periodLeaf(nodes, RunParamKind::PeriodToDateEnd, "period to date.end");
      result = nodes.op(POp::InRange, value, first, last);
    } else {
      // Any other period value (a row's `quarter`, a param): its bounds, decoded at run time.
      const uint32_t code = lower(window, ctx);
      const uint32_t first = nodes.op(POp::PeriodFirst, code);
      const uint32_t last = nodes.op(POp::PeriodLast, code);
      result = nodes.op(POp::InRange, value, first, last);
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

// A duration's run-time value: days, or months for a duration in months (the checker keeps the
// two apart, so no operation sees both).
uint32_t Lowerer::durationDays(const Expr& expr, const Context& ctx) {
  if (expr.is<DurationLit>()) {
    const auto& d = expr.as<DurationLit>();
    return ctx.nodes->constant(durationRunValue(d.count, d.unit));
  }
  return lower(expr, ctx);
}

// `d + 2 months`, `2 months + d`, `d - lookback` (a duration in months): calendar arithmetic.
uint32_t Lowerer::lowerMonthsArithmetic(const BinaryExpr& b, const Context& ctx) {
  NodeBuilder& nodes = *ctx.nodes;
  const bool dateFirst = b.lhs->type.kind == TypeKind::Date;
  const uint32_t first = lower(*b.lhs, ctx);
  const uint32_t second = lower(*b.rhs, ctx);
  const uint32_t date = dateFirst ? first : second;
  uint32_t months = dateFirst ? second : first;
  if (b.op == BinaryOp::Sub)
    months = nodes.op(POp::Neg, months);
  return nodes.op(POp::AddMonths, date, months);
}

void Lowerer::countLowered() {
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

// The plan operation a binary operator lowers to (compiler/ast/BinaryOps.def).
static POp loweredOp(BinaryOp op) {
  switch (op) {
#define BINARY_OP(Name, spelling, token, comparison, lowersTo)                                     \
  case BinaryOp::Name:                                                                             \
    return POp::lowersTo;
#include "compiler/ast/BinaryOps.def"
  }
  return POp::Missing;
}

uint32_t Lowerer::lowerAs(TypeKind kind, const Expr& expr, const Context& ctx) {
  if (kind != TypeKind::Money || expr.type.kind != TypeKind::NumberLiteral)
    return lower(expr, ctx);
  NodeBuilder& nodes = *ctx.nodes;
  if (const std::optional<double> dollars = literalNumber(expr)) {
    const std::optional<double> units = moneyUnitsOfDollars(*dollars);
    if (!units) {
      sink_.report(DiagKind::InvalidLiteral, expr.range,
                   fmt::format("`{}` is beyond the range of money", *dollars),
                   "money holds amounts up to $900,719,925,474.0991 either side of zero");
      throw Unsupported{};
    }
    return nodes.constant(*units);
  }
  // `-3000`, `3000 * 2`: computed in dollars, then held in units.
  const uint32_t dollars = lower(expr, ctx);
  const uint32_t scale = nodes.constant(kMoneyUnitsPerDollar);
  return nodes.op(POp::RoundMoney, nodes.op(POp::Mul, dollars, scale));
}

// Money is held in units (support/Money.h): sums and differences of amounts are exact integers,
// range-checked; a product or quotient that is money is rounded to a unit; a bare number that
// meets money (`value > 3000`, `won - 500`) is dollars, converted.
uint32_t Lowerer::lowerBinary(const BinaryExpr& b, const Context& ctx) {
  NodeBuilder& nodes = *ctx.nodes;
  if ((b.op == BinaryOp::Eq || b.op == BinaryOp::Ne) &&
      (b.lhs->type.kind == TypeKind::Entity || b.rhs->type.kind == TypeKind::Entity))
    unsupported(b.range, "comparing a reference with a key",
                "compare a field of the referenced row instead (`owner.name == \"Ann\"`)");
  if (b.op == BinaryOp::Eq || b.op == BinaryOp::Ne) {
    noteTextLiteral(*b.lhs, *b.rhs, ctx);
    noteTextLiteral(*b.rhs, *b.lhs, ctx);
  }
  if ((b.op == BinaryOp::Add || b.op == BinaryOp::Sub) &&
      (b.lhs->type.kind == TypeKind::Date || b.rhs->type.kind == TypeKind::Date) &&
      (b.lhs->type.kind == TypeKind::MonthDuration || b.rhs->type.kind == TypeKind::MonthDuration))
    return lowerMonthsArithmetic(b, ctx);
  const bool money = b.lhs->type.kind == TypeKind::Money || b.rhs->type.kind == TypeKind::Money;
  // Where a bare number is an amount: it meets money by addition, comparison or `??`.
  const bool sameUnit = b.op != BinaryOp::Mul && b.op != BinaryOp::Div && b.op != BinaryOp::Pow;
  const TypeKind operandKind = money && sameUnit ? TypeKind::Money : TypeKind::Error;
  const bool durationRhs = b.rhs->type.kind == TypeKind::Duration;
  const uint32_t lhs = lowerAs(operandKind, *b.lhs, ctx);
  const uint32_t rhs = durationRhs ? durationDays(*b.rhs, ctx) : lowerAs(operandKind, *b.rhs, ctx);
  const uint32_t node =
      nodes.op(loweredOp(b.op), b.op == BinaryOp::Implies ? nodes.op(POp::Not, lhs) : lhs, rhs);
  if (b.op == BinaryOp::Div && ctx.nodes == formulas_)
    noteDivision(b, rhs);
  const bool computesMoney =
      b.type.kind == TypeKind::Money && (b.op == BinaryOp::Add || b.op == BinaryOp::Sub ||
                                         b.op == BinaryOp::Mul || b.op == BinaryOp::Div);
  return computesMoney ? nodes.op(POp::RoundMoney, node) : node;
}

void Lowerer::tooDeep(const Expr& expr) {
  const std::string what = member_ == nullptr || member_->name.name.empty()
                               ? "this expression"
                               : fmt::format("`{}`", member_->name.name);
  sink_.report(DiagKind::NestingTooDeep, member_ != nullptr ? member_->range : expr.range,
               fmt::format("{} is nested more than {} levels deep once its functions are inlined",
                           what, kMaxLoweredNesting),
               "compute a part of it in a metric and pass that to the function");
  throw Unsupported{};
}

uint32_t Lowerer::lower(const Expr& expr, const Context& ctx) {
  countLowered();
  // The lowering recurses along the expression and into every function body it inlines: its
  // depth is bounded here so that a compile fits kCompileStackBytes (Limits.h).
  if (depth_ >= kMaxLoweredNesting)
    tooDeep(expr);
  struct Level {
    size_t& depth;
    explicit Level(size_t& d) : depth(++d) {}
    ~Level() { --depth; }
  } level(depth_);
  NodeBuilder& nodes = *ctx.nodes;
  if (const std::optional<double> value = literalNumber(expr))
    return nodes.constant(*value);
  switch (expr.kind) {
  case ExprKind::Duration:
    return durationDays(expr, ctx);
  case ExprKind::String:
    if (expr.as<StringLit>().hasHoles())
      unsupported(expr.range, "a string with `{}` holes outside a message");
    return nodes.constant(stringCode(expr.as<StringLit>().plainText()));
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
  case ExprKind::Binary:
    return lowerBinary(expr.as<BinaryExpr>(), ctx);
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
    const size_t thenProbes = plan_.probes.size();
    const uint32_t thenValue = lowerAs(expr.type.kind, *i.thenValue, ctx);
    const size_t elseProbes = plan_.probes.size();
    const uint32_t elseValue = lowerAs(expr.type.kind, *i.elseValue, ctx);
    if (ctx.nodes == formulas_) { // a per-subject choice: --explain and --coverage see its arms
      const uint32_t choice = choices_++;
      const size_t end = plan_.probes.size();
      probeArm(i.condition.get(), i.condition->range, static_cast<int32_t>(condition), *i.thenValue,
               choice);
      probeArm(nullptr, i.elseValue->range, -1, *i.elseValue, choice);
      probeWithin(thenProbes, elseProbes, end);
      probeWithin(elseProbes, end, end + 1);
    }
    return nodes.op(POp::Select, condition, thenValue, elseValue);
  }
  case ExprKind::Case: {
    const auto& c = expr.as<CaseExpr>();
    // Arms and values first (post-order), then the selects from the last arm outwards.
    std::vector<std::pair<uint32_t, uint32_t>> arms;
    // The probes inside each arm's value, then the else value's: [begin, end) of each.
    std::vector<std::pair<size_t, size_t>> valueProbes;
    for (const CaseArm& arm : c.arms) {
      const uint32_t condition = lower(*arm.condition, ctx); // in turn: see InRange above
      const size_t begin = plan_.probes.size();
      arms.emplace_back(condition, lowerAs(expr.type.kind, *arm.value, ctx));
      valueProbes.emplace_back(begin, plan_.probes.size());
    }
    const size_t elseBegin = plan_.probes.size();
    uint32_t result =
        c.elseValue ? lowerAs(expr.type.kind, *c.elseValue, ctx) : nodes.leaf(POp::Missing);
    valueProbes.emplace_back(elseBegin, plan_.probes.size());
    for (auto it = arms.rbegin(); it != arms.rend(); ++it)
      result = nodes.op(POp::Select, it->first, it->second, result);
    if (ctx.nodes == formulas_) { // a per-subject choice: --explain and --coverage see its arms
      const uint32_t choice = choices_++;
      const size_t end = plan_.probes.size();
      for (size_t k = 0; k < c.arms.size(); ++k)
        probeArm(c.arms[k].condition.get(), c.arms[k].condition->range,
                 static_cast<int32_t>(arms[k].first), *c.arms[k].value, choice);
      if (c.elseValue)
        probeArm(nullptr, c.elseRange, -1, *c.elseValue, choice);
      // An arm's value lowered its inner choices' probes (a condition's are reached anyway).
      for (size_t k = 0; k < c.arms.size(); ++k)
        probeWithin(valueProbes[k].first, valueProbes[k].second, end + k);
      if (c.elseValue)
        probeWithin(valueProbes.back().first, valueProbes.back().second, end + c.arms.size());
    }
    return result;
  }
  case ExprKind::Call:
    return lowerCall(expr.as<CallExpr>(), ctx);
  case ExprKind::Number:
  case ExprKind::Percent:
  case ExprKind::Money:
  case ExprKind::Date:
  case ExprKind::PeriodLit:
  case ExprKind::Bool: // a constant: literalNumber, above
  case ExprKind::Error:
    break;
  }
  unsupported(expr.range, "this expression");
}

} // namespace fulcrum::lower
