// Visiting an expression's direct children, in source order.
#pragma once

#include "compiler/ast/Ast.h"

#include <algorithm>
#include <vector>

namespace fulcrum::ast {

template <typename E, typename F> void forEachChild(E& expr, F&& visit) {
  auto each = [&](auto& ptr) {
    if (ptr)
      visit(*ptr);
  };
  switch (expr.kind) {
  case ExprKind::String:
    for (auto& part : expr.template as<StringLit>().parts)
      each(part.expr);
    break;
  case ExprKind::Member:
    each(expr.template as<MemberRef>().base);
    break;
  case ExprKind::Unary:
    each(expr.template as<UnaryExpr>().operand);
    break;
  case ExprKind::Binary:
    each(expr.template as<BinaryExpr>().lhs);
    each(expr.template as<BinaryExpr>().rhs);
    break;
  case ExprKind::IsMissing:
    each(expr.template as<IsMissingExpr>().operand);
    break;
  case ExprKind::In:
    each(expr.template as<InExpr>().value);
    for (auto& item : expr.template as<InExpr>().items)
      each(item);
    break;
  case ExprKind::If:
    each(expr.template as<IfExpr>().condition);
    each(expr.template as<IfExpr>().thenValue);
    each(expr.template as<IfExpr>().elseValue);
    break;
  case ExprKind::Case:
    for (auto& arm : expr.template as<CaseExpr>().arms) {
      each(arm.condition);
      each(arm.value);
    }
    each(expr.template as<CaseExpr>().elseValue);
    break;
  case ExprKind::Call: {
    auto& call = expr.template as<CallExpr>();
    for (auto& arg : call.args)
      each(arg);
    each(call.where);
    each(call.orderBy);
    break;
  }
  default:
    break;
  }
}

// Pre-order over the whole tree with an explicit stack.
template <typename E, typename F> void walkPreorder(E& root, F&& visit) {
  std::vector<E*> stack{&root};
  while (!stack.empty()) {
    E* expr = stack.back();
    stack.pop_back();
    visit(*expr);
    const size_t mark = stack.size();
    forEachChild(*expr, [&](E& child) { stack.push_back(&child); });
    std::reverse(stack.begin() + static_cast<std::ptrdiff_t>(mark), stack.end());
  }
}

} // namespace fulcrum::ast
