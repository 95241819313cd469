// Tokens for the formatter: the file is lexed (comments kept: they are on the hidden channel)
// and parsed whole, and the parse tree marks each token's part in the layout.
#include "compiler/parse/LayoutTokens.h"

#include "compiler/parse/ParseSession.h"

#include <algorithm>

namespace fulcrum {

using grammar::FulcrumLexer;
using grammar::FulcrumParser;

namespace {

// Marks tokens by their place in the parse tree; `marks` is indexed by token index.
class TreeMarker {
public:
  explicit TreeMarker(std::vector<LayoutToken>& marks) : marks_(marks) {}

  // Walks the tree with an explicit stack: a long expression makes a deep tree.
  void markAll(antlr4::tree::ParseTree* root) {
    std::vector<antlr4::tree::ParseTree*> stack{root};
    while (!stack.empty()) {
      antlr4::tree::ParseTree* node = stack.back();
      stack.pop_back();
      if (auto* ctx = dynamic_cast<antlr4::ParserRuleContext*>(node)) {
        mark(ctx);
        stack.insert(stack.end(), ctx->children.begin(), ctx->children.end());
      }
    }
  }

private:
  LayoutToken& at(antlr4::Token* token) { return marks_[token->getTokenIndex()]; }
  LayoutToken& at(antlr4::tree::TerminalNode* node) { return at(node->getSymbol()); }

  void block(antlr4::tree::TerminalNode* open, antlr4::tree::TerminalNode* close) {
    if (open)
      at(open).role = TokenRole::BlockOpen;
    if (close)
      at(close).role = TokenRole::BlockClose;
  }
  void item(antlr4::ParserRuleContext* ctx) { at(ctx->getStart()).startsItem = true; }

  void mark(antlr4::ParserRuleContext* ctx) {
    using P = FulcrumParser;
    if (auto* decl = dynamic_cast<P::DeclContext*>(ctx)) {
      at(decl->getStart()).startsDecl = true;
      at(decl->getStop()).endsDecl = true;
    } else if (auto* entity = dynamic_cast<P::EntityDeclContext*>(ctx)) {
      block(entity->LBRACE(), entity->RBRACE());
    } else if (auto* table = dynamic_cast<P::TableDeclContext*>(ctx)) {
      block(table->LBRACE(), table->RBRACE());
    } else if (dynamic_cast<P::FieldDeclContext*>(ctx) || dynamic_cast<P::KeyResultContext*>(ctx)) {
      item(ctx);
    } else if (auto* head = dynamic_cast<P::FrameworkHeadContext*>(ctx)) {
      block(head->LBRACE(), nullptr);
    } else if (auto* framework = dynamic_cast<P::FrameworkDeclContext*>(ctx)) {
      block(nullptr, framework->RBRACE());
    } else if (dynamic_cast<P::MemberContext*>(ctx)) {
      item(ctx);
      if (auto* score = dynamic_cast<P::ScoreMemberContext*>(ctx)) {
        block(score->LBRACE(), score->RBRACE());
        const int group = static_cast<int>(score->LBRACE()->getSymbol()->getTokenIndex());
        for (P::ComponentContext* component : score->component())
          at(component->weight).alignGroup = group;
      } else if (auto* objective = dynamic_cast<P::ObjectiveMemberContext*>(ctx)) {
        block(objective->LBRACE(), objective->RBRACE());
      } else if (auto* report = dynamic_cast<P::ReportMemberContext*>(ctx)) {
        block(report->LBRACE(), report->RBRACE());
      }
    } else if (dynamic_cast<P::ReportHintContext*>(ctx)) {
      item(ctx);
    } else if (dynamic_cast<P::ComponentContext*>(ctx)) {
      item(ctx);
    } else if (auto* caseExpr = dynamic_cast<P::CaseExprContext*>(ctx)) {
      block(caseExpr->LBRACE(), caseExpr->RBRACE());
      const int group = static_cast<int>(caseExpr->LBRACE()->getSymbol()->getTokenIndex());
      for (P::CaseArmContext* arm : caseExpr->caseArm()) {
        item(arm);
        at(arm->ARROW()).alignGroup = group;
      }
      if (caseExpr->ELSE()) {
        at(caseExpr->ELSE()).startsItem = true;
        at(caseExpr->ARROW()).alignGroup = group;
      }
    } else if (auto* test = dynamic_cast<P::TestDeclContext*>(ctx)) {
      block(test->LBRACE(), test->RBRACE());
    } else if (dynamic_cast<P::TestItemContext*>(ctx)) {
      item(ctx);
      if (auto* expect = dynamic_cast<P::TestExpectContext*>(ctx))
        inlineBraces(expect->LBRACE(), expect->RBRACE());
      else if (auto* row = dynamic_cast<P::TestRowContext*>(ctx))
        inlineBraces(row->LBRACE(), row->RBRACE());
    } else if (auto* call = dynamic_cast<P::CallExprContext*>(ctx)) {
      at(call->callee->getStart()).role = TokenRole::Callee;
    } else if (auto* fn = dynamic_cast<P::FnDeclContext*>(ctx)) {
      at(fn->ident()->getStart()).role = TokenRole::Callee;
    } else if (auto* binary = dynamic_cast<P::BinaryExprContext*>(ctx)) {
      at(binary->op).role = TokenRole::BinaryOperator;
    } else if (auto* unary = dynamic_cast<P::UnaryExprContext*>(ctx)) {
      if (unary->MINUS())
        at(unary->MINUS()).role = TokenRole::PrefixMinus;
    } else if (auto* bound = dynamic_cast<P::RangeBoundContext*>(ctx)) {
      for (antlr4::tree::ParseTree* child : bound->children)
        if (auto* terminal = dynamic_cast<antlr4::tree::TerminalNode*>(child))
          at(terminal).role = terminal->getSymbol()->getType() == FulcrumLexer::MINUS
                                  ? TokenRole::PrefixMinus
                                  : TokenRole::RangeBound;
    }
  }

