// Reading a data file into memory the process owns: pread into anonymous pages for a regular
// file, with checks that it held still; a capped read for a pipe; a refusal for anything else.
#include "runtime/data/FileText.h"

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <fcntl.h>
#include <fmt/format.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <utility>

namespace fulcrum::runtime {

void (*FileText::testHook)(const std::string& path, int stage) = nullptr;

namespace {

// Bytes asked of one pread: large enough that system calls cost nothing next to the copy.
constexpr size_t kReadChunk = size_t{8} << 20;

// The unit of pages kept for reuse: a huge page (the copy asks for them, MADV_HUGEPAGE), so a
// move takes whole page-table entries of 2 MiB and never splits one.
constexpr size_t kSpareUnit = size_t{2} << 20;
// Pages kept for reuse at most: a range or two of each thread (TableParser's 64 MiB ranges).
constexpr size_t kMaxSpareBytes = size_t{128} << 20;

// Offsets into the copy at `base` rounded to a huge page boundary of the address space (the
// copy itself need not start on one).
size_t hugePageUp(const void* base, size_t offset) {
  const auto address = reinterpret_cast<uintptr_t>(base) + offset;
  return (address + kSpareUnit - 1) / kSpareUnit * kSpareUnit - reinterpret_cast<uintptr_t>(base);
}
size_t hugePageDown(const void* base, size_t offset) {
  const auto address = reinterpret_cast<uintptr_t>(base) + offset;
  const uintptr_t down = address / kSpareUnit * kSpareUnit;
  return down < reinterpret_cast<uintptr_t>(base) ? 0 : down - reinterpret_cast<uintptr_t>(base);
}

FileTextError unreadable(std::string message) {
  return FileTextError{FileTextError::Kind::Unreadable, std::move(message)};
}

FileTextError changed(std::string message) {
  return FileTextError{FileTextError::Kind::Changed, std::move(message)};
}

bool isAccepted(const struct stat& info) {
  return S_ISREG(info.st_mode) || S_ISFIFO(info.st_mode);
}

std::string refusal(const struct stat& info) {
  const char* what = S_ISCHR(info.st_mode)    ? "a character device"
                     : S_ISBLK(info.st_mode)  ? "a block device"
                     : S_ISDIR(info.st_mode)  ? "a directory"
                     : S_ISSOCK(info.st_mode) ? "a socket"
                                              : "a special file";
  return fmt::format("not a regular file or a pipe (it is {})", what);
}

// pread that carries on after a signal; the bytes read, 0 at the end of the file, -1 on error.
ssize_t readAt(int fd, char* into, size_t count, size_t offset) {
  for (;;) {
    const ssize_t got = ::pread(fd, into, count, static_cast<off_t>(offset));
    if (got >= 0 || errno != EINTR)
      return got;
  }
}

// Anonymous memory of `size` bytes starting on a huge page boundary (so that whole huge pages of
// the copy are whole huge pages of the file's bytes), or MAP_FAILED.
void* mapOnHugePage(size_t size) {
  const size_t room = size + kSpareUnit;
  void* raw = mmap(nullptr, room, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (raw == MAP_FAILED)
    return raw;
  const auto page = static_cast<size_t>(sysconf(_SC_PAGESIZE));
  char* const start = static_cast<char*>(raw);
  char* const aligned = start + hugePageUp(raw, 0);
  char* const used = aligned + (size + page - 1) / page * page;
  if (aligned > start)
    munmap(start, static_cast<size_t>(aligned - start));
  if (start + room > used)
    munmap(used, static_cast<size_t>(start + room - used));
  return aligned;
}

} // namespace

FileText::FileText(FileText&& other) noexcept {
  *this = std::move(other);
}

FileText& FileText::operator=(FileText&& other) noexcept {
  if (this == &other)
    return *this;
  close();
  path_ = std::move(other.path_);
  fd_ = std::exchange(other.fd_, -1);
  identity_ = other.identity_;
  mapped_ = std::exchange(other.mapped_, nullptr);
  mappedSize_ = std::exchange(other.mappedSize_, 0);
  onDemand_ = std::exchange(other.onDemand_, false);
  released_.store(other.released_.exchange(false));
  spare_ = std::exchange(other.spare_, {});
  spareBytes_ = std::exchange(other.spareBytes_, 0);
  spareFailed_ = std::exchange(other.spareFailed_, false);
  recycled_.store(other.recycled_.exchange(0));
  owned_ = std::move(other.owned_);
  text_ = mapped_ ? std::string_view(static_cast<const char*>(mapped_), mappedSize_)
                  : std::string_view(owned_);
  other.text_ = {};
  return *this;
}

FileText::~FileText() {
  close();
}

void FileText::close() {
  if (mapped_)
    munmap(mapped_, mappedSize_);
  if (fd_ >= 0)
    ::close(fd_);
  fd_ = -1;
  mapped_ = nullptr;
  mappedSize_ = 0;
  onDemand_ = false;
  released_.store(false);
  spare_.clear();
  spareBytes_ = 0;
  spareFailed_ = false;
  owned_.clear();
  text_ = {};
}

bool FileText::open(const std::string& path, std::string& error) {
  FileTextError failure;
  if (open(path, failure))
    return true;
  error = std::move(failure.message);
  return false;
}

bool FileText::open(const std::string& path, FileTextError& error, Reading reading,
                    size_t maxStreamBytes) {
  close();
  // The type is checked before opening: opening a device can have effects of its own.
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0) {
    error = unreadable(std::strerror(errno));
    return false;
  }
  if (!isAccepted(info)) {
    error = unreadable(refusal(info));
    return false;
  }
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY);
  if (fd < 0) {
    error = unreadable(std::strerror(errno));
    return false;
  }
  fd_ = fd;
  path_ = path;
  if (::fstat(fd, &info) != 0 || !isAccepted(info)) {
    error = unreadable(isAccepted(info) ? std::strerror(errno) : refusal(info));
    close();
    return false;
  }
  // A regular file that says it is empty may still give bytes (those of /proc do): a stream.
  // One that was only empty for a moment (being rewritten) has a size or a time of its own by
  // the end of the read.
  if (!S_ISREG(info.st_mode) || info.st_size == 0) {
    struct stat after {};
    bool read = readStream(maxStreamBytes, error);
    if (read && S_ISREG(info.st_mode) && ::fstat(fd_, &after) == 0 &&
        (after.st_size != 0 || after.st_mtim.tv_sec != info.st_mtim.tv_sec ||
         after.st_mtim.tv_nsec != info.st_mtim.tv_nsec)) {
      error = changed(
          fmt::format("it was empty when it was opened and now has {} bytes", after.st_size));
      read = false;
    }
    ::close(std::exchange(fd_, -1));
    if (!read)
      close();
    return read;
  }
  identity_ =
      Identity{static_cast<uint64_t>(info.st_dev), static_cast<uint64_t>(info.st_ino),
               static_cast<uint64_t>(info.st_size), info.st_mtim.tv_sec, info.st_mtim.tv_nsec};
  const auto size = static_cast<size_t>(info.st_size);
  void* mapped = mapOnHugePage(size);
  if (mapped == MAP_FAILED) {
    error = unreadable(
        fmt::format("cannot hold its {} bytes in memory: {}", size, std::strerror(errno)));
    close();
    return false;
  }
  // Huge pages where the kernel gives them on request (advice only): a copy of hundreds of MB in
  // 4 KiB pages costs a page fault each, several percent of a load (docs/performance.md).
  madvise(mapped, size, MADV_HUGEPAGE);
  mapped_ = mapped;
  mappedSize_ = size;
  text_ = std::string_view(static_cast<const char*>(mapped_), mappedSize_);
  if (testHook)
    testHook(path, 0);
  if (reading == Reading::OnDemand) {
    onDemand_ = true;
    released_.store(true);
    return true;
  }
  const bool read = copyOut(0, size, static_cast<char*>(mapped_), error) && unchanged(error);
  if (!read)
    close();
  return read;
}

