// `--dump-ast`: one node a line, indented by depth, with position, checked type and resolution.
#include "compiler/ast/Dump.h"

#include <fmt/format.h>

namespace fulcrum::ast {

namespace {

class Dumper {
public:
  std::string out;

  void line(int depth, const std::string& text, const SourceRange& range) {
    out += std::string(static_cast<size_t>(depth) * 2, ' ');
    out += text;
    if (range.valid())
      out += fmt::format(" @{}:{}", range.begin.line, range.begin.column);
    out += '\n';
  }

  static std::string typed(const Expr& e) {
    return e.type.isError() ? std::string() : ": " + typeName(e.type);
  }

  static const char* refKindName(RefKind kind) {
    switch (kind) {
    case RefKind::Unresolved:
      return "unresolved";
    case RefKind::RowField:
      return "row field";
    case RefKind::SubjectField:
      return "subject field";
    case RefKind::Metric:
      return "member";
    case RefKind::ScoreComponent:
      return "score component";
    case RefKind::Param:
      return "param";
    case RefKind::FnParam:
      return "fn param";
    case RefKind::Period:
      return "period";
    case RefKind::PeriodStart:
      return "period start";
    case RefKind::PeriodEnd:
      return "period end";
    case RefKind::Table:
      return "table";
    case RefKind::KeyResultPart:
      return "key result part";
    case RefKind::ObjectivePart:
      return "objective part";
    case RefKind::FrameworkOutput:
      return "framework output";
    case RefKind::KeyResult:
      return "key result";
    case RefKind::Referenced:
      return "referenced field";
    }
    return "?";
  }

