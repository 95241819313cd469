// A file's bytes for the loader, copied into memory the process owns, so that a file truncated or
// rewritten while it is read can never fault the process (a mapping of the file would: SIGBUS,
// which an embedded runtime cannot catch, since the host owns signals). A regular file is read
// with pread into an anonymous mapping of its size, and checked not to have changed meanwhile;
// a pipe is read to a size limit; anything else (a device, a directory, a socket) is refused.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace fulcrum::runtime {

// Bytes read from a pipe (or a special file that says it is empty, like those of /proc) at the
// most: a stream has no size to check first, and /dev/zero-like sources never end.
inline constexpr size_t kMaxStreamBytes = size_t{4} << 30;

// Why a file could not be read.
struct FileTextError {
  enum class Kind {
    Unreadable, // cannot be opened or read, not a regular file or a pipe, or too large
    Changed,    // it changed while it was being read: what was read may mix two versions
  };
  Kind kind = Kind::Unreadable;
  std::string message; // "No such file or directory", "its size went from 10 to 4 bytes"...
};

class FileText {
public:
  FileText() = default;
  FileText(const FileText&) = delete;
  FileText& operator=(const FileText&) = delete;
  FileText(FileText&& other) noexcept;
  FileText& operator=(FileText&& other) noexcept;
  ~FileText();

  // Whole: open() reads the file and checks it held still. OnDemand (a regular file of some
  // size): open() only sizes the copy; the caller fill()s the parts it reads, scans ahead with
  // copyOut(), and checks unchanged() at the end, so the copy is never resident all at once.
  enum class Reading { Whole, OnDemand };

  // Opens `path`; false with `error` if it cannot be read or changed while being read.
  bool open(const std::string& path, FileTextError& error, Reading reading = Reading::Whole,
            size_t maxStreamBytes = kMaxStreamBytes);
  bool open(const std::string& path, std::string& error); // the message alone
  std::string_view text() const { return text_; }
  // Whether bytes of text() are there only once fill()ed (else all of them are).
  bool readsOnDemand() const { return onDemand_; }

  // Reads bytes [begin, end) of the file into the copy, when it is read on demand; threads may
  // fill disjoint parts at once. False with `error` on a short read (the file changed).
  bool fill(size_t begin, size_t end, FileTextError& error) const;
  // Reads bytes [begin, end) of the file into `into`, leaving the copy alone.
  bool copyOut(size_t begin, size_t end, char* into, FileTextError& error) const;
  // Whether the file is still the one opened: no byte past its size, and the same inode, size
  // and modification time through the descriptor and through the path.
  bool unchanged(FileTextError& error) const;

  // Gives the pages of bytes [begin, end) back to the system: they read as zeros afterwards,
  // until restore(). Only for bytes that will not be read again before a restore().
  // On demand, the whole huge pages among them are kept, up to kMaxSpareBytes, and the next
  // fill() moves them (mremap) under the bytes it reads, instead of faulting in fresh pages the
  // kernel must zero first: with a file read by copy, that zeroing was a third of a load's CPU
  // (docs/performance.md). dropSpare() gives back what no fill() took.
  void release(size_t begin, size_t end) const;
  // Gives back the pages release() kept for a fill() (once the parse is done).
  void dropSpare() const;
  // Bytes fill() has read into moved pages so far (tests).
  size_t recycledBytes() const { return recycled_.load(std::memory_order_relaxed); }
  // Reads the whole file again if any page was released, then checks it is still the file
  // that was opened; false with `error` if it cannot be read or has changed. Not thread-safe.
  bool restore(FileTextError& error) const;

  // Called with the path after the file is opened (stage 0) and at the start of unchanged()
  // (stage 1); tests change the file there to see the change caught. Null in production.
  static void (*testHook)(const std::string& path, int stage);

private:
  // What identifies one version of a file: a change to any of these is a change to the file.
  struct Identity {
    uint64_t device = 0, inode = 0, size = 0;
    int64_t mtimeSeconds = 0, mtimeNanoseconds = 0;
  };

  void close();
  bool readStream(size_t maxBytes, FileTextError& error);
  // Moves kept pages under the whole huge pages of [begin, end), as many as there are.
  void moveSpareUnder(size_t begin, size_t end) const;

  std::string path_;
  int fd_ = -1; // a regular file stays open, for restore()
  Identity identity_;
  std::string_view text_;
  void* mapped_ = nullptr; // anonymous memory holding a regular file's bytes
  size_t mappedSize_ = 0;
  bool onDemand_ = false;
  mutable std::atomic<bool> released_{false}; // some bytes of the copy are not there
  // Released huge pages kept for fill() ([begin, end) offsets, whole huge pages), their bytes.
  mutable std::mutex spareLock_;
  mutable std::vector<std::pair<size_t, size_t>> spare_;
  mutable size_t spareBytes_ = 0;
  mutable bool spareFailed_ = false; // a move failed: pages are given back from then on
  mutable std::atomic<size_t> recycled_{0};
  std::string owned_; // a stream's bytes
};

} // namespace fulcrum::runtime
