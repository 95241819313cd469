// `fulcrum fmt`'s engine: a file's text in the canonical layout, proven to mean the same.
#pragma once

#include "compiler/diag/Diagnostic.h"
#include "compiler/source/SourceManager.h"

#include <string>

namespace fulcrum::format {

struct Formatted {
  bool parsed = false; // false: the file has syntax errors, reported to the sink
  std::string text;    // the file in the canonical layout (when parsed and no internalError)
  // Non-empty when the layout would have changed the program or lost a comment: a bug of the
  // formatter, caught before anything is written.
  std::string internalError;
};

// Formats `file` of `sources` (layout rules: Layout.h). The result is checked before it is
// handed back: it parses to the same AST (positions aside) and holds the same comments in the
// same order.
Formatted formatFile(const SourceManager& sources, FileId file, DiagnosticSink& sink);

// `dumpModule` without positions: what two layouts of one program have in common.
std::string dumpWithoutPositions(const std::string& dump);

} // namespace fulcrum::format