  void expr(int depth, const Expr& e) {
    switch (e.kind) {
    case ExprKind::Number:
      line(depth, fmt::format("number {:g}{}", e.as<NumberLit>().value, typed(e)), e.range);
      return;
    case ExprKind::Percent:
      line(depth, fmt::format("percent {:g}{}", e.as<PercentLit>().fraction, typed(e)), e.range);
      return;
    case ExprKind::Money:
      line(depth, fmt::format("money {:.2f}{}", e.as<MoneyLit>().value, typed(e)), e.range);
      return;
    case ExprKind::Date:
      line(depth, fmt::format("date {}{}", formatDate(e.as<DateLit>().day), typed(e)), e.range);
      return;
    case ExprKind::PeriodLit:
      line(depth, fmt::format("period {}{}", formatPeriod(e.as<PeriodLitExpr>().period), typed(e)),
           e.range);
      return;
    case ExprKind::Duration:
      line(depth,
           fmt::format("duration {} {}{}", e.as<DurationLit>().count,
                       periodUnitName(e.as<DurationLit>().unit), typed(e)),
           e.range);
      return;
    case ExprKind::String: {
      const auto& s = e.as<StringLit>();
      line(depth, fmt::format("string{}", typed(e)), e.range);
      for (const StringLit::Part& part : s.parts) {
        if (part.expr)
          expr(depth + 1, *part.expr);
        else
          line(depth + 1, fmt::format("text \"{}\"", part.text), {});
      }
      return;
    }
    case ExprKind::Bool:
      line(depth, fmt::format("bool {}{}", e.as<BoolLit>().value, typed(e)), e.range);
      return;
    case ExprKind::Missing:
      line(depth, "missing", e.range);
      return;
    case ExprKind::Name:
      line(depth,
           fmt::format("name {} -> {}{}", e.as<NameRef>().name,
                       refKindName(e.as<NameRef>().resolution.kind), typed(e)),
           e.range);
      return;
    case ExprKind::Member: {
      const auto& m = e.as<MemberRef>();
      line(depth,
           fmt::format("member .{} -> {}{}", m.member.name, refKindName(m.resolution.kind),
                       typed(e)),
           e.range);
      expr(depth + 1, *m.base);
      return;
    }
    case ExprKind::Unary: {
      const auto& u = e.as<UnaryExpr>();
      line(depth, fmt::format("{}{}", u.op == UnaryOp::Not ? "not" : "negate", typed(e)), e.range);
      expr(depth + 1, *u.operand);
      return;
    }
    case ExprKind::Binary: {
      const auto& b = e.as<BinaryExpr>();
      line(depth, fmt::format("binary {}{}", binaryOpSpelling(b.op), typed(e)), e.range);
      expr(depth + 1, *b.lhs);
      expr(depth + 1, *b.rhs);
      return;
    }
    case ExprKind::IsMissing: {
      const auto& m = e.as<IsMissingExpr>();
      line(depth, fmt::format("is {}missing{}", m.negated ? "not " : "", typed(e)), e.range);
      expr(depth + 1, *m.operand);
      return;
    }
    case ExprKind::In: {
      const auto& in = e.as<InExpr>();
      std::string window;
      switch (in.inKind) {
      case InKind::List:
        window = "list";
        break;
      case InKind::Value:
        window = "value";
        break;
      case InKind::Previous:
        window = in.previousPeriod
                     ? "previous period"
                     : fmt::format("previous {} {}", in.count, periodUnitName(in.unit));
        break;
      case InKind::Last:
        window = fmt::format("last {} {}", in.count, periodUnitName(in.unit));
        break;
      }
      line(depth, fmt::format("{}in {}{}", in.negated ? "not " : "", window, typed(e)), e.range);
      expr(depth + 1, *in.value);
      for (const ExprPtr& item : in.items)
        expr(depth + 1, *item);
      return;
    }
    case ExprKind::If: {
      const auto& i = e.as<IfExpr>();
      line(depth, fmt::format("if{}", typed(e)), e.range);
      expr(depth + 1, *i.condition);
      expr(depth + 1, *i.thenValue);
      expr(depth + 1, *i.elseValue);
      return;
    }
    case ExprKind::Case: {
      const auto& c = e.as<CaseExpr>();
      line(depth, fmt::format("case{}", typed(e)), e.range);
      for (const CaseArm& arm : c.arms) {
        line(depth + 1, "arm", arm.range);
        expr(depth + 2, *arm.condition);
        expr(depth + 2, *arm.value);
      }
      if (c.elseValue) {
        line(depth + 1, "else", c.elseRange);
        expr(depth + 2, *c.elseValue);
      }
      return;
    }
    case ExprKind::Call: {
      const auto& c = e.as<CallExpr>();
      std::string what;
      switch (c.callKind) {
      case CallKind::Aggregate:
        what = fmt::format(" [aggregate over {}{}]", c.source ? c.source->name.name : "?",
                           c.source && c.subjectField >= 0
                               ? " by " + c.source->fields[c.subjectField].name.name
                               : "");
        break;
      case CallKind::PeerAggregate:
        what = fmt::format(" [across {}{}]", c.across ? c.across->name : "?",
                           c.by ? " by " + c.by->name : "");
        break;
      case CallKind::Builtin:
        what = " [builtin]";
        break;
      case CallKind::Function:
        what = " [fn]";
        break;
      case CallKind::Unresolved:
        break;
      }
      line(depth,
           fmt::format("call {}{}{}{}", c.callee.name, c.distinct ? " distinct" : "", what,
                       typed(e)),
           e.range);
      for (const ExprPtr& arg : c.args)
        expr(depth + 1, *arg);
      if (c.where) {
        line(depth + 1, "where", c.where->range);
        expr(depth + 2, *c.where);
      }
      if (c.orderBy) {
        line(depth + 1, c.orderDescending ? "order by desc" : "order by", c.orderBy->range);
        expr(depth + 2, *c.orderBy);
      }
      return;
    }
    case ExprKind::Error:
      line(depth, "error", e.range);
      return;
    }
  }

  void typeRef(int depth, const char* what, const TypeRef& ref) {
    line(depth, fmt::format("{} {}{}", what, ref.name.name, ref.optional ? "?" : ""), ref.range);
  }

