// The process's cache of whole programs (see ProgramCache.h): a list of entries, most recently
// used first, each with its key and the file system's answers it was compiled from.
#include "compiler/cache/ProgramCache.h"

#include "compiler/cache/RecordingSources.h"
#include "compiler/lower/MakeProgram.h"

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fmt/format.h>
#include <future>
#include <list>

namespace fulcrum {

std::optional<size_t> parseProgramCacheCapacity(std::string_view value, std::string& error) {
  if (value.empty())
    return kDefaultProgramCacheEntries;
  if (value == "off")
    return 0;
  size_t entries = 0;
  const char* end = value.data() + value.size();
  const auto [stop, status] = std::from_chars(value.data(), end, entries);
  if (status != std::errc() || stop != end || entries > kMaxProgramCacheEntries) {
    error = fmt::format("FULCRUM_PROGRAM_CACHE must be a number of entries from 0 to {} or `off`, "
                        "not `{}`",
                        kMaxProgramCacheEntries, value);
    return std::nullopt;
  }
  return entries;
}

// What a program depends on besides its compilation, framework and engine: the JIT reads
// FULCRUM_JIT_PIPELINE on every compile (runtime/jit/Optimize.cpp), so programs made under
// another value are other programs. (FULCRUM_JIT_FAULT is read once a process.)
static std::string engineEnvironment(runtime::EngineKind engine) {
  if (engine != runtime::EngineKind::Jit)
    return {};
  const char* pipeline = std::getenv("FULCRUM_JIT_PIPELINE");
  return pipeline ? std::string("pipeline=") + pipeline : std::string();
}

std::shared_ptr<const MadeProgram> CompiledSources::program(const std::string& framework,
                                                            runtime::EngineKind engine) const {
  std::lock_guard<std::mutex> lock(making_);
  auto& made = programs_[{framework, engine, engineEnvironment(engine)}];
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

// FULCRUM_PROGRAM_CACHE: unset or empty keeps 16 entries; `off` or 0 none; N keeps N, up to
// kMaxProgramCacheEntries. Anything else (a sign, trailing text, too many) is reported once on
// stderr and turns the cache off: never a silent default, never an unbounded cache.
size_t capacityFromEnvironment() {
  const char* value = std::getenv("FULCRUM_PROGRAM_CACHE");
  std::string error;
  const std::optional<size_t> entries = parseProgramCacheCapacity(value ? value : "", error);
  if (entries)
    return *entries;
  std::fprintf(stderr, "fulcrum: %s; the program cache is off\n", error.c_str());
  return 0;
}

struct Entry {
  std::string key;
  std::shared_ptr<const std::vector<SourceAnswer>> answers;
  std::shared_ptr<const CompiledSources> compiled;
};

class Cache {
public:
  // An entry of `key` whose answers still hold, or null. The answers are replayed outside the lock
  // (a slow or blocking read holds up no other compile); entries of `key` that no longer hold are
  // dropped (the sources moved on; at most one live version of a key is kept).
  std::shared_ptr<const CompiledSources> find(const std::string& key) {
    std::vector<Entry> candidates;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      for (const Entry& entry : entries_)
        if (entry.key == key)
          candidates.push_back(entry);
    }
    std::vector<const CompiledSources*> dead;
    std::shared_ptr<const CompiledSources> live;
    for (const Entry& entry : candidates) {
      if (answersStillHold(*entry.answers, fileSystemSources())) {
        live = entry.compiled;
        break;
      }
      dead.push_back(entry.compiled.get());
    }
    std::lock_guard<std::mutex> lock(mutex_);
    for (auto entry = entries_.begin(); entry != entries_.end();) {
      const bool isDead = entry->key == key &&
                          std::find(dead.begin(), dead.end(), entry->compiled.get()) != dead.end();
      entry = isDead ? entries_.erase(entry) : std::next(entry);
    }
    if (!live)
      return nullptr;
    for (auto entry = entries_.begin(); entry != entries_.end(); ++entry)
      if (entry->compiled == live) {
        entries_.splice(entries_.begin(), entries_, entry);
        break;
      }
    ++stats_.hits;
    return live;
  }

  // Whether the caller compiles `key` now (a miss; `done` is then the compile under way, ended by
  // `finish`). If not, another thread compiles it (`running` is its compile, to wait for), or an
  // entry of `key` appeared since the caller looked (`running` is empty): look again.
  bool claim(const std::string& key, std::promise<void>& done, std::shared_future<void>& running) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (auto compiling = inFlight_.find(key); compiling != inFlight_.end()) {
      running = compiling->second;
      return false;
    }
    for (const Entry& entry : entries_)
      if (entry.key == key)
        return false;
    inFlight_.emplace(key, done.get_future().share());
    ++stats_.misses;
    return true;
  }

  // Ends the compile of `key` under way, keeping its entry when it made one.
  void finish(const std::string& key, Entry* entry) {
    std::lock_guard<std::mutex> lock(mutex_);
    inFlight_.erase(key);
    if (entry && stats_.capacity > 0) {
      entries_.push_front(std::move(*entry));
      trim();
    }
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
  std::map<std::string, std::shared_future<void>> inFlight_;
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
  for (;;) {
    if (auto hit = cache().find(key))
      return hit;
    std::promise<void> done;
    std::shared_future<void> running;
    if (!cache().claim(key, done, running)) {
      // Another thread compiles these sources: wait, then replay its answers like any entry's
      // (the files may have changed since it read them).
      if (running.valid())
        running.wait();
      continue;
    }
    // The compiler reads through a recorder, whose answers the entry keeps.
    RecordingSources recording(fileSystemSources());
    CompileOptions recorded = options;
    recorded.sources = std::shared_ptr<const SourceProvider>(std::shared_ptr<void>(), &recording);
    std::shared_ptr<const CompiledSources> compiled;
    try {
      compiled = std::make_shared<const CompiledSources>(compile(recorded));
    } catch (...) {
      cache().finish(key, nullptr);
      done.set_value();
      throw;
    }
    Entry entry{key, std::make_shared<const std::vector<SourceAnswer>>(recording.answers()),
                compiled};
    cache().finish(key, &entry);
    done.set_value();
    return compiled;
  }
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
