// The JIT's object cache (see ObjectCache.h). A disk entry is `<key>.o`: a 24-byte header (magic,
// payload length, xxh3 of the payload) and the object file; written to a temporary name and
// renamed, so that concurrent processes never read half a file.
#include "runtime/jit/ObjectCache.h"

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fmt/format.h>
#include <llvm/Config/llvm-config.h>
#include <llvm/Support/MemoryBuffer.h>
#include <llvm/Support/raw_ostream.h>
#include <llvm/Support/xxhash.h>
#include <unistd.h>

namespace fulcrum::runtime::jit {
namespace {

// The layout of a disk entry. What shapes compiled code without changing the generated IR (the
// optimisation pipeline, code generation options, the tiers) is covered by the build's identity.
constexpr const char* kCacheFormat = "fulcrum-jit-5";
constexpr uint64_t kMagic = 0x314a4f4d4c434c46; // "FLCLMOJ1"
constexpr size_t kHeaderBytes = 24;

uint64_t hashBytes(llvm::StringRef bytes) {
  return llvm::xxh3_64bits(
      llvm::ArrayRef<uint8_t>(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size()));
}

} // namespace

std::string defaultJitCacheFolder() {
  if (const char* configured = std::getenv("FULCRUM_JIT_CACHE"))
    return std::strcmp(configured, "off") == 0 ? "" : configured;
  if (const char* xdg = std::getenv("XDG_CACHE_HOME"); xdg && *xdg)
    return std::string(xdg) + "/fulcrum/jit";
  if (const char* home = std::getenv("HOME"); home && *home)
    return std::string(home) + "/.cache/fulcrum/jit";
  return "";
}

size_t defaultJitCacheEntries() {
  const char* configured = std::getenv("FULCRUM_JIT_CACHE");
  return configured && std::strcmp(configured, "off") == 0 ? 0 : 64;
}

JitObjectCache::JitObjectCache(std::string folder, size_t memoryEntries)
    : folder_(std::move(folder)), capacity_(memoryEntries) {
  // A binary without a build-id cannot tell its own objects from another build's on disk.
  if (folder_.empty() || buildIdentity().empty()) {
    folder_.clear();
    return;
  }
  std::error_code error;
  std::filesystem::create_directories(folder_, error);
  if (error || access(folder_.c_str(), W_OK) != 0)
    folder_.clear();
}

std::string JitObjectCache::keyFor(const llvm::Module& module, int tier, const std::string& target,
                                   const std::string& build) {
  std::string text;
  llvm::raw_string_ostream out(text);
  module.print(out, nullptr);
  const char* pipeline = std::getenv("FULCRUM_JIT_PIPELINE");
  out << kCacheFormat << '\n'
      << build << '\n'
      << (pipeline ? pipeline : "") << '\n'
      << LLVM_VERSION_STRING << '\n'
      << target << '\n'
      << tier << '\n';
  out.flush();
  const llvm::XXH128_hash_t hash = llvm::xxh3_128bits(
      llvm::ArrayRef<uint8_t>(reinterpret_cast<const uint8_t*>(text.data()), text.size()));
  return fmt::format("{:016x}{:016x}", hash.high64, hash.low64);
}

std::unique_ptr<llvm::MemoryBuffer> JitObjectCache::find(const std::string& key) {
  if (auto object = lookup(key))
    return object;
  const std::string bytes = readFile(key);
  if (bytes.empty())
    return nullptr;
  remember(key, bytes);
  return llvm::MemoryBuffer::getMemBufferCopy(bytes, key);
}

std::unique_ptr<llvm::MemoryBuffer> JitObjectCache::lookup(const std::string& key) {
  std::lock_guard<std::mutex> guard(lock_);
  auto it = objects_.find(key);
  if (it == objects_.end())
    return nullptr;
  recent_.splice(recent_.begin(), recent_, it->second.second);
  return llvm::MemoryBuffer::getMemBufferCopy(it->second.first, key);
}

void JitObjectCache::remember(const std::string& key, llvm::StringRef bytes) {
  std::lock_guard<std::mutex> guard(lock_);
  if (auto it = objects_.find(key); it != objects_.end()) {
    recent_.splice(recent_.begin(), recent_, it->second.second);
    return;
  }
  if (capacity_ == 0)
    return;
  recent_.push_front(key);
  objects_.emplace(key, std::make_pair(bytes.str(), recent_.begin()));
  while (objects_.size() > capacity_) {
    objects_.erase(recent_.back());
    recent_.pop_back();
  }
}

void JitObjectCache::notifyObjectCompiled(const llvm::Module* module,
                                          llvm::MemoryBufferRef object) {
  const std::string key = module->getModuleIdentifier();
  if (key.size() != 32)
    return; // not keyed: compiled without looking in the cache
  remember(key, object.getBuffer());
  writeFile(key, object.getBuffer());
}

std::unique_ptr<llvm::MemoryBuffer> JitObjectCache::getObject(const llvm::Module* module) {
  if (module->getModuleIdentifier().size() != 32)
    return nullptr;
  return lookup(module->getModuleIdentifier());
}

std::string JitObjectCache::readFile(const std::string& key) const {
  if (folder_.empty())
    return "";
  std::FILE* file = std::fopen((folder_ + "/" + key + ".o").c_str(), "rb");
  if (!file)
    return "";
  std::string bytes;
  char chunk[1 << 16];
  size_t got = 0;
  while ((got = std::fread(chunk, 1, sizeof chunk, file)) > 0)
    bytes.append(chunk, got);
  std::fclose(file);
  if (bytes.size() < kHeaderBytes)
    return "";
  uint64_t header[3];
  std::memcpy(header, bytes.data(), kHeaderBytes);
  const llvm::StringRef payload = llvm::StringRef(bytes).drop_front(kHeaderBytes);
  if (header[0] != kMagic || header[1] != payload.size() || header[2] != hashBytes(payload))
    return "";
  return payload.str();
}

void JitObjectCache::writeFile(const std::string& key, llvm::StringRef bytes) const {
  if (folder_.empty())
    return;
  const std::string path = folder_ + "/" + key + ".o";
  const std::string temporary = fmt::format("{}.{}.tmp", path, getpid());
  std::FILE* file = std::fopen(temporary.c_str(), "wb");
  if (!file)
    return;
  const uint64_t header[3] = {kMagic, bytes.size(), hashBytes(bytes)};
  bool ok = std::fwrite(header, 1, kHeaderBytes, file) == kHeaderBytes &&
            std::fwrite(bytes.data(), 1, bytes.size(), file) == bytes.size();
  ok = std::fclose(file) == 0 && ok;
  if (!ok || std::rename(temporary.c_str(), path.c_str()) != 0)
    std::remove(temporary.c_str());
}

} // namespace fulcrum::runtime::jit