  void member(int depth, const Member& m) {
    switch (m.kind) {
    case MemberKind::Subject:
      line(depth, "subject " + m.as<SubjectMember>().entity.name, m.range);
      return;
    case MemberKind::Cadence:
      line(depth, "cadence " + m.as<CadenceMember>().unit.name, m.range);
      return;
    case MemberKind::Metric: {
      const auto& metric = m.as<MetricMember>();
      line(depth,
           fmt::format("metric {}{}", metric.name.name,
                       metric.type.isError() ? "" : ": " + typeName(metric.type)),
           m.range);
      expr(depth + 1, *metric.value);
      return;
    }
    case MemberKind::Score: {
      const auto& score = m.as<ScoreMember>();
      line(depth, fmt::format("score {} out of {:g}", score.name.name, score.outOf), m.range);
      for (const ScoreComponent& c : score.components) {
        line(depth + 1, fmt::format("component {} {:g}%", c.name.name, c.weight * 100),
             c.name.range);
        expr(depth + 2, *c.value);
      }
      return;
    }
    case MemberKind::Band:
      line(depth, "band " + m.name.name, m.range);
      expr(depth + 1, *m.as<BandMember>().value);
      return;
    case MemberKind::Objective: {
      const auto& o = m.as<ObjectiveMember>();
      line(depth, fmt::format("objective {}\"{}\"", o.named ? m.name.name + " " : "", o.title),
           m.range);
      for (const KeyResult& kr : o.keyResults) {
        line(depth + 1,
             fmt::format("key_result {}{}", kr.name.name, kr.lowerIsBetter ? " below" : ""),
             kr.range);
        expr(depth + 2, *kr.actual);
        line(depth + 2, "target", kr.target->range);
        expr(depth + 3, *kr.target);
      }
      return;
    }
    case MemberKind::Rank: {
      const auto& r = m.as<RankMember>();
      line(depth,
           fmt::format("rank {}{}{}", r.name.name, r.descending ? " desc" : " asc",
                       r.within ? " within " + r.within->name : ""),
           m.range);
      expr(depth + 1, *r.by);
      return;
    }
    case MemberKind::Alert: {
      const auto& a = m.as<AlertMember>();
      line(depth,
           fmt::format("alert {}{}", a.name.name, a.onTable ? " on " + a.onTable->name : " when"),
           m.range);
      if (a.where)
        expr(depth + 1, *a.where);
      if (a.when)
        expr(depth + 1, *a.when);
      expr(depth + 1, *a.message);
      if (a.priority)
        expr(depth + 1, *a.priority);
      return;
    }
    case MemberKind::Check:
      line(depth, fmt::format("check \"{}\"", m.as<CheckMember>().label), m.range);
      expr(depth + 1, *m.as<CheckMember>().condition);
      return;
    case MemberKind::Report: {
      const auto& r = m.as<ReportMember>();
      line(depth, "report", m.range);
      if (r.quadrant)
        line(depth + 1,
             fmt::format("quadrant x {}, y {}{}", r.quadrant->x.name, r.quadrant->y.name,
                         r.quadrant->size ? ", size " + r.quadrant->size->name : ""),
             r.quadrant->range);
      if (r.funnel) {
        std::string stages;
        for (const Ident& stage : r.funnel->stages)
          stages += (stages.empty() ? "" : ", ") + stage.name;
        line(depth + 1, "funnel " + stages, r.funnel->range);
      }
      return;
    }
    }
  }