  void inlineBraces(antlr4::tree::TerminalNode* open, antlr4::tree::TerminalNode* close) {
    at(open).role = TokenRole::InlineOpen;
    at(close).role = TokenRole::InlineClose;
  }

  std::vector<LayoutToken>& marks_;
};

// The role a token has wherever it stands.
TokenRole roleOfType(size_t type) {
  switch (type) {
  case FulcrumLexer::LINE_COMMENT:
    return TokenRole::LineComment;
  case FulcrumLexer::BLOCK_COMMENT:
    return TokenRole::BlockComment;
  case FulcrumLexer::LPAREN:
    return TokenRole::OpenParen;
  case FulcrumLexer::RPAREN:
    return TokenRole::CloseParen;
  case FulcrumLexer::DOTDOT:
    return TokenRole::DotDot;
  case FulcrumLexer::DOT:
    return TokenRole::Dot;
  case FulcrumLexer::COMMA:
    return TokenRole::Comma;
  case FulcrumLexer::COLON:
    return TokenRole::Colon;
  case FulcrumLexer::QUESTION:
    return TokenRole::Question;
  default:
    return TokenRole::Plain;
  }
}

} // namespace

std::optional<std::vector<LayoutToken>> layoutTokens(const std::string& text) {
  const std::lock_guard<std::mutex> turn(parsingTurn());
  DiagnosticSink ignored; // parseFile reports the same errors
  ParseSession session(text, TokenPositions{}, ignored, PredictionCaches::forNextFile());
  FulcrumParser::ProgramContext* tree = nullptr;
  try {
    if (session.lex())
      tree = session.parse(&FulcrumParser::program);
  } catch (const LimitReached&) {
    return std::nullopt;
  } catch (const TooManySyntaxErrors&) {
    return std::nullopt;
  }
  if (tree == nullptr || ignored.hasErrors())
    return std::nullopt;
  const std::vector<antlr4::Token*> tokens = session.allTokens();
  std::vector<LayoutToken> marks(tokens.size());
  for (size_t i = 0; i < tokens.size(); ++i) {
    LayoutToken& mark = marks[i];
    mark.text = tokens[i]->getText();
    mark.line = static_cast<uint32_t>(tokens[i]->getLine());
    mark.endLine =
        mark.line + static_cast<uint32_t>(std::count(mark.text.begin(), mark.text.end(), '\n'));
    mark.role = roleOfType(tokens[i]->getType());
  }
  TreeMarker(marks).markAll(tree);
  // The end-of-file token carries no text.
  if (!tokens.empty() && tokens.back()->getType() == antlr4::Token::EOF)
    marks.pop_back();
  return marks;
}

} // namespace fulcrum