// A short read means the file changed under the reader.
bool FileText::copyOut(size_t begin, size_t end, char* into, FileTextError& error) const {
  for (size_t at = begin; at < end;) {
    const ssize_t got = readAt(fd_, into + (at - begin), std::min(kReadChunk, end - at), at);
    if (got < 0) {
      error = unreadable(std::strerror(errno));
      return false;
    }
    if (got == 0) {
      error = changed(fmt::format("it ended after {} of the {} bytes it had when it was opened", at,
                                  identity_.size));
      return false;
    }
    at += static_cast<size_t>(got);
  }
  return true;
}

bool FileText::fill(size_t begin, size_t end, FileTextError& error) const {
  if (!onDemand_ || begin >= end)
    return true;
  moveSpareUnder(begin, end);
  return copyOut(begin, end, static_cast<char*>(mapped_) + begin, error);
}

void FileText::moveSpareUnder(size_t begin, size_t end) const {
  size_t at = hugePageUp(mapped_, begin);
  const size_t to = hugePageDown(mapped_, end);
  char* const base = static_cast<char*>(mapped_);
  const std::lock_guard<std::mutex> lock(spareLock_);
  while (at < to && !spare_.empty() && !spareFailed_) {
    auto& [from, upTo] = spare_.back();
    const size_t bytes = std::min(upTo - from, to - at);
    // The pages at `from` go to `at` (whatever was there is unmapped first); `from` stays mapped
    // and reads as zeros, as a released page does. Neither range is read by anyone meanwhile:
    // `from` was released, `at` is this fill's own.
    if (mremap(base + from, bytes, bytes, MREMAP_MAYMOVE | MREMAP_FIXED | MREMAP_DONTUNMAP,
               base + at) == MAP_FAILED) {
      spareFailed_ = true; // an old kernel, or the process's limit of mappings: fault as before
      break;
    }
    recycled_.fetch_add(bytes, std::memory_order_relaxed);
    at += bytes;
    from += bytes;
    spareBytes_ -= bytes;
    if (from == upTo)
      spare_.pop_back();
  }
}

