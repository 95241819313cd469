// Compiling: compile options, a file or text to a fulcrum_program, and its warnings. A program's
// frameworks get their runtime programs on first use (ensureProgram), once each.
#include "api/Handles.h"
#include "compiler/lower/MakeProgram.h"
#include "support/Sha256.h"

#include <cstring>
#include <fmt/format.h>
#include <set>

namespace fulcrum::api {

namespace {

// The program of a finished compilation: every framework it declares, in declaration order (the
// root file's first), or a compile error with every diagnostic.
fulcrum_status finish(std::shared_ptr<const CompiledSources> compiled, runtime::EngineKind engine,
                      fulcrum_program** out, fulcrum_error** error) {
  const std::shared_ptr<const Compilation>& compilation = compiled->shared();
  if (!compilation->ok()) {
    auto made = std::make_unique<fulcrum_error>();
    made->status = FULCRUM_COMPILE_ERROR;
    for (const Diagnostic& d : compilation->diagnostics.diagnostics()) {
      made->message += renderText(d, compilation->sources);
      made->diagnostics.push_back(diagOf(d, compilation->sources));
    }
    return fail(error, std::move(made));
  }
  auto program = std::make_unique<fulcrum_program>();
  program->engine = engine;
  for (const Diagnostic& d : compilation->diagnostics.diagnostics())
    program->warnings.push_back(diagOf(d, compilation->sources));
  std::set<std::string> seen;
  for (const auto& module : compilation->modules) {
    if (!module || module->implicit)
      continue;
    for (const ast::DeclPtr& decl : module->decls) {
      if (!decl->is<ast::FrameworkDecl>())
        continue;
      const std::string& name = decl->as<ast::FrameworkDecl>().name.name;
      if (!seen.insert(name).second)
        continue;
      auto framework = std::make_unique<Framework>();
      framework->name = name;
      program->frameworks.push_back(std::move(framework));
      program->descriptions.push_back(nullptr);
    }
  }
  program->described = std::vector<std::once_flag>(program->frameworks.size());
  program->compilation = compilation;
  program->compiled = std::move(compiled);
  *out = program.release();
  return FULCRUM_OK;
}

CompileOptions compileOptionsOf(const fulcrum_compile_options* options) {
  return options ? options->compile : CompileOptions{};
}

runtime::EngineKind engineOf(const fulcrum_compile_options* options) {
  return options ? options->engine : runtime::EngineKind::Jit;
}

} // namespace

Framework* frameworkNamed(const fulcrum_program& program, const char* name, fulcrum_error** error,
                          fulcrum_status& status) {
  status = FULCRUM_OK;
  if (!name) {
    if (program.frameworks.size() == 1)
      return program.frameworks[0].get();
    status = fail(error, FULCRUM_USAGE_ERROR,
                  program.frameworks.empty()
                      ? "the program declares no framework"
                      : "the program declares " + std::to_string(program.frameworks.size()) +
                            " frameworks: name one");
    return nullptr;
  }
  std::vector<std::string> names;
  for (const auto& framework : program.frameworks) {
    if (framework->name == name)
      return framework.get();
    names.push_back(framework->name);
  }
  const NameSuggestion suggestion = suggestName(name, names);
  std::string message = std::string("no framework named `") + name + "`";
  if (!suggestion.hint.empty())
    message += "; " + suggestion.hint;
  status = fail(error, FULCRUM_USAGE_ERROR, message, "UnknownName");
  return nullptr;
}

fulcrum_status ensureProgram(const fulcrum_program& program, Framework& framework,
                             fulcrum_error** error) {
  std::call_once(framework.once, [&] {
    const std::shared_ptr<const MadeProgram> made =
        program.compiled->program(framework.name, program.engine);
    const std::string& message = made->error;
    framework.program = made->program;
    for (const Diagnostic& d : made->diagnostics) {
      framework.message += renderText(d, program.compilation->sources);
      framework.diagnostics.push_back(diagOf(d, program.compilation->sources));
    }
    if (!framework.program && !message.empty()) {
      framework.message += message + "\n";
      Diag diag;
      diag.kind = "CompileError";
      diag.message = message;
      framework.diagnostics.push_back(std::move(diag));
    }
  });
  if (framework.program)
    return FULCRUM_OK;
  auto made = std::make_unique<fulcrum_error>();
  made->status = FULCRUM_COMPILE_ERROR;
  made->message = framework.message;
  made->diagnostics = framework.diagnostics;
  return fail(error, std::move(made));
}

} // namespace fulcrum::api

