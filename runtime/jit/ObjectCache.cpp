// The JIT's object cache (see ObjectCache.h). A disk entry is `<key>.o`: a 32-byte header (magic,
// payload length, xxh3 of the key, xxh3 of the payload) and the object file. What is on disk is
// untrusted input: an entry is used only when its header binds it to the key it is looked up by
// (so an entry copied under another name is ignored) and its payload is whole; only a regular file
// is read (a FIFO, a device or a symbolic link is never opened as an entry), to a size limit.
// Entries are written through support/AtomicFile.h (a fresh private name, created exclusively, so
// a planted link is never followed, then renamed), so that concurrent processes never read half
// a file. The folder must be the user's own and writable by nobody else, since whoever can write
// it chooses the code the JIT runs.
#include "runtime/jit/ObjectCache.h"

#include "support/AtomicFile.h"

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <fmt/format.h>
#include <llvm/Bitcode/BitcodeWriter.h>
#include <llvm/Config/llvm-config.h>
#include <llvm/Support/MemoryBuffer.h>
#include <llvm/Support/raw_ostream.h>
#include <llvm/Support/xxhash.h>
#include <sys/stat.h>
#include <unistd.h>

namespace fulcrum::runtime::jit {
namespace {

// The layout of a disk entry. What shapes compiled code without changing the generated IR (the
// optimisation pipeline, code generation options, the tiers) is covered by the build's identity.
constexpr const char* kCacheFormat = "fulcrum-jit-6";
constexpr uint64_t kMagic = 0x324a4f4d4c434c46; // "FLCLMOJ2"
constexpr size_t kHeaderBytes = 32;
// No compiled kernel comes near this; a larger file is not an entry.
constexpr size_t kMaxObjectBytes = size_t(256) << 20;

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

namespace {

// Whether `folder` may hold the cache: created 0700 when missing; an existing one must be a
// folder of this user's that nobody else can write. `refusal` says why not.
bool privateFolder(const std::string& folder, std::string& refusal) {
  std::error_code error;
  const std::filesystem::path path(folder);
  if (path.has_parent_path())
    std::filesystem::create_directories(path.parent_path(), error);
  if (mkdir(folder.c_str(), 0700) != 0 && errno != EEXIST) {
    refusal = fmt::format("cannot create it: {}", std::strerror(errno));
    return false;
  }
  struct stat info {};
  if (stat(folder.c_str(), &info) != 0 || !S_ISDIR(info.st_mode)) {
    refusal = "it is not a folder";
    return false;
  }
  if (info.st_uid != geteuid()) {
    refusal = fmt::format("it belongs to another user (uid {})", info.st_uid);
    return false;
  }
  if ((info.st_mode & (S_IWGRP | S_IWOTH)) != 0) {
    refusal = fmt::format("others can write it (mode {:04o})", info.st_mode & 07777);
    return false;
  }
  if (access(folder.c_str(), W_OK) != 0) {
    refusal = "it cannot be written";
    return false;
  }
  return true;
}

} // namespace

JitObjectCache::JitObjectCache(std::string folder, size_t memoryEntries)
    : folder_(std::move(folder)), capacity_(memoryEntries) {
  // A binary without a build-id cannot tell its own objects from another build's on disk.
  if (folder_.empty() || buildIdentity().empty()) {
    folder_.clear();
    return;
  }
  std::string refusal;
  if (!privateFolder(folder_, refusal)) {
    warning_ = fmt::format("the JIT's cache folder {} is not used: {}; compiling without it",
                           folder_, refusal);
    folder_.clear();
  }
}

std::string JitObjectCache::keyFor(const llvm::Module& module, int tier, const std::string& target,
                                   const std::string& build) {
  // The module as bitcode: the same content as its printed text, written faster (printing
  // formats and aligns every line; this runs on every compile, hit or not: roughly 1 ms of a cached
  // `targets` compile's 7-8 ms of CPU, from two `perf stat` samples a side under load).
  std::string text;
  llvm::raw_string_ostream out(text);
  llvm::WriteBitcodeToFile(module, out);
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
  // Not through a link, and without waiting on a FIFO; then only a regular file of a sane size.
  const int fd =
      open((folder_ + "/" + key + ".o").c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0)
    return "";
  struct stat info {};
  std::string bytes;
  if (fstat(fd, &info) == 0 && S_ISREG(info.st_mode) && info.st_size >= off_t(kHeaderBytes) &&
      size_t(info.st_size) <= kHeaderBytes + kMaxObjectBytes) {
    bytes.resize(size_t(info.st_size));
    size_t got = 0;
    while (got < bytes.size()) {
      const ssize_t n = pread(fd, bytes.data() + got, bytes.size() - got, off_t(got));
      if (n <= 0)
        break;
      got += size_t(n);
    }
    bytes.resize(got);
  }
  close(fd);
  if (bytes.size() < kHeaderBytes)
    return "";
  uint64_t header[4];
  std::memcpy(header, bytes.data(), kHeaderBytes);
  const llvm::StringRef payload = llvm::StringRef(bytes).drop_front(kHeaderBytes);
  if (header[0] != kMagic || header[1] != payload.size() || header[2] != hashBytes(key) ||
      header[3] != hashBytes(payload))
    return "";
  return payload.str();
}

void JitObjectCache::writeFile(const std::string& key, llvm::StringRef bytes) const {
  if (folder_.empty())
    return;
  // A fresh private name, created exclusively and renamed: nothing planted is followed.
  AtomicFile file(folder_ + "/" + key + ".o", AtomicFile::Access::PrivateCache);
  if (!file.stream())
    return;
  const uint64_t header[4] = {kMagic, bytes.size(), hashBytes(key), hashBytes(bytes)};
  std::fwrite(header, 1, kHeaderBytes, file.stream());
  std::fwrite(bytes.data(), 1, bytes.size(), file.stream());
  file.commit();
}

} // namespace fulcrum::runtime::jit
