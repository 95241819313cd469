// What the JIT object cache's reader must do with any bytes stored as an entry (issue 28: a cache
// is untrusted input, and an entry is native code the JIT maps executable): refuse them, or hand
// back an object whose entry, as the cache itself writes it under that key, is exactly those
// bytes. So nothing but a whole, well-formed entry bound to that very key is ever used: not a
// truncated or extended one, not one with a stale checksum, not another key's. Shared by the
// fuzz target jit_cache_fuzz and tests/unit/jit_cache_entry_test.cpp (the release half's share of
// the same property). Header-only, for the unit tests' binary.
#pragma once

#include "runtime/jit/ObjectCache.h"

#include <cstdio>
#include <cstdlib>
#include <llvm/IR/LLVMContext.h>
#include <llvm/IR/Module.h>
#include <llvm/Support/MemoryBuffer.h>
#include <string>
#include <string_view>
#include <unistd.h>

namespace fulcrum::fuzz {

class JitCacheEntryCheck {
public:
  struct Outcome {
    bool accepted = false;
    std::string failure; // empty when the reader behaved
  };

  // Two private folders, one the entries are read from and one the cache writes into.
  JitCacheEntryCheck() {
    char base[] = "/tmp/jit_cache_entry.XXXXXX";
    if (!mkdtemp(base))
      std::abort();
    base_ = base;
  }
  ~JitCacheEntryCheck() {
    for (const char* folder : {"/read", "/write"}) {
      std::remove(entryPath(base_ + folder).c_str());
      rmdir((base_ + folder).c_str());
    }
    rmdir(base_.c_str());
  }
  JitCacheEntryCheck(const JitCacheEntryCheck&) = delete;
  JitCacheEntryCheck& operator=(const JitCacheEntryCheck&) = delete;

  // The key every entry is stored under (a key is 32 hex digits).
  static std::string key() { return "0123456789abcdef0123456789abcdef"; }

  // The entry the cache writes for the object `payload` under `key`.
  std::string validEntry(std::string_view payload, const std::string& entryKey = key()) {
    const std::string folder = base_ + "/write";
    std::remove(entryPath(folder, entryKey).c_str());
    runtime::jit::JitObjectCache writer(folder, 0);
    llvm::LLVMContext context;
    const llvm::Module module(entryKey, context);
    writer.notifyObjectCompiled(
        &module, llvm::MemoryBufferRef(llvm::StringRef(payload.data(), payload.size()), entryKey));
    return contents(entryPath(folder, entryKey));
  }

  // Stores `bytes` as key()'s entry and asks a fresh cache for it.
  Outcome check(std::string_view bytes) {
    const std::string folder = base_ + "/read";
    Outcome outcome;
    {
      runtime::jit::JitObjectCache setup(folder, 0); // creates the folder 0700
      if (setup.folder().empty())
        return {false, "the cache refused its own folder: " + setup.warning()};
    }
    if (std::FILE* file = std::fopen(entryPath(folder).c_str(), "wb")) {
      std::fwrite(bytes.data(), 1, bytes.size(), file);
      std::fclose(file);
    }
    runtime::jit::JitObjectCache reader(folder, 0);
    const std::unique_ptr<llvm::MemoryBuffer> found = reader.find(key());
    if (!found)
      return outcome;
    outcome.accepted = true;
    if (validEntry(found->getBuffer().str()) != bytes)
      outcome.failure = "accepted bytes that are not the entry the cache writes for the object "
                        "it handed back";
    return outcome;
  }

private:
  std::string entryPath(const std::string& folder, const std::string& entryKey = key()) const {
    return folder + "/" + entryKey + ".o";
  }
  static std::string contents(const std::string& path) {
    std::string text;
    if (std::FILE* file = std::fopen(path.c_str(), "rb")) {
      char chunk[4096];
      for (size_t n; (n = std::fread(chunk, 1, sizeof chunk, file)) > 0;)
        text.append(chunk, n);
      std::fclose(file);
    }
    return text;
  }

  std::string base_;
};

} // namespace fulcrum::fuzz
