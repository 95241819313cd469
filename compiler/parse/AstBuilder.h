// Turns an ANTLR parse tree (already free of syntax errors) into the project's AST (internal to
// compiler/parse/: Parse.h is the phase's interface).
#pragma once

#include "FulcrumParser.h"
#include "compiler/ast/Ast.h"
#include "compiler/diag/Diagnostic.h"
#include "compiler/parse/TokenPositions.h"

#include <functional>

namespace fulcrum {

// Parses the text of one `{expr}` hole (supplied by the parse driver).
using HoleParser = std::function<ast::ExprPtr(const std::string& text, SourceLoc at, int depth)>;

class AstBuilder {
public:
  AstBuilder(TokenPositions positions, DiagnosticSink& sink, HoleParser holeParser, int depth = 0)
      : pos_(positions), sink_(sink), holeParser_(std::move(holeParser)), depth_(depth) {}

  std::unique_ptr<ast::Module> buildModule(grammar::FulcrumParser::ProgramContext* ctx);
  ast::ExprPtr buildExpr(grammar::FulcrumParser::ExprContext* ctx);
  // Piecewise building, for the streaming parse: one declaration, or a framework's head and
  // then its members one at a time.
  ast::DeclPtr buildDecl(grammar::FulcrumParser::DeclContext* ctx);
  std::unique_ptr<ast::FrameworkDecl>
  buildFrameworkHead(grammar::FulcrumParser::FrameworkHeadContext* ctx);
  ast::MemberPtr buildMember(grammar::FulcrumParser::MemberContext* ctx);

private:
  ast::DeclPtr buildCalendar(grammar::FulcrumParser::CalendarDeclContext* ctx);
  ast::DeclPtr buildCurrency(grammar::FulcrumParser::CurrencyDeclContext* ctx);
  ast::FileOptions
  fileOptions(const std::vector<grammar::FulcrumParser::FileOptionContext*>& options);
  ast::DeclPtr buildData(bool isEntity, grammar::FulcrumParser::IdentContext* name,
                         antlr4::tree::TerminalNode* from,
                         const std::vector<grammar::FulcrumParser::FieldDeclContext*>& fields,
                         antlr4::ParserRuleContext* ctx,
                         const std::vector<grammar::FulcrumParser::FileOptionContext*>& options);
  ast::DeclPtr buildFramework(grammar::FulcrumParser::FrameworkDeclContext* ctx);
  ast::DeclPtr buildTest(grammar::FulcrumParser::TestDeclContext* ctx);
  ast::ExprPtr buildExprUnguarded(grammar::FulcrumParser::ExprContext* ctx);
  ast::ExprPtr buildLiteral(antlr4::Token* token, SourceRange range);
  ast::ExprPtr buildIn(grammar::FulcrumParser::InExprContext* ctx);
  bool windowSpan(antlr4::Token* duration, ast::InExpr& in);
  ast::ExprPtr buildCall(grammar::FulcrumParser::CallExprContext* ctx);
  std::unique_ptr<ast::StringLit> buildString(antlr4::Token* token);
  ast::Ident ident(grammar::FulcrumParser::IdentContext* ctx);
  ast::MemberPtr buildReport(grammar::FulcrumParser::ReportMemberContext* ctx);
  ast::TypeRef typeRef(grammar::FulcrumParser::TypeRefContext* ctx);
  double numberValue(antlr4::Token* token);
  // A money literal in units of 1/10,000 (support/Money.h); an invalid one is reported.
  double moneyUnits(antlr4::Token* token);
  double percentValue(antlr4::Token* token);
  std::optional<ast::ValueRange> valueRange(grammar::FulcrumParser::ValueRangeContext* ctx);
  void periodValue(antlr4::Token* token, ast::PeriodLitExpr& lit);
  void invalidLiteral(antlr4::Token* token, const std::string& what, const std::string& hint);

  TokenPositions pos_;
  DiagnosticSink& sink_;
  HoleParser holeParser_;
  int depth_ = 0;
  bool reportedDepth_ = false;
};

} // namespace fulcrum
