// The process's cache of whole programs. Compiling the same sources with the same options again
// (a host recompiling a framework, `fulcrum diff A A`, a report's levels) returns the compilation
// and the programs already made from it, plan and JIT'd code, instead of parsing, checking,
// lowering and generating code again.
//
// An entry is found by a key of everything a compilation depends on besides the files' texts:
// the root (a path, or a name and the text given), the working directory (relative
// paths), the `--lib` folders, the standard library's folder and `--only`. It is used only when
// the files still say what they said: every question the compiler asked the file system (which
// candidate paths of an import are files, each text read, compared byte for byte, each
// file's canonical name, which tells whether two imports are one module) is asked again and must
// get the same answer (compiler/cache/RecordingSources.h). A changed, added or
// removed source, import or library file is so a miss, never a stale program.
//
// Entries are shared (`std::shared_ptr`) and immutable once made, so any number of threads use
// one; programs of an entry are made on first use, once per framework and engine. Threads that miss
// the same key together wait for one compile. An entry whose answers no longer hold is dropped
// when it is found so, so a file edited again and again keeps one entry, not one per version. The
// cache keeps the 16 most recently used entries (FULCRUM_PROGRAM_CACHE=N keeps N, up to 4096;
// 0 or `off` none; any other value is reported and turns the cache off); an evicted entry lives on
// while a client holds it. Compilations through a client's own SourceProvider
// (`diff REV:PATH` reads a git revision) are not cached.
#pragma once

#include "compiler/driver/Compilation.h"
#include "runtime/Program.h"

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

namespace fulcrum {

// One framework's program on one engine, made from a compilation, and what making it reported.
struct MadeProgram {
  std::shared_ptr<const runtime::Program> program; // null when it could not be made
  std::vector<Diagnostic> diagnostics;             // lowering's (NotSupportedYet, PlanTooLarge)
  std::string error;                               // no such framework, no engine
};

// A compilation and the programs made from it so far.
class CompiledSources {
public:
  explicit CompiledSources(std::shared_ptr<const Compilation> compilation)
      : compilation_(std::move(compilation)) {}
  const Compilation& compilation() const { return *compilation_; }
  const std::shared_ptr<const Compilation>& shared() const { return compilation_; }
  // The framework's program on `engine` (and the JIT's FULCRUM_JIT_PIPELINE), made on the first
  // call (one at a time: lowering reads the compilation), the same object after. Thread-safe.
  std::shared_ptr<const MadeProgram> program(const std::string& framework,
                                             runtime::EngineKind engine) const;
  // Held by a client that lowers from the compilation itself (`fulcrum_program_test`).
  std::mutex& lowering() const { return making_; }

private:
  std::shared_ptr<const Compilation> compilation_;
  mutable std::mutex making_;
  // By framework, engine and the environment the engine reads (FULCRUM_JIT_PIPELINE).
  mutable std::map<std::tuple<std::string, runtime::EngineKind, std::string>,
                   std::shared_ptr<const MadeProgram>>
      programs_;
};

// compileFile and compileSource through the cache.
std::shared_ptr<const CompiledSources> compileFileCached(const std::string& path,
                                                         const CompileOptions& options = {});
std::shared_ptr<const CompiledSources>
compileSourceCached(const std::string& name, std::string text, const CompileOptions& options = {});

constexpr size_t kDefaultProgramCacheEntries = 16;
constexpr size_t kMaxProgramCacheEntries = 4096;
// FULCRUM_PROGRAM_CACHE's value as a number of entries, or nothing and the message naming it.
std::optional<size_t> parseProgramCacheCapacity(std::string_view value, std::string& error);

struct ProgramCacheStats {
  size_t hits = 0, misses = 0, entries = 0, capacity = 0;
};
ProgramCacheStats programCacheStats();
// Keeps at most `entries` (0: none, and every entry is dropped); tests and benchmarks set it.
void setProgramCacheCapacity(size_t entries);

} // namespace fulcrum
