// The plan's own copies of what it needs from the program's declarations, made at plan time so
// that nothing after the lowering reads the AST: tables with their fields and files, params with
// their types and defaults, and the runtime's type of a checked value.
#pragma once

#include "compiler/driver/Compilation.h"
#include "runtime/plan/Plan.h"

#include <optional>
#include <vector>

namespace fulcrum::lower {

using namespace fulcrum::runtime;

ValueType valueTypeOf(const ast::Type& type);

// `decl` as the plan describes it, its `from` path resolved against the declaring file.
PlanTable planTable(const ast::DataDecl& decl, const SourceManager& sources,
                    const Currency& currency);

// The value of a number, percent, money, date, period or bool literal as the plan holds it;
// nullopt for anything else (a duration's days depend on its unit: the callers decide).
std::optional<double> literalNumber(const ast::Expr& expr);

// A UserParam run parameter for `param`: its name, type and default.
RunParamSpec userParamSpec(const ast::ParamDecl& param);

// The entities that `tables`' references lead to, transitively, that are not among `tables`, in
// the order a walk from the tables meets them (groups and `company` are not followed).
std::vector<PlanTable> referencedEntities(const std::vector<PlanTable>& tables,
                                          const Symbols& symbols, const SourceManager& sources);

// Every table, entity and group the program declares, by name.
std::vector<DeclaredData> declaredData(const Symbols& symbols);

} // namespace fulcrum::lower
