// Drives the front end: parse the root, follow imports (relative to the importing file, then
// the standard library), check all modules together, sort the diagnostics.
#include "compiler/driver/Compilation.h"

#include "compiler/check/Check.h"
#include "compiler/check/Graph.h"
#include "compiler/parse/Parse.h"

#include <filesystem>
#include <fmt/format.h>
#include <map>

namespace fulcrum {

namespace fs = std::filesystem;

// The file an import names, or empty when there is none: next to the importing file, then in
// each `--lib` folder, then (for `stdlib/NAME`) in the standard library.
static std::string resolveImport(const std::string& importer, const std::string& name,
                                 const CompileOptions& options) {
  std::vector<fs::path> folders{fs::path(importer).parent_path()};
  for (const std::string& dir : options.libraryDirs)
    folders.emplace_back(dir);
  std::vector<fs::path> candidates;
  for (const std::string& suffix : {std::string(".fulcrum"), std::string()}) {
    for (const fs::path& folder : folders)
      candidates.push_back(folder / (name + suffix));
    if (name.rfind("stdlib/", 0) == 0)
      candidates.push_back(fs::path(stdlibDirectory()) / (name.substr(7) + suffix));
  }
  for (const fs::path& candidate : candidates)
    if (options.provider().isFile(candidate.string()))
      return candidate.string();
  return {};
}

// Reports each cycle of imports once, at the import that closes it.
static void
reportImportCycles(Compilation& c,
                   const std::vector<std::vector<std::pair<FileId, SourceRange>>>& imports) {
  std::vector<std::vector<int>> graph(imports.size());
  for (size_t file = 0; file < imports.size(); ++file)
    for (const auto& [target, range] : imports[file])
      graph[file].push_back(static_cast<int>(target));
  for (const std::vector<int>& cycle : orderDependencies(graph).cycles) {
    std::string path;
    for (int file : cycle)
      path += (path.empty() ? "" : " -> ") + c.sources.file(static_cast<FileId>(file)).path;
    const auto closing = static_cast<size_t>(cycle[cycle.size() - 2]);
    for (const auto& [target, range] : imports[closing])
      if (static_cast<int>(target) == cycle.back()) {
        c.diagnostics.report(DiagKind::ImportCycle, range, "modules import each other: " + path,
                             "move what both need into a third module that imports neither");
        break;
      }
  }
}

// An objective is graded by the standard library's `grade` (stdlib/okr), whether the program
// imports it or not: the module is marked, and read (without declaring its names) when it is
// not imported.
static void addStandardOkr(Compilation& c, const std::map<std::string, FileId>& loaded,
                           const CompileOptions& options) {
  const ast::Member* objective = nullptr;
  for (const auto& module : c.modules)
    for (const ast::DeclPtr& decl : module->decls)
      if (decl->is<ast::FrameworkDecl>())
        for (const ast::MemberPtr& member : decl->as<ast::FrameworkDecl>().members)
          if (!objective && member->is<ast::ObjectiveMember>())
            objective = member.get();
  if (!objective)
    return;
  const fs::path path = fs::path(stdlibDirectory()) / "okr.fulcrum";
  const std::string canonical = options.provider().canonical(path.string());
  if (auto known = loaded.find(canonical); known != loaded.end()) {
    for (auto& module : c.modules)
      if (module->file == known->second)
        module->standardOkr = true;
    return;
  }
  FileId file = 0;
  std::string error;
  if (!c.sources.load(path.string(), file, error, options.provider())) {
    c.diagnostics.report(DiagKind::UnknownImport, objective->range,
                         fmt::format("cannot read the standard library's `{}`, which grades "
                                     "objectives: {}",
                                     path.string(), error),
                         "set FULCRUM_STDLIB to the folder of the standard library");
    return;
  }
  auto module = parseFile(c.sources, file, c.diagnostics);
  if (!module)
    return;
  module->standardOkr = true;
  module->implicit = true;
  c.modules.push_back(std::move(module));
}

static void parseWithImports(Compilation& c, FileId root, const CompileOptions& options) {
  std::map<std::string, FileId> loaded;
  // imports[file]: the files it imports, with the range of each import, for cycles.
  std::vector<std::vector<std::pair<FileId, SourceRange>>> imports(1);
  std::vector<FileId> work{root};
  loaded.emplace(options.provider().canonical(c.sources.file(root).location), root);
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
      const std::string path = resolveImport(c.sources.file(file).location, import.path, options);
      if (path.empty()) {
        c.diagnostics.report(DiagKind::UnknownImport, import.name.range,
                             fmt::format("cannot find module `{}`", import.path),
                             "imports are looked up next to this file, in each `--lib` folder, "
                             "and `stdlib/...` in the standard library");
        continue;
      }
      const std::string canonical = options.provider().canonical(path);
      if (auto known = loaded.find(canonical); known != loaded.end()) {
        imports[file].emplace_back(known->second, import.name.range);
        continue;
      }
      FileId imported = 0;
      std::string error;
      if (!c.sources.load(path, imported, error, options.provider())) {
        c.diagnostics.report(DiagKind::FileNotReadable, import.name.range,
                             fmt::format("cannot read `{}`: {}", path, error));
        continue;
      }
      loaded.emplace(canonical, imported);
      imports.resize(c.sources.size());
      imports[file].emplace_back(imported, import.name.range);
      work.push_back(imported);
    }
    c.modules.push_back(std::move(module));
  }
  imports.resize(c.sources.size());
  reportImportCycles(c, imports);
  if (parsedAll)
    addStandardOkr(c, loaded, options);
  if (parsedAll && options.only)
    parsedAll = addSubjectFilter(*options.only, c.sources, c.modules, c.diagnostics);
  if (!parsedAll || c.diagnostics.hasErrors())
    return;
  std::vector<ast::Module*> modules;
  for (auto& module : c.modules)
    modules.push_back(module.get());
  if (!options.only) {
    checkModules(modules, c.sources, c.symbols, c.diagnostics);
    return;
  }
  DiagnosticSink checked;
  checkModules(modules, c.sources, c.symbols, checked);
  explainSubjectFilterDiagnostics(*options.only, c.sources, c.modules, checked.diagnostics(),
                                  c.diagnostics);
}

std::unique_ptr<Compilation> compileSource(const std::string& name, std::string text,
                                           const CompileOptions& options) {
  auto c = std::make_unique<Compilation>();
  const FileId root = c->sources.add(name, std::move(text));
  parseWithImports(*c, root, options);
  c->diagnostics.sort();
  return c;
}

std::unique_ptr<Compilation> compileFile(const std::string& path, const CompileOptions& options) {
  auto c = std::make_unique<Compilation>();
  FileId root = 0;
  std::string error;
  if (!c->sources.load(path, root, error, options.provider())) {
    // No source to point into: a synthetic one-line file carries the message.
    const std::string shown = options.provider().shownName(path);
    const FileId id = c->sources.add(shown, "", path);
    c->diagnostics.report(DiagKind::FileNotReadable, SourceRange{id, {1, 1}, {1, 1}},
                          fmt::format("cannot read `{}`: {}", shown, error));
    return c;
  }
  parseWithImports(*c, root, options);
  c->diagnostics.sort();
  return c;
}

} // namespace fulcrum