using namespace fulcrum;
using namespace fulcrum::api;

extern "C" {

fulcrum_status fulcrum_compile_options_new(fulcrum_compile_options** out) {
  return guarded(nullptr, [&] {
    if (!out)
      return FULCRUM_USAGE_ERROR;
    *out = new fulcrum_compile_options();
    return FULCRUM_OK;
  });
}

fulcrum_status fulcrum_compile_options_add_import_path(fulcrum_compile_options* options,
                                                       const char* directory) {
  return guarded(nullptr, [&] {
    if (!options || !directory)
      return FULCRUM_USAGE_ERROR;
    options->compile.libraryDirs.emplace_back(directory);
    return FULCRUM_OK;
  });
}

fulcrum_status fulcrum_compile_options_set_engine(fulcrum_compile_options* options,
                                                  fulcrum_engine engine) {
  if (!options || (engine != FULCRUM_ENGINE_JIT && engine != FULCRUM_ENGINE_INTERPRETER))
    return FULCRUM_USAGE_ERROR;
  options->engine =
      engine == FULCRUM_ENGINE_JIT ? runtime::EngineKind::Jit : runtime::EngineKind::Interpreter;
  return FULCRUM_OK;
}

void fulcrum_compile_options_free(fulcrum_compile_options* options) {
  delete options;
}

fulcrum_status fulcrum_compile_file(const char* path, const fulcrum_compile_options* options,
                                    fulcrum_program** out, fulcrum_error** error) {
  return guarded(error, [&] {
    if (out)
      *out = nullptr;
    if (!path)
      return nullArgument(error, "path");
    if (!out)
      return nullArgument(error, "out");
    return finish(compileFileCached(path, compileOptionsOf(options)), engineOf(options), out,
                  error);
  });
}

fulcrum_status fulcrum_compile_text(const char* name, const char* text, size_t length,
                                    const fulcrum_compile_options* options, fulcrum_program** out,
                                    fulcrum_error** error) {
  return guarded(error, [&] {
    if (out)
      *out = nullptr;
    if (!name)
      return nullArgument(error, "name");
    if (!text && length > 0)
      return nullArgument(error, "text");
    if (!out)
      return nullArgument(error, "out");
    return finish(
        compileSourceCached(name, std::string(text ? text : "", length), compileOptionsOf(options)),
        engineOf(options), out, error);
  });
}

void fulcrum_program_free(fulcrum_program* program) {
  delete program;
}

fulcrum_status fulcrum_program_warning_count(const fulcrum_program* program, size_t* out) {
  if (!program || !out)
    return FULCRUM_USAGE_ERROR;
  *out = program->warnings.size();
  return FULCRUM_OK;
}

fulcrum_status fulcrum_program_source_digest(const fulcrum_program* program, char* out) {
  if (!program || !out || !program->compilation)
    return FULCRUM_USAGE_ERROR;
  // Each file as its place, its length and its text, so that no two lists of files run together.
  std::string bytes;
  const SourceManager& sources = program->compilation->sources;
  for (FileId id = 0; id < sources.size(); ++id) {
    const SourceFile& file = sources.file(id);
    bytes += fmt::format("{}\n{}\n", file.location, file.text.size());
    bytes += file.text;
  }
  const std::string hex = sha256Hex(bytes);
  std::memcpy(out, hex.c_str(), hex.size() + 1);
  return FULCRUM_OK;
}

fulcrum_status fulcrum_program_warning(const fulcrum_program* program, size_t index,
                                       fulcrum_diagnostic* out) {
  if (!program || !out || index >= program->warnings.size())
    return FULCRUM_USAGE_ERROR;
  fill(program->warnings[index], *out);
  return FULCRUM_OK;
}

} // extern "C"
