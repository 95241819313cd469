// The type and unit rules of language.md as pure functions over type kinds: what `a op b`
// gives, what compares with what, and what a declared type accepts. Unit-tested as a table.
#pragma once

#include "compiler/ast/Ast.h"

#include <string>

namespace fulcrum {

struct UnitResult {
  ast::TypeKind kind = ast::TypeKind::Error;
  std::string error; // empty when the operation is allowed
  std::string hint;
  bool ok() const { return error.empty(); }
};

// `+ - * / ^` on two kinds.
UnitResult arithmeticResult(ast::BinaryOp op, ast::TypeKind lhs, ast::TypeKind rhs);
// `== != < <= > >=` on two kinds (the result is always bool).
UnitResult comparisonResult(ast::BinaryOp op, ast::TypeKind lhs, ast::TypeKind rhs);
// The kind both branches of if/case/`??` share (`money` and a bare number give money).
UnitResult unifyKinds(ast::TypeKind a, ast::TypeKind b);
// Whether a value of kind `from` may be stored where `to` is declared.
bool assignable(ast::TypeKind from, ast::TypeKind to);
// The kind a bare literal settles on when nothing gives it a unit.
ast::TypeKind settle(ast::TypeKind kind);
std::string kindName(ast::TypeKind kind);

} // namespace fulcrum
