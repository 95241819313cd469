// `--only EXPR` (run, alerts, report, diff): the subjects a run shows, chosen by a condition over
// each subject's fields. The condition is its own source file, named `--only`, so its diagnostics
// point into the flag's text; it is checked as a `bool` metric of the framework (kOnlyOutput),
// and evaluated by both engines like any metric. Peer aggregates, ranks and medians still see
// every subject: the run filters its output (cli/ScopedRun.h), never its input.
#pragma once

#include "compiler/ast/Ast.h"
#include "compiler/diag/Diagnostic.h"

#include <string>
#include <vector>

namespace fulcrum {

struct SubjectFilter {
  std::string framework; // the framework whose subjects it filters
  std::string text;      // the condition as given
};

// The output column that holds the condition's value; no name a source can declare.
inline constexpr const char* kOnlyOutput = "--only";
// The name of the condition's source file, as diagnostics show it.
inline constexpr const char* kOnlySource = "--only";

// Adds the condition's source to `sources`, parses it and appends it to the framework named
// `filter.framework` (when some module declares one; else the run reports the unknown framework)
// as the metric kOnlyOutput. Returns false after reporting a syntax error.
bool addSubjectFilter(const SubjectFilter& filter, SourceManager& sources,
                      std::vector<std::unique_ptr<ast::Module>>& modules, DiagnosticSink& sink);

// The checker's diagnostics about the condition, said as being about a flag: a value that is no
// condition, an unknown name (with the subject's fields listed). Others pass unchanged.
void explainSubjectFilterDiagnostics(const SubjectFilter& filter, const SourceManager& sources,
                                     const std::vector<std::unique_ptr<ast::Module>>& modules,
                                     const std::vector<Diagnostic>& checked, DiagnosticSink& into);

} // namespace fulcrum
