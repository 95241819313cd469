// Compiled kernels kept for reuse, keyed by a hash of the module as generated (before any
// optimisation), the tier it is compiled at, the target, the LLVM version and the identity of the
// build (its GNU build-id, support/BuildIdentity.h): the same framework compiled again by the same
// build, in this process or a later one, skips LLVM's optimiser and code generator, and a rebuilt
// or upgraded fulcrum never runs an object another build compiled.
//
// Objects live in memory (a bounded number, least recently used out first) and, when a cache
// folder is configured, on disk: FULCRUM_JIT_CACHE=DIR, else $XDG_CACHE_HOME/fulcrum/jit, else
// ~/.cache/fulcrum/jit; FULCRUM_JIT_CACHE=off turns both off (every compile is a fresh one). A file
// that is not what it should be (not a regular file, short, wrong magic, bound to another key,
// wrong checksum) is ignored and replaced. The folder is created 0700; one that belongs to another
// user or that others can write is not used (warning() says why), and neither is any folder when
// the binary carries no build-id. Tests run with FULCRUM_JIT_CACHE=off or a fresh folder.
#pragma once

#include "support/BuildIdentity.h"

#include <list>
#include <llvm/ExecutionEngine/ObjectCache.h>
#include <llvm/IR/Module.h>
#include <map>
#include <memory>
#include <mutex>
#include <string>

namespace fulcrum::runtime::jit {

class JitObjectCache : public llvm::ObjectCache {
public:
  // `folder` empty: memory only.
  explicit JitObjectCache(std::string folder, size_t memoryEntries = 64);

  // The key a module gets: set as its module identifier, which is what LLVM's compile layer
  // hands back to getObject and notifyObjectCompiled. `build` is this build's identity (tests
  // pass another to see that it counts).
  static std::string keyFor(const llvm::Module& module, int tier, const std::string& target,
                            const std::string& build = buildIdentity());
  // The object cached under `key` (from memory, or from disk, which keeps it in memory), or
  // null.
  std::unique_ptr<llvm::MemoryBuffer> find(const std::string& key);

  void notifyObjectCompiled(const llvm::Module* module, llvm::MemoryBufferRef object) override;
  std::unique_ptr<llvm::MemoryBuffer> getObject(const llvm::Module* module) override;

  // Whether anything is kept at all (FULCRUM_JIT_CACHE=off: no).
  bool enabled() const { return capacity_ > 0 || !folder_.empty(); }
  // The folder in use (empty when there is none), for messages and tests.
  const std::string& folder() const { return folder_; }
  // Why the configured folder is not used (empty when it is, or none was configured): it is
  // another user's, or others can write it, or it cannot be created or written.
  const std::string& warning() const { return warning_; }

private:
  std::unique_ptr<llvm::MemoryBuffer> lookup(const std::string& key); // a copy, or null
  void remember(const std::string& key, llvm::StringRef bytes);
  std::string readFile(const std::string& key) const; // "" when absent or not valid
  void writeFile(const std::string& key, llvm::StringRef bytes) const;

  std::string folder_;
  std::string warning_;
  size_t capacity_;
  std::mutex lock_;
  std::list<std::string> recent_; // most recently used first
  std::map<std::string, std::pair<std::string, std::list<std::string>::iterator>> objects_;
};

// The folder the disk cache uses by default (see above); empty for none.
std::string defaultJitCacheFolder();
// Objects kept in memory by default: 64, or 0 under FULCRUM_JIT_CACHE=off.
size_t defaultJitCacheEntries();

} // namespace fulcrum::runtime::jit
