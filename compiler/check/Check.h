// The check phase: resolves every name and assigns every type across all modules, in place,
// and fills the program-wide symbol table the later phases read.
#pragma once

#include "compiler/check/Symbols.h"
#include "compiler/diag/Diagnostic.h"

#include <vector>

namespace fulcrum {

void checkModules(const std::vector<ast::Module*>& modules, const SourceManager& sources,
                  Symbols& symbols, DiagnosticSink& sink);

} // namespace fulcrum
