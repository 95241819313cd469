// Drives the front end: parse the root, follow imports (relative to the importing file, then
// the standard library), check all modules together, sort the diagnostics.
#include "compiler/driver/Compilation.h"

#include "compiler/check/Check.h"
#include "compiler/parse/Parse.h"

#include <cstdlib>
#include <filesystem>
#include <fmt/format.h>
#include <set>

namespace fulcrum {

namespace fs = std::filesystem;

std::string stdlibDirectory() {
  if (const char* dir = std::getenv("FULCRUM_STDLIB"); dir && *dir)
    return dir;
#ifdef FULCRUM_STDLIB_DIR
  return FULCRUM_STDLIB_DIR;
#else
  return "stdlib";
#endif
}

// The file an import names, or empty when there is none.
static std::string resolveImport(const std::string& importer, const std::string& name) {
  std::vector<fs::path> candidates;
  const fs::path base = fs::path(importer).parent_path();
  for (const std::string& suffix : {std::string(".fulcrum"), std::string()}) {
    candidates.push_back(base / (name + suffix));
    if (name.rfind("stdlib/", 0) == 0)
      candidates.push_back(fs::path(stdlibDirectory()) / (name.substr(7) + suffix));
  }
  std::error_code ec;
  for (const fs::path& candidate : candidates)
    if (fs::is_regular_file(candidate, ec))
      return candidate.string();
  return {};
}

static void parseWithImports(Compilation& c, FileId root) {
  std::set<std::string> loaded;
  std::vector<FileId> work{root};
  {
    std::error_code ec;
    loaded.insert(fs::weakly_canonical(c.sources.file(root).path, ec).string());
  }
  bool parsedAll = true;
  while (!work.empty()) {
    const FileId file = work.back();
    work.pop_back();
    auto module = parseFile(c.sources, file, c.diagnostics);
    if (!module) {
      parsedAll = false;
      continue;
    }
    for (const ast::DeclPtr& decl : module->decls) {
      if (!decl->is<ast::ImportDecl>())
        continue;
      const auto& import = decl->as<ast::ImportDecl>();
      const std::string path = resolveImport(c.sources.file(file).path, import.path);
      if (path.empty()) {
        c.diagnostics.report(DiagKind::UnknownImport, import.name.range,
                             fmt::format("cannot find module `{}`", import.path),
                             "imports are looked up next to this file, and `stdlib/...` in "
                             "the standard library (`stdlib/` of the Fulcrum sources)");
        continue;
      }
      std::error_code ec;
      if (!loaded.insert(fs::weakly_canonical(path, ec).string()).second)
        continue;
      FileId imported = 0;
      std::string error;
      if (!c.sources.load(path, imported, error)) {
        c.diagnostics.report(DiagKind::FileNotReadable, import.name.range,
                             fmt::format("cannot read `{}`: {}", path, error));
        continue;
      }
      work.push_back(imported);
    }
    c.modules.push_back(std::move(module));
  }
  if (!parsedAll || c.diagnostics.hasErrors())
    return;
  std::vector<ast::Module*> modules;
  for (auto& module : c.modules)
    modules.push_back(module.get());
  checkModules(modules, c.sources, c.symbols, c.diagnostics);
}

std::unique_ptr<Compilation> compileSource(const std::string& name, std::string text) {
  auto c = std::make_unique<Compilation>();
  const FileId root = c->sources.add(name, std::move(text));
  parseWithImports(*c, root);
  c->diagnostics.sort();
  return c;
}

std::unique_ptr<Compilation> compileFile(const std::string& path) {
  auto c = std::make_unique<Compilation>();
  FileId root = 0;
  std::string error;
  if (!c->sources.load(path, root, error)) {
    // No source to point into: a synthetic one-line file carries the message.
    const FileId id = c->sources.add(path, "");
    c->diagnostics.report(DiagKind::FileNotReadable, SourceRange{id, {1, 1}, {1, 1}},
                          fmt::format("cannot read `{}`: {}", path, error));
    return c;
  }
  parseWithImports(*c, root);
  c->diagnostics.sort();
  return c;
}

} // namespace fulcrum
