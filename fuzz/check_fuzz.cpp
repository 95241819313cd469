// Fuzz target 1: any bytes as a framework file -> parse, check, plan. Diagnostics are expected;
// a crash, a hang, a leak or an error without a usable position is a bug.
#include "compiler/diag/Diagnostic.h"
#include "compiler/driver/Compilation.h"
#include "compiler/lower/MakeProgram.h"
#include "runtime/Program.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>

namespace {

// A failed property: report it the way a sanitizer would, so libFuzzer keeps the input.
[[noreturn]] void fail(const char* what, const std::string& detail) {
  std::fprintf(stderr, "check_fuzz: %s\n%s\n", what, detail.c_str());
  std::abort();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace fulcrum;
  std::shared_ptr<const Compilation> compilation =
      compileSource("fuzz.fulcrum", std::string(reinterpret_cast<const char*>(data), size));
  for (const Diagnostic& diagnostic : compilation->diagnostics.diagnostics()) {
    // Every diagnostic points at a real line of a real file and renders.
    const SourceFile& file = compilation->sources.file(diagnostic.range.file);
    const std::string shown = renderText(diagnostic, compilation->sources);
    if (diagnostic.message.empty() || diagnostic.range.begin.line == 0 ||
        diagnostic.range.begin.line > file.lineStarts.size() + 1)
      fail("a diagnostic without a message or a position in its file", shown);
  }
  (void)renderJson(compilation->diagnostics.diagnostics(), compilation->sources);
  if (!compilation->ok())
    return 0;
  // A clean file plans: every framework gets an interpreter program (no JIT: it is the slow
  // part, and the differential target covers it).
  for (const auto& decl : compilation->modules.front()->decls) {
    if (!decl->is<ast::FrameworkDecl>())
      continue;
    DiagnosticSink sink;
    std::string error;
    auto program =
        makeProgram(*compilation, decl->name.name, runtime::EngineKind::Interpreter, sink, error);
    if (!program && error.empty() && !sink.hasErrors())
      fail("makeProgram failed without saying why", decl->name.name);
  }
  return 0;
}