void FileText::dropSpare() const {
  const std::lock_guard<std::mutex> lock(spareLock_);
  for (const auto& [from, upTo] : spare_)
    madvise(static_cast<char*>(mapped_) + from, upTo - from, MADV_DONTNEED);
  spare_.clear();
  spareBytes_ = 0;
}

// The file as it is now, through the open descriptor and through its path, against the file
// as it was opened: the same inode, size and modification time (to the nanosecond).
bool FileText::unchanged(FileTextError& error) const {
  if (fd_ < 0)
    return true;
  if (testHook)
    testHook(path_, 1);
  char past = 0;
  if (readAt(fd_, &past, 1, identity_.size) > 0) {
    error =
        changed(fmt::format("it grew past the {} bytes it had when it was opened", identity_.size));
    return false;
  }
  auto differs = [&](const struct stat& now) {
    if (static_cast<uint64_t>(now.st_dev) != identity_.device ||
        static_cast<uint64_t>(now.st_ino) != identity_.inode) {
      error = changed("another file was put in its place");
      return true;
    }
    if (static_cast<uint64_t>(now.st_size) != identity_.size) {
      error =
          changed(fmt::format("its size went from {} to {} bytes", identity_.size, now.st_size));
      return true;
    }
    if (now.st_mtim.tv_sec != identity_.mtimeSeconds ||
        now.st_mtim.tv_nsec != identity_.mtimeNanoseconds) {
      error = changed("it was written to: its modification time changed");
      return true;
    }
    return false;
  };
  struct stat now {};
  if (::fstat(fd_, &now) != 0) {
    error = unreadable(std::strerror(errno));
    return false;
  }
  if (differs(now))
    return false;
  if (::stat(path_.c_str(), &now) != 0) {
    error = changed(fmt::format("it can no longer be found: {}", std::strerror(errno)));
    return false;
  }
  return !differs(now);
}

bool FileText::readStream(size_t maxBytes, FileTextError& error) {
  constexpr size_t kChunk = size_t{1} << 16;
  for (;;) {
    const size_t had = owned_.size();
    // One byte past the limit is read, to tell a stream of exactly the limit from a longer one.
    const size_t want = std::min(kChunk, maxBytes + 1 - had);
    owned_.resize(had + want);
    const ssize_t got = ::read(fd_, owned_.data() + had, want);
    if (got < 0 && errno == EINTR) {
      owned_.resize(had);
      continue;
    }
    if (got < 0) {
      error = unreadable(std::strerror(errno));
      return false;
    }
    owned_.resize(had + static_cast<size_t>(got));
    if (got == 0) {
      text_ = owned_;
      return true;
    }
    if (owned_.size() > maxBytes) {
      error = unreadable(fmt::format("it gives more than {} bytes, the most read from a pipe or "
                                     "a file of unknown size: write the data to a regular file",
                                     maxBytes));
      return false;
    }
  }
}

void FileText::release(size_t begin, size_t end) const {
  if (!mapped_)
    return;
  const auto page = static_cast<size_t>(sysconf(_SC_PAGESIZE));
  begin = (begin + page - 1) / page * page;
  end = end / page * page;
  if (end <= begin)
    return;
  released_.store(true, std::memory_order_relaxed);
  char* const base = static_cast<char*>(mapped_);
  if (onDemand_) {
    const size_t keptFrom = hugePageUp(mapped_, begin), keptTo = hugePageDown(mapped_, end);
    const std::lock_guard<std::mutex> lock(spareLock_);
    if (keptFrom < keptTo && !spareFailed_ && spareBytes_ + (keptTo - keptFrom) <= kMaxSpareBytes) {
      spare_.emplace_back(keptFrom, keptTo);
      spareBytes_ += keptTo - keptFrom;
      if (keptFrom > begin)
        madvise(base + begin, keptFrom - begin, MADV_DONTNEED);
      if (end > keptTo)
        madvise(base + keptTo, end - keptTo, MADV_DONTNEED);
      return;
    }
  }
  madvise(base + begin, end - begin, MADV_DONTNEED);
}

bool FileText::restore(FileTextError& error) const {
  if (!mapped_ || !released_.load(std::memory_order_relaxed))
    return true;
  dropSpare(); // every byte is read back below: no page is spare any more
  if (!copyOut(0, mappedSize_, static_cast<char*>(mapped_), error) || !unchanged(error))
    return false;
  released_.store(false, std::memory_order_relaxed);
  return true;
}

} // namespace fulcrum::runtime