  void decl(int depth, const Decl& d) {
    switch (d.kind) {
    case DeclKind::Data: {
      const auto& data = d.as<DataDecl>();
      line(depth,
           fmt::format("{} {}{}", data.isEntity ? "entity" : "table", data.name.name,
                       data.fromPath.empty() ? "" : " from \"" + data.fromPath + "\""),
           d.range);
      for (const FieldDecl& f : data.fields)
        line(depth + 1,
             fmt::format("{}field {}: {} = column \"{}\"", f.isKey ? "key " : "", f.name.name,
                         f.type.isError() ? f.typeRef.name.name : typeName(f.type), f.column),
             f.range);
      return;
    }
    case DeclKind::Param: {
      const auto& p = d.as<ParamDecl>();
      line(depth, fmt::format("param {}: {}", p.name.name, typeName(p.type)), d.range);
      if (p.defaultValue)
        expr(depth + 1, *p.defaultValue);
      return;
    }
    case DeclKind::Group: {
      const auto& g = d.as<GroupDecl>();
      line(depth,
           fmt::format("group {} of {}{}", g.name.name, g.member.name,
                       g.by.name.empty() ? "" : " by " + g.by.name),
           d.range);
      return;
    }
    case DeclKind::Fn: {
      const auto& f = d.as<FnDecl>();
      std::string params;
      for (const FnParam& p : f.params)
        params +=
            fmt::format("{}{}: {}", params.empty() ? "" : ", ", p.name.name, typeName(p.type));
      line(depth, fmt::format("fn {}({}): {}", f.name.name, params, typeName(f.resultType)),
           d.range);
      expr(depth + 1, *f.body);
      return;
    }
    case DeclKind::Import:
      line(depth, fmt::format("import \"{}\"", d.as<ImportDecl>().path), d.range);
      return;
    case DeclKind::Calendar:
      line(
          depth,
          fmt::format("calendar fiscal year starts {}", monthName(d.as<CalendarDecl>().startMonth)),
          d.range);
      return;
    case DeclKind::Currency: {
      const Currency* currency = d.as<CurrencyDecl>().currency;
      line(depth, fmt::format("currency {}", currency ? currency->code : "?"), d.range);
      return;
    }
    case DeclKind::Framework: {
      const auto& f = d.as<FrameworkDecl>();
      line(
          depth,
          fmt::format("framework {}{}", f.name.name, f.title.empty() ? "" : " \"" + f.title + "\""),
          d.range);
      for (const MemberPtr& m : f.members)
        member(depth + 1, *m);
      std::string order;
      for (const Member* m : f.evaluationOrder)
        if (!m->name.name.empty() && !m->is<CheckMember>() && !m->is<ObjectiveMember>())
          order += (order.empty() ? "" : ", ") + m->name.name;
      line(depth + 1, "evaluation order: " + order, {});
      return;
    }
    case DeclKind::Test: {
      const auto& t = d.as<TestDecl>();
      line(depth, fmt::format("test \"{}\" for {}", t.title, t.framework.name), d.range);
      if (t.period)
        expr(depth + 1, *t.period);
      for (const TestRow& row : t.rows)
        line(depth + 1, fmt::format("row {} ({} fields)", row.table.name, row.fields.size()),
             row.range);
      for (const TestFixture& fixture : t.fixtures)
        line(depth + 1, fmt::format("rows of {} from \"{}\"", fixture.table.name, fixture.path),
             fixture.range);
      for (const TestExpect& e : t.expects)
        line(depth + 1, fmt::format("expect ({} values)", e.values.size()), e.range);
      for (const TestOutcome& o : t.outcomes)
        line(depth + 1,
             o.kind == OutcomeKind::NoViolation
                 ? std::string("expect no violation")
                 : fmt::format("expect {} {}", o.kind == OutcomeKind::Alert ? "alert" : "violation",
                               o.name.name),
             o.range);
      return;
    }
    }
  }
};

} // namespace

std::string dumpModule(const Module& module, const SourceManager& sources) {
  Dumper dumper;
  dumper.out = fmt::format("module {}\n", sources.file(module.file).path);
  for (const DeclPtr& decl : module.decls)
    dumper.decl(1, *decl);
  return dumper.out;
}

} // namespace fulcrum::ast
