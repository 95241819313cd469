// One compilation: a root file and what it imports, parsed and checked. The product of the
// front end; the lowering (compiler/lower/) and the CLI read it.
#pragma once

#include "compiler/ast/Ast.h"
#include "compiler/check/Symbols.h"
#include "compiler/diag/Diagnostic.h"
#include "compiler/driver/SubjectFilter.h"
#include "compiler/source/SourceProvider.h"

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace fulcrum {

struct Compilation {
  SourceManager sources;
  std::vector<std::unique_ptr<ast::Module>> modules; // the root file's first
  Symbols symbols;
  DiagnosticSink diagnostics;

  bool ok() const { return !diagnostics.hasErrors(); }
};

struct CompileOptions {
  // Where `import "NAME"` is looked up after the importing file's folder (`--lib DIR`), before
  // the standard library.
  std::vector<std::string> libraryDirs;
  // Where the root file and its imports are read from; null: the file system.
  std::shared_ptr<const SourceProvider> sources;
  // `--only EXPR`: a condition over the subjects of one framework, checked with the program and
  // evaluated as its output kOnlyOutput (compiler/driver/SubjectFilter.h).
  std::optional<SubjectFilter> only;

  const SourceProvider& provider() const { return sources ? *sources : fileSystemSources(); }
};

// Parses `path` and, transitively, its imports; checks everything when all of it parsed.
std::unique_ptr<Compilation> compileFile(const std::string& path,
                                         const CompileOptions& options = {});
// The same for text already in memory (`name` is used in diagnostics).
std::unique_ptr<Compilation> compileSource(const std::string& name, std::string text,
                                           const CompileOptions& options = {});

// Where `import "stdlib/okr"` is looked up: $FULCRUM_STDLIB, else the installed standard library
// next to the library or binary this code is part of, else the source tree's (StdlibLocation.cpp).
std::string stdlibDirectory();

} // namespace fulcrum
