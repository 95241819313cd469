// The process's cache of whole programs (see ProgramCache.h): a list of entries, most recently
// used first, each with its key and the file system's answers it was compiled from.
#include "compiler/cache/ProgramCache.h"

#include "compiler/cache/RecordingSources.h"
#include "compiler/lower/MakeProgram.h"

#include <cstdlib>
#include <filesystem>
#include <list>

namespace fulcrum {

std::shared_ptr<const MadeProgram> CompiledSources::program(const std::string& framework,
                                                            runtime::EngineKind engine) const {
  std::lock_guard<std::mutex> lock(making_);
  auto& made = programs_[{framework, engine}];
  if (!made) {
    auto fresh = std::make_shared<MadeProgram>();
    DiagnosticSink sink;
    fresh->program = makeProgram(*compilation_, framework, engine, sink, fresh->error);
    fresh->diagnostics = sink.diagnostics();
    made = std::move(fresh);
  }
  return made;
}

namespace {

struct Entry {
  std::string key;
  std::vector<SourceAnswer> answers;
  std::shared_ptr<const CompiledSources> compiled;
};

size_t capacityFromEnvironment() {
  const char* value = std::getenv("FULCRUM_PROGRAM_CACHE");
  if (!value || !*value)
    return 16;
  if (std::string(value) == "off")
    return 0;
  char* end = nullptr;
  const unsigned long entries = std::strtoul(value, &end, 10);
  return end && *end == '\0' ? entries : 16;
}

class Cache {
public:
  std::shared_ptr<const CompiledSources> find(const std::string& key) {
    std::lock_guard<std::mutex> lock(mutex_);
    for (auto entry = entries_.begin(); entry != entries_.end(); ++entry) {
      if (entry->key != key || !answersStillHold(entry->answers, fileSystemSources()))
        continue;
      entries_.splice(entries_.begin(), entries_, entry);
      ++stats_.hits;
      return entries_.front().compiled;
    }
    ++stats_.misses;
    return nullptr;
  }

  void add(Entry entry) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (stats_.capacity == 0)
      return;
    entries_.push_front(std::move(entry));
    trim();
  }

  ProgramCacheStats stats() {
    std::lock_guard<std::mutex> lock(mutex_);
    ProgramCacheStats stats = stats_;
    stats.entries = entries_.size();
    return stats;
  }

  void setCapacity(size_t entries) {
    std::lock_guard<std::mutex> lock(mutex_);
    stats_.capacity = entries;
    trim();
  }

  bool enabled() {
    std::lock_guard<std::mutex> lock(mutex_);
    return stats_.capacity > 0;
  }

private:
  void trim() {
    while (entries_.size() > stats_.capacity)
      entries_.pop_back();
  }

  std::mutex mutex_;
  std::list<Entry> entries_;
  ProgramCacheStats stats_{0, 0, 0, capacityFromEnvironment()};
};

Cache& cache() {
  static Cache* const instance = new Cache(); // never destroyed: threads may outlive main's end
  return *instance;
}

// Everything besides the files' texts that a compilation of `root` depends on.
std::string keyOf(const std::string& kind, const std::string& root, const CompileOptions& options) {
  std::string key = kind;
  auto add = [&](const std::string& part) {
    key += '\0';
    key += part;
  };
  add(root);
  std::error_code ec;
  add(std::filesystem::current_path(ec).string());
  add(stdlibDirectory());
  add(std::to_string(options.libraryDirs.size()));
  for (const std::string& dir : options.libraryDirs)
    add(dir);
  add(options.only ? "only" : "all");
  if (options.only) {
    add(options.only->framework);
    add(options.only->text);
  }
  return key;
}

template <typename Compile>
std::shared_ptr<const CompiledSources> cached(const std::string& key, const CompileOptions& options,
                                              Compile compile) {
  if (options.sources || !cache().enabled())
    return std::make_shared<const CompiledSources>(compile(options));
  if (auto hit = cache().find(key))
    return hit;
  // The compiler reads through a recorder, whose answers the entry keeps.
  RecordingSources recording(fileSystemSources());
  CompileOptions recorded = options;
  recorded.sources = std::shared_ptr<const SourceProvider>(std::shared_ptr<void>(), &recording);
  auto compiled = std::make_shared<const CompiledSources>(compile(recorded));
  cache().add({key, recording.answers(), compiled});
  return compiled;
}

} // namespace

std::shared_ptr<const CompiledSources> compileFileCached(const std::string& path,
                                                         const CompileOptions& options) {
  return cached(keyOf("file", path, options), options,
                [&](const CompileOptions& with) { return compileFile(path, with); });
}

std::shared_ptr<const CompiledSources>
compileSourceCached(const std::string& name, std::string text, const CompileOptions& options) {
  // The text itself, not a hash of it: two texts never share an entry.
  const std::string key = keyOf("text", name + '\0' + text, options);
  return cached(key, options, [&](const CompileOptions& with) {
    return compileSource(name, std::move(text), with);
  });
}

ProgramCacheStats programCacheStats() {
  return cache().stats();
}

void setProgramCacheCapacity(size_t entries) {
  cache().setCapacity(entries);
}

} // namespace fulcrum
