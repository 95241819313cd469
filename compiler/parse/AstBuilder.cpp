// Parse tree -> AST. Literal values are decoded here; their errors are reported with the token.
#include "compiler/parse/AstBuilder.h"

#include "compiler/parse/Parse.h"
#include "support/Literals.h"

#include <fmt/format.h>

namespace fulcrum {

using grammar::FulcrumParser;
using namespace fulcrum::ast;

static uint32_t codePoints(std::string_view text) {
  uint32_t count = 0;
  for (unsigned char c : text)
    count += (c & 0xC0) != 0x80;
  return count;
}

SourceLoc TokenPositions::begin(const antlr4::Token* token) const {
  return range(token->getLine(), token->getCharPositionInLine(), 0).begin;
}

SourceRange TokenPositions::range(size_t line, size_t charPositionInLine, size_t width) const {
  uint32_t column = static_cast<uint32_t>(charPositionInLine) + 1;
  if (line == 1)
    column += columnOffset;
  const SourceLoc begin{static_cast<uint32_t>(line) + lineOffset, column};
  return SourceRange{file, begin, {begin.line, begin.column + static_cast<uint32_t>(width)}};
}

SourceLoc TokenPositions::end(const antlr4::Token* token) const {
  SourceLoc loc = begin(token);
  if (token->getType() == antlr4::Token::EOF)
    return loc;
  // Token indexes count code points, so the width needs no text.
  loc.column += static_cast<uint32_t>(token->getStopIndex() - token->getStartIndex() + 1);
  return loc;
}

SourceRange TokenPositions::range(const antlr4::Token* token) const {
  return SourceRange{file, begin(token), end(token)};
}

SourceRange TokenPositions::range(antlr4::ParserRuleContext* ctx) const {
  const antlr4::Token* stop = ctx->getStop() ? ctx->getStop() : ctx->getStart();
  // An empty rule's stop token precedes its start.
  if (stop->getTokenIndex() < ctx->getStart()->getTokenIndex())
    stop = ctx->getStart();
  return SourceRange{file, begin(ctx->getStart()), end(stop)};
}

// The labelled alternatives are leaf classes, so an exact type test replaces dynamic_cast,
// which costs a hierarchy walk with string compares on every node of large files.
template <typename T> static T* exactly(antlr4::tree::ParseTree* node) {
  return node != nullptr && typeid(*node) == typeid(T) ? static_cast<T*>(node) : nullptr;
}

static bool isTerminal(antlr4::tree::ParseTree* node) {
  return typeid(*node) == typeid(antlr4::tree::TerminalNodeImpl);
}

static antlr4::Token* tokenAt(antlr4::ParserRuleContext* ctx, size_t child) {
  return static_cast<antlr4::tree::TerminalNode*>(ctx->children[child])->getSymbol();
}

static FulcrumParser::ExprContext* exprAt(antlr4::ParserRuleContext* ctx, size_t child) {
  return static_cast<FulcrumParser::ExprContext*>(ctx->children[child]);
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

double AstBuilder::percentValue(antlr4::tree::TerminalNode* node) {
  auto value = parsePercentLiteral(node->getText());
  if (!value) {
    invalidLiteral(node->getSymbol(), "percentage", "");
    return 0;
  }
  return *value;
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
    return buildData(true, e->ident(), e->STRING(), e->fieldDecl(), e);
  if (auto* t = ctx->tableDecl())
    return buildData(false, t->ident(), t->STRING(), t->fieldDecl(), t);
  if (auto* p = ctx->paramDecl()) {
    auto param = std::make_unique<ParamDecl>();
    param->range = pos_.range(p);
    param->name = ident(p->ident());
    param->typeRef = typeRef(p->typeRef());
    if (p->expr())
      param->defaultValue = buildExpr(p->expr());
    return param;
  }
  if (auto* g = ctx->groupDecl()) {
    auto group = std::make_unique<GroupDecl>();
    group->range = pos_.range(g);
    group->name = ident(g->ident(0));
    group->member = ident(g->ident(1));
    group->by = ident(g->ident(2));
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
  return buildTest(ctx->testDecl());
}

DeclPtr AstBuilder::buildData(bool isEntity, FulcrumParser::IdentContext* name,
                              antlr4::tree::TerminalNode* from,
                              const std::vector<FulcrumParser::FieldDeclContext*>& fields,
                              antlr4::ParserRuleContext* ctx) {
  auto data = std::make_unique<DataDecl>();
  data->range = pos_.range(ctx);
  data->isEntity = isEntity;
  data->name = ident(name);
  if (from) {
    data->fromPath = buildString(from->getSymbol())->plainText();
    data->fromRange = pos_.range(from->getSymbol());
  }
  for (auto* f : fields) {
    FieldDecl field;
    field.range = pos_.range(f);
    field.isKey = f->KEY() != nullptr;
    field.name = ident(f->ident());
    field.typeRef = typeRef(f->typeRef());
    field.column = field.name.name;
    if (auto* column = f->columnName())
      field.column = column->STRING() ? buildString(column->STRING()->getSymbol())->plainText()
                                      : column->getText();
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
    member->name = ident(m->ident());
    if (m->typeRef())
      member->declaredType = typeRef(m->typeRef());
    member->value = buildExpr(m->expr());
    return member;
  }
  if (auto* m = exactly<FulcrumParser::SubjectMemberContext>(ctx)) {
    auto member = std::make_unique<SubjectMember>();
    member->entity = ident(m->ident());
    member->range = range;
    return member;
  }
  if (auto* m = exactly<FulcrumParser::CadenceMemberContext>(ctx)) {
    auto member = std::make_unique<CadenceMember>();
    member->unit = ident(m->ident());
    member->range = range;
    return member;
  }
  if (auto* m = exactly<FulcrumParser::ScoreMemberContext>(ctx)) {
    auto member = std::make_unique<ScoreMember>();
    member->range = range;
    member->name = ident(m->ident());
    member->outOf = numberValue(m->outOf);
    for (auto* c : m->component()) {
      ScoreComponent component;
      component.name = ident(c->ident());
      component.weight = percentValue(c->PERCENT());
      component.weightRange = pos_.range(c->PERCENT()->getSymbol());
      component.value = buildExpr(c->expr());
      member->components.push_back(std::move(component));
    }
    return member;
  }
  if (auto* m = exactly<FulcrumParser::BandMemberContext>(ctx)) {
    auto member = std::make_unique<BandMember>();
    member->range = range;
    member->name = ident(m->ident());
    member->value = buildExpr(m->expr());
    return member;
  }
  if (auto* m = exactly<FulcrumParser::ObjectiveMemberContext>(ctx)) {
    auto member = std::make_unique<ObjectiveMember>();
    member->range = range;
    member->title = buildString(m->STRING()->getSymbol())->plainText();
    member->name = Ident{member->title, pos_.range(m->STRING()->getSymbol())};
    if (m->PERCENT())
      member->weight = percentValue(m->PERCENT());
    for (auto* k : m->keyResult()) {
      KeyResult kr;
      kr.range = pos_.range(k);
      kr.name = ident(k->ident());
      if (k->STRING())
        kr.title = buildString(k->STRING()->getSymbol())->plainText();
      kr.actual = buildExpr(k->expr(0));
      kr.target = buildExpr(k->expr(1));
      kr.lowerIsBetter = k->BELOW() != nullptr;
      if (k->PERCENT())
        kr.weight = percentValue(k->PERCENT());
      member->keyResults.push_back(std::move(kr));
    }
    return member;
  }
  if (auto* m = exactly<FulcrumParser::RankMemberContext>(ctx)) {
    auto member = std::make_unique<RankMember>();
    member->range = range;
    member->name = ident(m->ident(0));
    member->by = buildExpr(m->expr());
    member->descending = m->direction() && m->direction()->DESC();
    if (m->WITHIN())
      member->within = ident(m->ident(1));
    return member;
  }
  if (auto* m = exactly<FulcrumParser::AlertMemberContext>(ctx)) {
    auto member = std::make_unique<AlertMember>();
    member->range = range;
    member->name = ident(m->ident());
    const auto strings = m->STRING();
    if (strings.size() == 2)
      member->title = buildString(strings[0]->getSymbol())->plainText();
    member->message = buildString(strings.back()->getSymbol());
    if (auto* on = exactly<FulcrumParser::OnTriggerContext>(m->alertTrigger())) {
      member->onTable = ident(on->ident());
      if (on->expr())
        member->where = buildExpr(on->expr());
    } else if (auto* when = exactly<FulcrumParser::WhenTriggerContext>(m->alertTrigger())) {
      member->when = buildExpr(when->expr());
    }
    if (m->PRIORITY())
      member->priority = buildExpr(m->expr());
    return member;
  }
  auto* m = exactly<FulcrumParser::CheckMemberContext>(ctx);
  auto member = std::make_unique<CheckMember>();
  member->range = range;
  member->label = buildString(m->STRING()->getSymbol())->plainText();
  member->name = Ident{member->label, pos_.range(m->STRING()->getSymbol())};
  member->condition = buildExpr(m->expr());
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
      test->expects.push_back(
          TestExpect{buildExpr(e->expr()), fieldInits(e->fieldInits()), pos_.range(e)});
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

ExprPtr AstBuilder::buildBinary(BinaryOp op, antlr4::ParserRuleContext* ctx,
                                FulcrumParser::ExprContext* lhs, antlr4::Token* opToken,
                                FulcrumParser::ExprContext* rhs) {
  auto binary = make<BinaryExpr>(pos_.range(ctx));
  binary->op = op;
  binary->opRange = pos_.range(opToken);
  binary->lhs = buildExpr(lhs);
  binary->rhs = buildExpr(rhs);
  return binary;
}

static BinaryOp binaryOpOf(size_t tokenType) {
  switch (tokenType) {
  case FulcrumParser::PLUS:
    return BinaryOp::Add;
  case FulcrumParser::MINUS:
    return BinaryOp::Sub;
  case FulcrumParser::STAR:
    return BinaryOp::Mul;
  case FulcrumParser::SLASH:
    return BinaryOp::Div;
  case FulcrumParser::EQ:
    return BinaryOp::Eq;
  case FulcrumParser::NE:
    return BinaryOp::Ne;
  case FulcrumParser::LT:
    return BinaryOp::Lt;
  case FulcrumParser::LE:
    return BinaryOp::Le;
  case FulcrumParser::GT:
    return BinaryOp::Gt;
  default:
    return BinaryOp::Ge;
  }
}

ExprPtr AstBuilder::buildExprUnguarded(FulcrumParser::ExprContext* ctx) {
  const SourceRange range = pos_.range(ctx);
  using P = FulcrumParser;
  // Binary alternatives are `expr op expr`: three children, the operator in the middle.
  if (ctx->children.size() == 3 && !isTerminal(ctx->children[0]) && isTerminal(ctx->children[1]) &&
      !isTerminal(ctx->children[2])) {
    antlr4::Token* op = tokenAt(ctx, 1);
    switch (op->getType()) {
    case P::CARET:
      return buildBinary(BinaryOp::Pow, ctx, exprAt(ctx, 0), op, exprAt(ctx, 2));
    case P::COALESCE:
      return buildBinary(BinaryOp::Coalesce, ctx, exprAt(ctx, 0), op, exprAt(ctx, 2));
    case P::AND:
      return buildBinary(BinaryOp::And, ctx, exprAt(ctx, 0), op, exprAt(ctx, 2));
    case P::OR:
      return buildBinary(BinaryOp::Or, ctx, exprAt(ctx, 0), op, exprAt(ctx, 2));
    case P::IMPLIES:
      return buildBinary(BinaryOp::Implies, ctx, exprAt(ctx, 0), op, exprAt(ctx, 2));
    case P::PLUS:
    case P::MINUS:
    case P::STAR:
    case P::SLASH:
    case P::EQ:
    case P::NE:
    case P::LT:
    case P::LE:
    case P::GT:
    case P::GE:
      return buildBinary(binaryOpOf(op->getType()), ctx, exprAt(ctx, 0), op, exprAt(ctx, 2));
    default:
      break; // `.` member access and `in` are handled below
    }
  }
  if (auto leaf = buildLeaf(ctx))
    return leaf;
  if (auto* e = exactly<P::MemberExprContext>(ctx)) {
    auto member = make<MemberRef>(range);
    member->base = buildExpr(e->expr());
    member->member = ident(e->ident());
    return member;
  }
  if (auto* e = exactly<P::NegateExprContext>(ctx)) {
    auto unary = make<UnaryExpr>(range);
    unary->op = UnaryOp::Negate;
    unary->operand = buildExpr(e->expr());
    return unary;
  }
  if (auto* e = exactly<P::NotExprContext>(ctx)) {
    auto unary = make<UnaryExpr>(range);
    unary->op = UnaryOp::Not;
    unary->operand = buildExpr(e->expr());
    return unary;
  }
  if (auto* e = exactly<P::IsMissingExprContext>(ctx)) {
    auto isMissing = make<IsMissingExpr>(range);
    isMissing->operand = buildExpr(e->expr());
    isMissing->negated = e->NOT() != nullptr;
    return isMissing;
  }
  if (auto* e = exactly<P::InExprContext>(ctx))
    return buildIn(e);
  if (auto* e = exactly<P::IfExprContext>(ctx)) {
    auto ifExpr = make<IfExpr>(range);
    ifExpr->condition = buildExpr(e->expr(0));
    ifExpr->thenValue = buildExpr(e->expr(1));
    ifExpr->elseValue = buildExpr(e->expr(2));
    return ifExpr;
  }
  auto* e = exactly<P::CaseExprContext>(ctx);
  auto caseExpr = make<CaseExpr>(range);
  for (auto* arm : e->caseArm())
    caseExpr->arms.push_back(
        CaseArm{buildExpr(arm->expr(0)), buildExpr(arm->expr(1)), pos_.range(arm)});
  if (e->ELSE()) {
    caseExpr->elseValue = buildExpr(e->expr());
    caseExpr->elseRange = pos_.range(e->ELSE()->getSymbol());
  }
  return caseExpr;
}

ExprPtr AstBuilder::buildIn(FulcrumParser::InExprContext* ctx) {
  using P = FulcrumParser;
  auto in = make<InExpr>(pos_.range(ctx));
  in->value = buildExpr(ctx->expr());
  in->negated = ctx->NOT() != nullptr;
  auto* target = ctx->inTarget();
  in->windowRange = pos_.range(target);
  if (auto* list = exactly<P::InListContext>(target)) {
    in->inKind = InKind::List;
    for (auto* item : list->expr())
      in->items.push_back(buildExpr(item));
  } else if (auto* previous = exactly<P::InPreviousContext>(target)) {
    in->inKind = InKind::Previous;
    const std::string word = previous->ident()->getText();
    if (previous->INT()) {
      const auto count = parseNumberLiteral(previous->INT()->getText());
      if (!count || *count > kMaxPeriodCount) {
        invalidLiteral(previous->INT()->getSymbol(), "count of periods",
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
      sink_.report(DiagKind::InvalidLiteral, pos_.range(previous->ident()),
                   fmt::format("`previous` needs `period` or a unit, not `{}`", word),
                   "write `previous period`, `previous quarter` or `previous 2 quarters`");
      return make<ErrorExpr>(pos_.range(ctx));
    }
  } else if (auto* span = exactly<P::InPreviousSpanContext>(target)) {
    in->inKind = InKind::Previous;
    auto duration = parseDurationLiteral(span->DURATION()->getText());
    if (!duration) {
      invalidLiteral(span->DURATION()->getSymbol(), "duration", "");
      return make<ErrorExpr>(pos_.range(ctx));
    }
    in->count = duration->count;
    in->unit = duration->unit;
  } else if (auto* last = exactly<P::InLastContext>(target)) {
    in->inKind = InKind::Last;
    auto duration = parseDurationLiteral(last->DURATION()->getText());
    if (!duration) {
      invalidLiteral(last->DURATION()->getSymbol(), "duration", "");
      return make<ErrorExpr>(pos_.range(ctx));
    }
    in->count = duration->count;
    in->unit = duration->unit;
  } else if (auto* name = exactly<P::InNameContext>(target)) {
    in->inKind = InKind::Value;
    auto ref = make<NameRef>(pos_.range(name));
    ref->name = name->getStart()->getText();
    in->items.push_back(std::move(ref));
  } else {
    in->inKind = InKind::Value;
    auto lit = make<PeriodLitExpr>(pos_.range(target));
    auto period = parsePeriod(target->getStart()->getText());
    if (!period)
      invalidLiteral(target->getStart(), "period",
                     "periods are `2017-Q2` (quarter), `2017-05` (month) or `2017-W18` (ISO week)");
    lit->period = period.value_or(Period{});
    in->items.push_back(std::move(lit));
  }
  return in;
}

ExprPtr AstBuilder::buildCall(FulcrumParser::CallExprContext* ctx) {
  using P = FulcrumParser;
  auto call = make<CallExpr>(pos_.range(ctx));
  call->callee = ident(static_cast<P::IdentContext*>(ctx->children[0]));
  if (ctx->children.size() < 4)
    return call; // `f()`
  // callArgs: DISTINCT? expr (COMMA expr)* aggClause*, walked without ANTLR's accessors.
  auto* args = static_cast<P::CallArgsContext*>(ctx->children[2]);
  for (antlr4::tree::ParseTree* child : args->children) {
    if (isTerminal(child)) {
      call->distinct =
          call->distinct ||
          static_cast<antlr4::tree::TerminalNode*>(child)->getSymbol()->getType() == P::DISTINCT;
      continue;
    }
    auto* rule = static_cast<antlr4::ParserRuleContext*>(child);
    if (rule->getRuleIndex() == P::RuleExpr) {
      call->args.push_back(buildExpr(static_cast<P::ExprContext*>(rule)));
      continue;
    }
    if (!call->clausesRange.valid())
      call->clausesRange = pos_.range(rule);
    if (exactly<P::WhereClauseContext>(rule)) {
      if (call->where)
        sink_.report(DiagKind::InvalidAggregateClause, pos_.range(rule),
                     "an aggregate takes one `where`", "join the conditions with `and`");
      call->where = buildExpr(exprAt(rule, 1));
    } else if (exactly<P::ByClauseContext>(rule)) {
      call->by = ident(static_cast<P::IdentContext*>(rule->children[1]));
    } else if (exactly<P::AcrossClauseContext>(rule)) {
      call->across = ident(static_cast<P::IdentContext*>(rule->children[1]));
    } else if (auto* order = exactly<P::OrderClauseContext>(rule)) {
      call->orderBy = buildExpr(exprAt(rule, 2));
      call->orderDescending = order->direction() && order->direction()->DESC();
    }
  }
  return call;
}

// Literals, names, calls and parentheses; null when `ctx` is none of these. Told apart by the
// shape of their children, which is cheaper than testing the context's class.
ExprPtr AstBuilder::buildLeaf(FulcrumParser::ExprContext* ctx) {
  using P = FulcrumParser;
  const auto& children = ctx->children;
  const SourceRange range = pos_.range(ctx);
  if (children.size() == 1 && !isTerminal(children[0])) {
    auto name = make<NameRef>(range); // `ident`
    name->name = ctx->getStart()->getText();
    return name;
  }
  if (!isTerminal(children[0]))
    return children.size() >= 3 && isTerminal(children[1]) &&
                   tokenAt(ctx, 1)->getType() == P::LPAREN
               ? buildCall(static_cast<P::CallExprContext*>(ctx))
               : nullptr;
  antlr4::Token* token = tokenAt(ctx, 0);
  if (children.size() != 1) {
    if (token->getType() != P::LPAREN)
      return nullptr;
    ExprPtr inner = buildExpr(exprAt(ctx, 1));
    inner->range = range; // the parentheses belong to the span users see
    return inner;
  }
  switch (token->getType()) {
  case P::INT:
  case P::DECIMAL: {
    auto lit = make<NumberLit>(range);
    lit->value = numberValue(token);
    return lit;
  }
  case P::PERCENT: {
    auto lit = make<PercentLit>(range);
    lit->fraction = percentValue(static_cast<antlr4::tree::TerminalNode*>(children[0]));
    return lit;
  }
  case P::MONEY: {
    auto lit = make<MoneyLit>(range);
    auto value = parseMoneyLiteral(token->getText());
    if (!value)
      invalidLiteral(token, "amount of money", "write amounts like `$40`, `$1.2M`, `$300k`");
    lit->value = value.value_or(0);
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
    auto period = parsePeriod(token->getText());
    if (!period)
      invalidLiteral(token, "period",
                     "periods are `2017-Q2` (quarter), `2017-05` (month) or `2017-W18` (ISO week)");
    lit->period = period.value_or(Period{});
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
  case P::MISSING:
    return make<MissingLit>(range);
  default:
    return nullptr;
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
