// A framework reading another's outputs (`team_okrs.revenue.score`): how the other framework's
// subjects relate to the reader's. One rule for the checker and the lowering.
#pragma once

#include "compiler/ast/Ast.h"
#include "compiler/check/Symbols.h"

namespace fulcrum {

enum class FrameworkRelation : uint8_t {
  Same,    // the same subject: each subject reads its own row
  Parent,  // the level above: the company (its one row) or the group the subject belongs to
  Members, // the level below: the reader's subject is the company, or a group of the other's
  None
};

// How the subjects of a framework over `read` relate to those of one over `reader`.
FrameworkRelation frameworkRelation(const ast::DataDecl& reader, const ast::DataDecl& read,
                                    const Symbols& symbols);

// The framework's outputs as a table (FrameworkDecl::results): a field per output column, named
// and typed as the column (`won.target: money`, `revenue.grade: text?`), in output order.
std::unique_ptr<ast::DataDecl> resultsTable(const ast::FrameworkDecl& framework,
                                            const std::map<const void*, ast::Type>& types);

} // namespace fulcrum
