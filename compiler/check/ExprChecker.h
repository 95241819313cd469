// Resolves the names of one expression and assigns its type, reporting what is wrong.
#pragma once

#include "compiler/ast/Ast.h"
#include "compiler/check/Symbols.h"
#include "compiler/diag/Diagnostic.h"
#include "runtime/plan/Aggregates.h"

#include <map>
#include <set>

namespace fulcrum {

// A framework's members as seen by expressions inside it.
struct FrameworkScope {
  const ast::FrameworkDecl* framework = nullptr;
  const ast::DataDecl* subject = nullptr;
  // For a group subject: the member entity and its field naming the group.
  const ast::DataDecl* memberEntity = nullptr;
  int memberGroupField = -1;
  std::map<std::string, const ast::Member*> members; // metric, score, band, rank, alert
  std::map<std::string, std::pair<const ast::ObjectiveMember*, const ast::KeyResult*>> keyResults;
  std::map<const void*, ast::Type> valueTypes; // member or key result -> its checked type
};

// Where an expression sits: what its names can see.
struct ExprContext {
  const FrameworkScope* scope = nullptr; // null outside frameworks
  const ast::DataDecl* row = nullptr;    // inside an aggregate or an `on` alert: the row's table
  const ast::FnDecl* fn = nullptr;       // inside a function body: only its parameters
  bool allowRows = false;                // a bare table name is accepted (an aggregate's value)
};

class ExprChecker {
public:
  ExprChecker(const Symbols& symbols, DiagnosticSink& sink) : symbols_(symbols), sink_(sink) {}

  ast::Type check(ast::Expr& expr, const ExprContext& ctx);
  // Checks that `expr` is a condition (bool); reports NotBoolean otherwise.
  void checkCondition(ast::Expr& expr, const ExprContext& ctx, const char* what);

  // The tables an aggregate's value names (`deals` in `count(deals)`, `deals.value`), found
  // without resolving anything, so dependency collection can use it before types exist.
  std::set<const ast::DataDecl*> tableMentions(const ast::Expr& expr, const ExprContext& ctx) const;
  // The field of `table` through which an aggregate or alert reaches the subject, or -1
  // (reported) when there is none or more than one.
  int subjectLink(const ast::DataDecl& table, const std::optional<ast::Ident>& by,
                  const FrameworkScope& scope, SourceRange at);

  // Names visible in `ctx`, for did-you-mean suggestions.
  std::vector<std::string> visibleNames(const ExprContext& ctx) const;

private:
  ast::Type checkName(ast::NameRef& name, const ExprContext& ctx);
  ast::Type checkMember(ast::MemberRef& member, const ExprContext& ctx);
  const ast::FrameworkDecl* frameworkOf(const ast::MemberRef& member, const ExprContext& ctx,
                                        std::string& output) const;
  ast::Type checkFrameworkRead(ast::MemberRef& member, const ast::FrameworkDecl& framework,
                               const std::string& output, const ExprContext& ctx);
  ast::Type checkUnary(ast::UnaryExpr& unary, const ExprContext& ctx);
  ast::Type checkBinary(ast::BinaryExpr& binary, const ExprContext& ctx);
  ast::Type checkIn(ast::InExpr& in, const ExprContext& ctx);
  ast::Type checkPeriodLiteral(ast::PeriodLitExpr& lit);
  ast::Type checkIf(ast::IfExpr& ifExpr, const ExprContext& ctx);
  ast::Type checkCase(ast::CaseExpr& caseExpr, const ExprContext& ctx);
  ast::Type checkCall(ast::CallExpr& call, const ExprContext& ctx);
  ast::Type checkAggregate(ast::CallExpr& call, const ExprContext& ctx);
  ast::Type checkPeerAggregate(ast::CallExpr& call, const ExprContext& ctx);
  void checkOrderBy(ast::CallExpr& call, const AggregateInfo& info, const ExprContext& keyCtx);
  bool checkAggregateInput(const AggregateInfo& info, const ast::Type& value, const ast::Expr& arg);
  ast::Type checkBuiltin(ast::CallExpr& call, const ExprContext& ctx);
  ast::Type checkFunctionCall(ast::CallExpr& call, const ast::FnDecl& fn, const ExprContext& ctx);
  ast::Type checkString(ast::StringLit& string, const ExprContext& ctx);
  ast::Type unify(const ast::Type& a, const ast::Type& b, SourceRange at, const char* what);
  bool isShadowed(const std::string& name, const ExprContext& ctx) const;
  void expectNumeric(const ast::Type& type, const ast::Expr& expr, const std::string& what);

  const Symbols& symbols_;
  DiagnosticSink& sink_;
};

} // namespace fulcrum
