// Parse tree -> AST. Children are read through the grammar's labels (`ctx->lhs`, `ctx->op`), never
// by position; literal values are decoded here and their errors reported with the token.
#include "compiler/parse/AstBuilder.h"

#include "compiler/source/Limits.h"
#include "support/Currency.h"
#include "support/Literals.h"

#include <algorithm>
#include <fmt/format.h>
#include <map>

namespace fulcrum {

using grammar::FulcrumParser;
using namespace fulcrum::ast;

static uint32_t codePoints(std::string_view text) {
  uint32_t count = 0;
  for (unsigned char c : text)
    count += (c & 0xC0) != 0x80;
  return count;
}

// The labelled alternatives are leaf classes, so an exact type test replaces dynamic_cast,
// which costs a hierarchy walk with string compares on every node of large files.
template <typename T> static T* exactly(antlr4::tree::ParseTree* node) {
  return node != nullptr && typeid(*node) == typeid(T) ? static_cast<T*>(node) : nullptr;
}

template <typename T> static std::unique_ptr<T> make(SourceRange range) {
  return std::make_unique<T>(range);
}

Ident AstBuilder::ident(FulcrumParser::IdentContext* ctx) {
  antlr4::Token* token = ctx->getStart();
  return Ident{token->getText(), pos_.range(token)};
}

TypeRef AstBuilder::typeRef(FulcrumParser::TypeRefContext* ctx) {
  return TypeRef{ident(ctx->ident()), ctx->QUESTION() != nullptr, pos_.range(ctx)};
}

void AstBuilder::invalidLiteral(antlr4::Token* token, const std::string& what,
                                const std::string& hint) {
  sink_.report(DiagKind::InvalidLiteral, pos_.range(token),
               fmt::format("`{}` is not a valid {}", token->getText(), what), hint);
}

double AstBuilder::numberValue(antlr4::Token* token) {
  auto value = parseNumberLiteral(token->getText());
  if (!value) {
    invalidLiteral(token, "number", "");
    return 0;
  }
  return *value;
}

double AstBuilder::moneyUnits(antlr4::Token* token) {
  const std::string text = token->getText();
  const MoneyText money = parseMoneyLiteral(text);
  // The literal's own sign (the checker reports one that is not the program's currency's).
  const Currency* written = currencyOfSign(text);
  const std::string_view sign = written ? written->sign : defaultCurrency().sign;
  switch (money.error) {
  case MoneyTextError::None:
    return money.units;
  case MoneyTextError::Malformed:
    invalidLiteral(token, "amount of money",
                   fmt::format("write amounts like `{0}40`, `{0}1.2M`, `{0}300k`", sign));
    break;
  case MoneyTextError::TooManyDecimals:
    invalidLiteral(token, "amount of money",
                   fmt::format("money has at most four decimal places (`{}12.3456`)", sign));
    break;
  case MoneyTextError::OutOfRange:
    invalidLiteral(
        token, "amount of money",
        fmt::format("money holds amounts up to {}900,719,925,474.0991 either side of zero", sign));
    break;
  }
  return 0;
}

double AstBuilder::percentValue(antlr4::Token* token) {
  auto value = parsePercentLiteral(token->getText());
  if (!value) {
    invalidLiteral(token, "percentage", "");
    return 0;
  }
  return *value;
}

// `in 1..5`, `in 0%..200%`, `in $0..`: each bound's value and the kind of its literal.
std::optional<ValueRange> AstBuilder::valueRange(FulcrumParser::ValueRangeContext* ctx) {
  if (ctx == nullptr)
    return std::nullopt;
  ValueRange range;
  range.range = pos_.range(ctx);
  auto bound = [&](FulcrumParser::RangeBoundContext* b, std::optional<double>& value,
                   ValueRange::BoundKind& kind) {
    if (b == nullptr)
      return;
    antlr4::Token* token = b->stop;
    const double sign = b->MINUS() ? -1 : 1;
    if (b->PERCENT()) {
      kind = ValueRange::BoundKind::Percent;
      value = sign * percentValue(token);
    } else if (b->MONEY()) {
      kind = ValueRange::BoundKind::Money;
      value = sign * moneyDollars(moneyUnits(token));
    } else {
      value = sign * numberValue(token);
    }
  };
  bound(ctx->low, range.low, range.lowKind);
  bound(ctx->high, range.high, range.highKind);
  return range;
}

// `FY2018-Q1` is read with a placeholder start month; the checker sets the program's.
void AstBuilder::periodValue(antlr4::Token* token, PeriodLitExpr& lit) {
  const std::string text = token->getText();
  lit.fiscal = isFiscalPeriodText(text);
  auto period = parsePeriod(text, lit.fiscal ? 1 : 0);
  if (!period)
    invalidLiteral(token, "period",
                   lit.fiscal ? "fiscal quarters are `FY2018-Q1` to `FY2018-Q4`"
                              : "periods are `2017-Q2` (quarter), `2017-05` (month) or "
                                "`2017-W18` (ISO week)");
  lit.period = period.value_or(Period{});
}

std::unique_ptr<Module> AstBuilder::buildModule(FulcrumParser::ProgramContext* ctx) {
  auto module = std::make_unique<Module>();
  module->file = pos_.file;
  for (auto* decl : ctx->decl())
    if (auto built = buildDecl(decl))
      module->decls.push_back(std::move(built));
  return module;
}

DeclPtr AstBuilder::buildDecl(FulcrumParser::DeclContext* ctx) {
  if (auto* e = ctx->entityDecl())
    return buildData(true, e->ident(), e->STRING(), e->fieldDecl(), e, e->fileOption());
  if (auto* t = ctx->tableDecl())
    return buildData(false, t->ident(), t->STRING(), t->fieldDecl(), t, t->fileOption());
  if (auto* p = ctx->paramDecl()) {
    auto param = std::make_unique<ParamDecl>();
    param->range = pos_.range(p);
    param->name = ident(p->ident());
    param->typeRef = typeRef(p->typeRef());
    param->valueRange = valueRange(p->valueRange());
    if (p->expr())
      param->defaultValue = buildExpr(p->expr());
    return param;
  }
  if (auto* g = ctx->groupDecl()) {
    auto group = std::make_unique<GroupDecl>();
    group->range = pos_.range(g);
    group->name = ident(g->name);
    group->member = ident(g->memberEntity);
    if (g->by)
      group->by = ident(g->by);
    return group;
  }
  if (auto* f = ctx->fnDecl()) {
    auto fn = std::make_unique<FnDecl>();
    fn->range = pos_.range(f);
    fn->name = ident(f->ident());
    for (auto* param : f->fnParam())
      fn->params.push_back(FnParam{ident(param->ident()), typeRef(param->typeRef()), {}});
    fn->result = typeRef(f->typeRef());
    fn->body = buildExpr(f->expr());
    return fn;
  }
  if (auto* i = ctx->importDecl()) {
    auto import = std::make_unique<ImportDecl>();
    import->range = pos_.range(i);
    auto path = buildString(i->STRING()->getSymbol());
    import->path = path->plainText();
    import->name = Ident{import->path, pos_.range(i->STRING()->getSymbol())};
    return import;
  }
  if (auto* f = ctx->frameworkDecl())
    return buildFramework(f);
  if (auto* c = ctx->calendarDecl())
    return buildCalendar(c);
  if (auto* c = ctx->currencyDecl())
    return buildCurrency(c);
  return buildTest(ctx->testDecl());
}

// `calendar fiscal year starts February`; other words are an InvalidCalendar error.
DeclPtr AstBuilder::buildCalendar(FulcrumParser::CalendarDeclContext* ctx) {
  auto calendar = std::make_unique<CalendarDecl>();
  calendar->range = pos_.range(ctx);
  calendar->name = Ident{"calendar", pos_.range(ctx->getStart())};
  const std::string hint = "write `calendar fiscal year starts February` (any month's name)";
  auto expect = [&](FulcrumParser::IdentContext* word, const char* expected) {
    if (word->getText() == expected)
      return true;
    sink_.report(DiagKind::InvalidCalendar, pos_.range(word),
                 fmt::format("expected `{}` here, not `{}`", expected, word->getText()), hint);
    return false;
  };
  if (!expect(ctx->fiscal, "fiscal") || !expect(ctx->year, "year") ||
      !expect(ctx->starts, "starts"))
    return calendar;
  if (auto month = parseMonthName(ctx->month->getText()))
    calendar->startMonth = *month;
  else
    sink_.report(DiagKind::InvalidCalendar, pos_.range(ctx->month),
                 fmt::format("`{}` is not the name of a month", ctx->month->getText()), hint);
  return calendar;
}

// `currency EUR`; the checker reports an unknown code.
DeclPtr AstBuilder::buildCurrency(FulcrumParser::CurrencyDeclContext* ctx) {
  auto currency = std::make_unique<CurrencyDecl>();
  currency->range = pos_.range(ctx);
  currency->name = Ident{"currency", pos_.range(ctx->getStart())};
  currency->code = ident(ctx->code);
  currency->currency = findCurrency(currency->code.name);
  return currency;
}

// `delimiter ";"`, `delimiter "\t"` (or `tab`), `delimiter auto`, `headers loose`.
FileOptions AstBuilder::fileOptions(const std::vector<FulcrumParser::FileOptionContext*>& options) {
  FileOptions out;
  std::map<std::string, SourceRange> seen; // each option once: a second would silently win
  for (auto* option : options) {
    const std::string name = option->option->getText();
    const std::string value =
        option->text ? buildString(option->text)->plainText() : option->word->getText();
    const SourceRange at = option->text ? pos_.range(option->text) : pos_.range(option->word);
    if (name == "delimiter" || name == "headers") {
      if (auto [first, inserted] = seen.emplace(name, pos_.range(option->option)); !inserted) {
        sink_.report(DiagKind::InvalidFormat, pos_.range(option->option),
                     fmt::format("a second `{}` for this file (the first is at line {}, column {})",
                                 name, first->second.begin.line, first->second.begin.column),
                     fmt::format("give a file one `{}`", name));
        continue;
      }
    }
    if (name == "delimiter") {
      if (!option->text && value == "auto")
        out.detectDelimiter = true;
      else if (!option->text && value == "tab")
        out.delimiter = '\t';
      else if (option->text && (value == "," || value == ";" || value == "\t" || value == "|"))
        out.delimiter = value[0];
      else
        sink_.report(DiagKind::InvalidFormat, at,
                     fmt::format("`{}` is not a delimiter Fulcrum reads", value),
                     "write `delimiter \",\"`, `delimiter \";\"`, `delimiter \"|\"`, "
                     "`delimiter tab` or `delimiter auto` (read from the header)");
    } else if (name == "headers") {
      if (!option->text && value == "loose")
        out.looseHeaders = true;
      else if (option->text || value != "exact")
        sink_.report(DiagKind::InvalidFormat, at,
                     fmt::format("`headers {}`: expected `loose` or `exact`", value),
                     "`headers loose` matches columns ignoring case and surrounding spaces");
    } else {
      sink_.report(DiagKind::InvalidFormat, pos_.range(option->option),
                   fmt::format("`{}` is not an option of a data file", name),
                   "the options are `delimiter \";\"` (or tab, or auto) and `headers loose`");
    }
  }
  return out;
}

DeclPtr AstBuilder::buildData(bool isEntity, FulcrumParser::IdentContext* name,
                              antlr4::tree::TerminalNode* from,
                              const std::vector<FulcrumParser::FieldDeclContext*>& fields,
                              antlr4::ParserRuleContext* ctx,
                              const std::vector<FulcrumParser::FileOptionContext*>& options) {
  auto data = std::make_unique<DataDecl>();
  data->range = pos_.range(ctx);
  data->isEntity = isEntity;
  data->name = ident(name);
  if (from) {
    data->fromPath = buildString(from->getSymbol())->plainText();
    data->fromRange = pos_.range(from->getSymbol());
  }
  data->fileOptions = fileOptions(options);
  for (auto* f : fields) {
    FieldDecl field;
    field.range = pos_.range(f);
    field.isKey = f->KEY() != nullptr;
    field.name = ident(f->ident());
    field.typeRef = typeRef(f->typeRef());
    field.valueRange = valueRange(f->valueRange());
    field.column = field.name.name;
    if (auto* column = f->columnName())
      field.column = column->STRING() ? buildString(column->STRING()->getSymbol())->plainText()
                                      : column->getText();
    if (auto* format = f->cellFormat()) {
      FieldFormat parsed;
      parsed.pattern = buildString(format->pattern)->plainText();
      parsed.patternRange = pos_.range(format->pattern);
      if (format->zone) {
        if (format->zoneWord->getText() != "zone")
          sink_.report(DiagKind::InvalidFormat, pos_.range(format->zoneWord),
                       fmt::format("expected `zone` here, not `{}`", format->zoneWord->getText()),
                       "write `in zone \"America/Los_Angeles\"`");
        parsed.zone = buildString(format->zone)->plainText();
        parsed.zoneRange = pos_.range(format->zone);
      }
      field.format = std::move(parsed);
    }
    data->fields.push_back(std::move(field));
  }
  return data;
}

std::unique_ptr<FrameworkDecl>
AstBuilder::buildFrameworkHead(FulcrumParser::FrameworkHeadContext* ctx) {
  auto framework = std::make_unique<FrameworkDecl>();
  framework->range = pos_.range(ctx);
  framework->name = ident(ctx->ident());
  if (ctx->STRING())
    framework->title = buildString(ctx->STRING()->getSymbol())->plainText();
  return framework;
}

DeclPtr AstBuilder::buildFramework(FulcrumParser::FrameworkDeclContext* ctx) {
  auto framework = buildFrameworkHead(ctx->frameworkHead());
  framework->range = pos_.range(ctx);
  for (auto* member : ctx->member())
    if (auto built = buildMember(member))
      framework->members.push_back(std::move(built));
  return framework;
}

MemberPtr AstBuilder::buildMember(FulcrumParser::MemberContext* ctx) {
  const SourceRange range = pos_.range(ctx);
  if (auto* m = exactly<FulcrumParser::MetricMemberContext>(ctx)) {
    auto member = std::make_unique<MetricMember>();
    member->range = range;
    member->name = ident(m->name);
    if (m->declaredType)
      member->declaredType = typeRef(m->declaredType);
    member->value = buildExpr(m->value);
    return member;
  }
  if (auto* m = exactly<FulcrumParser::SubjectMemberContext>(ctx)) {
    auto member = std::make_unique<SubjectMember>();
    member->entity = ident(m->entity);
    member->range = range;
    return member;
  }
  if (auto* m = exactly<FulcrumParser::CadenceMemberContext>(ctx)) {
    auto member = std::make_unique<CadenceMember>();
    member->unit = ident(m->unit);
    member->range = range;
    return member;
  }
  if (auto* m = exactly<FulcrumParser::ScoreMemberContext>(ctx)) {
    auto member = std::make_unique<ScoreMember>();
    member->range = range;
    member->name = ident(m->name);
    member->outOf = numberValue(m->outOf);
    for (auto* c : m->component()) {
      ScoreComponent component;
      component.name = ident(c->name);
      component.weight = percentValue(c->weight);
      component.weightRange = pos_.range(c->weight);
      component.value = buildExpr(c->value);
      member->components.push_back(std::move(component));
    }
    return member;
  }
  if (auto* m = exactly<FulcrumParser::BandMemberContext>(ctx)) {
    auto member = std::make_unique<BandMember>();
    member->range = range;
    member->name = ident(m->name);
    member->value = buildExpr(m->value);
    return member;
  }
  if (auto* m = exactly<FulcrumParser::ObjectiveMemberContext>(ctx)) {
    auto member = std::make_unique<ObjectiveMember>();
    member->range = range;
    member->title = buildString(m->title)->plainText();
    // Unnamed: the checker names it `objective_N`, N its place among the objectives.
    member->named = m->name != nullptr;
    member->name = m->name ? ident(m->name) : Ident{"", pos_.range(m->title)};
    if (m->weight)
      member->weight = percentValue(m->weight);
    for (auto* k : m->keyResult()) {
      KeyResult kr;
      kr.range = pos_.range(k);
      kr.name = ident(k->name);
      if (k->title)
        kr.title = buildString(k->title)->plainText();
      kr.actual = buildExpr(k->actual);
      kr.target = buildExpr(k->target);
      kr.lowerIsBetter = k->below != nullptr;
      if (k->weight)
        kr.weight = percentValue(k->weight);
      member->keyResults.push_back(std::move(kr));
    }
    return member;
  }
  if (auto* m = exactly<FulcrumParser::RankMemberContext>(ctx)) {
    auto member = std::make_unique<RankMember>();
    member->range = range;
    member->name = ident(m->name);
    member->by = buildExpr(m->by);
    member->descending = m->direction() && m->direction()->DESC();
    if (m->within)
      member->within = ident(m->within);
    return member;
  }
  if (auto* m = exactly<FulcrumParser::AlertMemberContext>(ctx)) {
    auto member = std::make_unique<AlertMember>();
    member->range = range;
    member->name = ident(m->name);
    if (m->title)
      member->title = buildString(m->title)->plainText();
    member->message = buildString(m->message);
    if (auto* on = exactly<FulcrumParser::OnTriggerContext>(m->trigger)) {
      member->onTable = ident(on->table);
      if (on->condition)
        member->where = buildExpr(on->condition);
    } else if (auto* when = exactly<FulcrumParser::WhenTriggerContext>(m->trigger)) {
      member->when = buildExpr(when->condition);
    }
    if (m->priority)
      member->priority = buildExpr(m->priority);
    return member;
  }
  if (auto* m = exactly<FulcrumParser::ReportMemberContext>(ctx))
    return buildReport(m);
  auto* m = exactly<FulcrumParser::CheckMemberContext>(ctx);
  auto member = std::make_unique<CheckMember>();
  member->range = range;
  member->label = buildString(m->label)->plainText();
  member->name = Ident{member->label, pos_.range(m->label)};
  member->condition = buildExpr(m->condition);
  return member;
}

// `report { quadrant x A, y B, size R  funnel S1, S2, ... }`: the roles of a quadrant's axes are
// words (`x`, `y`, `size`), checked here with what the block may hold once: InvalidReportHint.
MemberPtr AstBuilder::buildReport(FulcrumParser::ReportMemberContext* ctx) {
  auto member = std::make_unique<ReportMember>();
  member->range = pos_.range(ctx);
  const std::string hint =
      "write `report { quadrant x METRIC, y METRIC, size RANK  funnel QUOTA, STAGE, ... }`";
  if (ctx->reportHint().empty())
    sink_.report(DiagKind::InvalidReportHint, member->range,
                 "an empty report block: it names no `quadrant` and no `funnel`",
                 "name what to draw, " + hint + ", or leave the block out");
  for (auto* item : ctx->reportHint()) {
    if (auto* q = exactly<FulcrumParser::QuadrantHintContext>(item)) {
      if (member->quadrant) {
        sink_.report(DiagKind::InvalidReportHint, pos_.range(q->QUADRANT()->getSymbol()),
                     "a report block has one `quadrant`",
                     fmt::format("the first is on line {}", member->quadrant->range.begin.line));
        continue;
      }
      ReportMember::Quadrant quadrant;
      quadrant.range = pos_.range(q);
      bool hasX = false, hasY = false, hasSize = false;
      for (auto* axis : q->axes) {
        const std::string role = axis->role->getText();
        if (role != "x" && role != "y" && role != "size") {
          sink_.report(DiagKind::InvalidReportHint, pos_.range(axis->role),
                       fmt::format("a quadrant's parts are `x`, `y` and `size`, not `{}`", role),
                       hint);
          continue;
        }
        bool& seen = role == "x" ? hasX : role == "y" ? hasY : hasSize;
        if (seen) {
          sink_.report(DiagKind::InvalidReportHint, pos_.range(axis->role),
                       fmt::format("the quadrant's `{}` is given twice", role), hint);
          continue;
        }
        seen = true;
        Ident& slot = role == "x" ? quadrant.x : role == "y" ? quadrant.y : quadrant.size.emplace();
        slot = ident(axis->name);
      }
      if (!hasX || !hasY) {
        sink_.report(DiagKind::InvalidReportHint, pos_.range(q->QUADRANT()->getSymbol()),
                     fmt::format("a quadrant needs both axes: `{}` is missing", hasX ? "y" : "x"),
                     hint);
        continue;
      }
      member->quadrant = std::move(quadrant);
    } else if (auto* f = exactly<FulcrumParser::FunnelHintContext>(item)) {
      if (member->funnel) {
        sink_.report(DiagKind::InvalidReportHint, pos_.range(f->FUNNEL()->getSymbol()),
                     "a report block has one `funnel`",
                     fmt::format("the first is on line {}", member->funnel->range.begin.line));
        continue;
      }
      ReportMember::Funnel funnel;
      funnel.range = pos_.range(f);
      for (auto* stage : f->stages) {
        Ident name = ident(stage);
        const auto first = std::find_if(funnel.stages.begin(), funnel.stages.end(),
                                        [&](const Ident& s) { return s.name == name.name; });
        if (first != funnel.stages.end()) {
          sink_.report(DiagKind::InvalidReportHint, name.range,
                       fmt::format("funnel stage `{}` is given twice", name.name),
                       fmt::format("a stage is drawn once: the first is at column {}",
                                   first->range.begin.column));
          continue;
        }
        funnel.stages.push_back(std::move(name));
      }
      member->funnel = std::move(funnel);
    }
  }
  return member;
}

DeclPtr AstBuilder::buildTest(FulcrumParser::TestDeclContext* ctx) {
  auto test = std::make_unique<TestDecl>();
  test->range = pos_.range(ctx);
  test->title = buildString(ctx->STRING()->getSymbol())->plainText();
  test->name = Ident{test->title, pos_.range(ctx->STRING()->getSymbol())};
  test->framework = ident(ctx->ident());
  auto fieldInits = [&](FulcrumParser::FieldInitsContext* inits) {
    std::vector<FieldInit> result;
    if (inits)
      for (auto* init : inits->fieldInit())
        result.push_back(FieldInit{ident(init->ident()), buildExpr(init->expr())});
    return result;
  };
  for (auto* item : ctx->testItem()) {
    if (auto* p = exactly<FulcrumParser::TestPeriodContext>(item)) {
      test->period = buildExpr(p->expr());
    } else if (auto* a = exactly<FulcrumParser::TestAsOfContext>(item)) {
      test->asOf = buildExpr(a->expr());
    } else if (auto* param = exactly<FulcrumParser::TestParamContext>(item)) {
      test->params.push_back(TestParam{ident(param->ident()), buildExpr(param->expr())});
    } else if (auto* e = exactly<FulcrumParser::TestExpectContext>(item)) {
      TestExpect expect{buildExpr(e->subject), {}, pos_.range(e)};
      if (e->expectedValues())
        for (auto* v : e->expectedValues()->expectedValue()) {
          Ident output = ident(v->output);
          if (v->part) { // the column's name, as lowering names it: `score.component`
            const Ident part = ident(v->part);
            output =
                Ident{output.name + "." + part.name, SourceRange::cover(output.range, part.range)};
          }
          expect.values.push_back(ExpectedValue{std::move(output), buildExpr(v->value),
                                                v->tolerance ? buildExpr(v->tolerance) : nullptr,
                                                v->value->getText(), pos_.range(v)});
        }
      test->expects.push_back(std::move(expect));
    } else if (auto* v = exactly<FulcrumParser::TestExpectViolationContext>(item)) {
      test->outcomes.push_back(TestOutcome{
          OutcomeKind::Violation, Ident{buildString(v->check)->plainText(), pos_.range(v->check)},
          buildExpr(v->subject), nullptr, pos_.range(v)});
    } else if (auto* n = exactly<FulcrumParser::TestExpectNoViolationContext>(item)) {
      test->outcomes.push_back(
          TestOutcome{OutcomeKind::NoViolation, {}, nullptr, nullptr, pos_.range(n)});
    } else if (auto* al = exactly<FulcrumParser::TestExpectAlertContext>(item)) {
      test->outcomes.push_back(
          TestOutcome{OutcomeKind::Alert, ident(al->alert), buildExpr(al->subject),
                      al->dated ? buildExpr(al->dated) : nullptr, pos_.range(al)});
    } else if (auto* f = exactly<FulcrumParser::TestFixtureContext>(item)) {
      test->fixtures.push_back(
          TestFixture{ident(f->table), buildString(f->path)->plainText(), pos_.range(f)});
    } else if (auto* r = exactly<FulcrumParser::TestRowContext>(item)) {
      test->rows.push_back(TestRow{ident(r->ident()), fieldInits(r->fieldInits()), pos_.range(r)});
    }
  }
  return test;
}

// ---- expressions ------------------------------------------------------------------------------

ExprPtr AstBuilder::buildExpr(FulcrumParser::ExprContext* ctx) {
  if (depth_ >= kMaxNesting) {
    if (!reportedDepth_)
      sink_.report(DiagKind::NestingTooDeep, pos_.range(ctx),
                   fmt::format("expression is nested more than {} levels deep", kMaxNesting),
                   "split it into several metrics");
    reportedDepth_ = true;
    return make<ErrorExpr>(pos_.range(ctx));
  }
  ++depth_;
  ExprPtr result = buildExprUnguarded(ctx);
  --depth_;
  return result;
}

static BinaryOp binaryOpOf(size_t tokenType) {
  switch (tokenType) {
#define BINARY_OP(Name, spelling, token, ...)                                                      \
  case FulcrumParser::token:                                                                       \
    return BinaryOp::Name;
#include "compiler/ast/BinaryOps.def"
  default:
    return BinaryOp::Implies; // unreachable: the grammar's binary operators are the rows
  }
}

// Tested in the order of how common each alternative is in real files: literals and names are
// most of the nodes.
ExprPtr AstBuilder::buildExprUnguarded(FulcrumParser::ExprContext* ctx) {
  using P = FulcrumParser;
  const SourceRange range = pos_.range(ctx);
  if (auto* e = exactly<P::LiteralContext>(ctx))
    return buildLiteral(e->value, range);
  if (auto* e = exactly<P::NameExprContext>(ctx)) {
    auto name = make<NameRef>(range);
    name->name = e->name->getStart()->getText();
    return name;
  }
  if (auto* e = exactly<P::BinaryExprContext>(ctx)) {
    auto binary = make<BinaryExpr>(range);
    binary->op = binaryOpOf(e->op->getType());
    binary->opRange = pos_.range(e->op);
    binary->lhs = buildExpr(e->lhs);
    binary->rhs = buildExpr(e->rhs);
    return binary;
  }
  if (auto* e = exactly<P::CallExprContext>(ctx))
    return buildCall(e);
  if (auto* e = exactly<P::MemberExprContext>(ctx)) {
    auto member = make<MemberRef>(range);
    member->base = buildExpr(e->base);
    member->member = ident(e->name);
    return member;
  }
  if (auto* e = exactly<P::ParenExprContext>(ctx)) {
    ExprPtr inner = buildExpr(e->inner);
    inner->range = range; // the parentheses belong to the span users see
    return inner;
  }
  if (auto* e = exactly<P::UnaryExprContext>(ctx)) {
    auto unary = make<UnaryExpr>(range);
    unary->op = e->op->getType() == P::NOT ? UnaryOp::Not : UnaryOp::Negate;
    unary->operand = buildExpr(e->operand);
    return unary;
  }
  if (auto* e = exactly<P::IsMissingExprContext>(ctx)) {
    auto isMissing = make<IsMissingExpr>(range);
    isMissing->operand = buildExpr(e->operand);
    isMissing->negated = e->negated != nullptr;
    return isMissing;
  }
  if (auto* e = exactly<P::InExprContext>(ctx))
    return buildIn(e);
  if (auto* e = exactly<P::IfExprContext>(ctx)) {
    auto ifExpr = make<IfExpr>(range);
    ifExpr->condition = buildExpr(e->condition);
    ifExpr->thenValue = buildExpr(e->thenValue);
    ifExpr->elseValue = buildExpr(e->elseValue);
    return ifExpr;
  }
  auto* e = exactly<P::CaseExprContext>(ctx);
  auto caseExpr = make<CaseExpr>(range);
  for (auto* arm : e->arms)
    caseExpr->arms.push_back(
        CaseArm{buildExpr(arm->condition), buildExpr(arm->value), pos_.range(arm)});
  if (e->elseValue) {
    caseExpr->elseValue = buildExpr(e->elseValue);
    caseExpr->elseRange = pos_.range(e->ELSE()->getSymbol());
  }
  return caseExpr;
}

ExprPtr AstBuilder::buildIn(FulcrumParser::InExprContext* ctx) {
  using P = FulcrumParser;
  auto in = make<InExpr>(pos_.range(ctx));
  in->value = buildExpr(ctx->value);
  in->negated = ctx->negated != nullptr;
  auto* target = ctx->target;
  in->windowRange = pos_.range(target);
  if (auto* list = exactly<P::InListContext>(target)) {
    in->inKind = InKind::List;
    for (auto* item : list->items)
      in->items.push_back(buildExpr(item));
  } else if (auto* previous = exactly<P::InPreviousContext>(target)) {
    in->inKind = InKind::Previous;
    const std::string word = previous->unit->getText();
    if (previous->count) {
      const auto count = parseNumberLiteral(previous->count->getText());
      if (!count || *count > kMaxPeriodCount) {
        invalidLiteral(previous->count, "count of periods",
                       fmt::format("count at most {} periods", kMaxPeriodCount));
        return make<ErrorExpr>(pos_.range(ctx));
      }
      in->count = static_cast<int>(*count);
    }
    if (word == "period") {
      in->previousPeriod = true;
    } else if (auto unit = parsePeriodUnit(word)) {
      in->unit = *unit;
    } else {
      sink_.report(DiagKind::InvalidLiteral, pos_.range(previous->unit),
                   fmt::format("`previous` needs `period` or a unit, not `{}`", word),
                   "write `previous period`, `previous quarter` or `previous 2 quarters`");
      return make<ErrorExpr>(pos_.range(ctx));
    }
  } else if (auto* span = exactly<P::InPreviousSpanContext>(target)) {
    in->inKind = InKind::Previous;
    if (!windowSpan(span->span, *in))
      return make<ErrorExpr>(pos_.range(ctx));
  } else if (auto* last = exactly<P::InLastContext>(target)) {
    in->inKind = InKind::Last;
    if (!windowSpan(last->span, *in))
      return make<ErrorExpr>(pos_.range(ctx));
  } else if (auto* name = exactly<P::InNameContext>(target)) {
    in->inKind = InKind::Value;
    auto ref = make<NameRef>(pos_.range(name->name));
    ref->name = name->name->getStart()->getText();
    if (name->field == nullptr) {
      in->items.push_back(std::move(ref));
    } else { // `d in ratings.quarter`
      auto member = make<MemberRef>(pos_.range(name));
      member->base = std::move(ref);
      member->member = ident(name->field);
      in->items.push_back(std::move(member));
    }
  } else {
    auto* periodLit = exactly<P::InPeriodLitContext>(target);
    in->inKind = InKind::Value;
    auto lit = make<PeriodLitExpr>(pos_.range(target));
    periodValue(periodLit->period, *lit);
    in->items.push_back(std::move(lit));
  }
  return in;
}

// The count and unit of `previous 2 quarters` or `last 14 days`; false (reported) when the
// duration is not a valid one.
bool AstBuilder::windowSpan(antlr4::Token* duration, InExpr& in) {
  auto value = parseDurationLiteral(duration->getText());
  if (!value) {
    invalidLiteral(duration, "duration", "");
    return false;
  }
  in.count = value->count;
  in.unit = value->unit;
  return true;
}

ExprPtr AstBuilder::buildCall(FulcrumParser::CallExprContext* ctx) {
  using P = FulcrumParser;
  auto call = make<CallExpr>(pos_.range(ctx));
  call->callee = ident(ctx->callee);
  auto* arguments = ctx->arguments;
  if (arguments == nullptr)
    return call; // `f()`
  call->distinct = arguments->distinct != nullptr;
  for (auto* arg : arguments->args)
    call->args.push_back(buildExpr(arg));
  if (!arguments->clauses.empty())
    call->clausesRange = pos_.range(arguments->clauses.front());
  for (auto* clause : arguments->clauses) {
    if (auto* where = exactly<P::WhereClauseContext>(clause)) {
      if (call->where)
        sink_.report(DiagKind::InvalidAggregateClause, pos_.range(clause),
                     "an aggregate takes one `where`", "join the conditions with `and`");
      call->where = buildExpr(where->condition);
    } else if (auto* by = exactly<P::ByClauseContext>(clause)) {
      call->by = ident(by->name);
    } else if (auto* across = exactly<P::AcrossClauseContext>(clause)) {
      call->across = ident(across->name);
    } else if (auto* order = exactly<P::OrderClauseContext>(clause)) {
      call->orderBy = buildExpr(order->key);
      call->orderDescending = order->direction() && order->direction()->DESC();
    }
  }
  return call;
}

// A literal token's value; an invalid one is reported and built with a placeholder value.
ExprPtr AstBuilder::buildLiteral(antlr4::Token* token, SourceRange range) {
  using P = FulcrumParser;
  switch (token->getType()) {
  case P::INT:
  case P::DECIMAL: {
    auto lit = make<NumberLit>(range);
    lit->value = numberValue(token);
    return lit;
  }
  case P::PERCENT: {
    auto lit = make<PercentLit>(range);
    lit->fraction = percentValue(token);
    return lit;
  }
  case P::MONEY: {
    auto lit = make<MoneyLit>(range);
    lit->units = moneyUnits(token);
    lit->value = moneyDollars(lit->units);
    lit->currency = currencyOfSign(token->getText());
    return lit;
  }
  case P::DATE: {
    auto lit = make<DateLit>(range);
    auto day = parseDate(token->getText());
    if (!day)
      invalidLiteral(token, "date", "dates are `YYYY-MM-DD` and must exist in the calendar");
    lit->day = day.value_or(0);
    return lit;
  }
  case P::PERIOD_LIT: {
    auto lit = make<PeriodLitExpr>(range);
    periodValue(token, *lit);
    return lit;
  }
  case P::DURATION: {
    auto lit = make<DurationLit>(range);
    auto duration = parseDurationLiteral(token->getText());
    if (!duration) {
      invalidLiteral(token, "duration", "");
    } else {
      lit->count = duration->count;
      lit->unit = duration->unit;
    }
    return lit;
  }
  case P::STRING:
    return buildString(token);
  case P::TRUE:
  case P::FALSE: {
    auto lit = make<BoolLit>(range);
    lit->value = token->getType() == P::TRUE;
    return lit;
  }
  default: // MISSING
    return make<MissingLit>(range);
  }
}

// Splits a string token into text and `{expr}` holes; each hole is parsed as an expression.
std::unique_ptr<StringLit> AstBuilder::buildString(antlr4::Token* token) {
  auto lit = make<StringLit>(pos_.range(token));
  const std::string text = token->getText();
  const SourceLoc start = pos_.begin(token);
  uint32_t column = start.column + 1; // after the opening quote
  std::string current;
  size_t i = 1;
  const size_t closing = text.size() - 1;
  while (i < closing) {
    const char c = text[i];
    if (c == '\\' && i + 1 < closing) {
      const char escaped = text[i + 1];
      current += escaped == 'n' ? '\n' : escaped == 't' ? '\t' : escaped;
      i += 2;
      column += 2;
      continue;
    }
    if (c == '{') {
      size_t j = i + 1;
      bool inString = false;
      while (j < closing && (inString || text[j] != '}')) {
        if (inString && text[j] == '\\')
          ++j;
        else if (text[j] == '"')
          inString = !inString;
        ++j;
      }
      const std::string hole = text.substr(i + 1, j - i - 1);
      if (!current.empty())
        lit->parts.push_back({std::move(current), nullptr});
      current.clear();
      const SourceLoc holeAt{start.line, column + 1};
      if (hole.find_first_not_of(" \t") == std::string::npos) {
        sink_.report(DiagKind::SyntaxError,
                     SourceRange{pos_.file, {start.line, column}, {start.line, column + 2}},
                     "empty `{}` in a string",
                     "put an expression inside, or write `\\{` for a brace");
        lit->parts.push_back({"", make<ErrorExpr>(lit->range)});
      } else {
        lit->parts.push_back({"", holeParser_(hole, holeAt, depth_ + 1)});
      }
      column += codePoints(std::string_view(text).substr(i, j - i + 1));
      i = j + 1;
      continue;
    }
    current += c;
    column += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
    ++i;
  }
  if (!current.empty() || lit->parts.empty())
    lit->parts.push_back({std::move(current), nullptr});
  return lit;
}

} // namespace fulcrum
