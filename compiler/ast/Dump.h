// A readable text form of a (checked) module, for `fulcrum check --dump-ast` and its tests.
#pragma once

#include "compiler/ast/Ast.h"

#include <string>

namespace fulcrum::ast {

std::string dumpModule(const Module& module, const SourceManager& sources);

} // namespace fulcrum::ast
