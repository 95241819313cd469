// A file written all or nothing. Its bytes go to a fresh name beside `path`, created exclusively
// (so a link planted there is never followed), and are renamed into place only when every write
// and the close succeeded; otherwise `path` is left as it was and error() says why, with the
// system's reason. An output the user named that exists and is not a regular file (a FIFO, a
// device such as /dev/stdout or /dev/full) cannot be replaced: it is written in place, every
// write checked. A cache's file is always replaced (a FIFO planted there is never opened).
#pragma once

#include <cstdio>
#include <string>
#include <string_view>

namespace fulcrum {

class AtomicFile {
public:
  // PrivateCache: only this user may read it (0600). SharedCache: the mode an existing file at
  // `path` has, or what the process's umask gives a new one. Output: as SharedCache, and a path
  // that is not a regular file is written in place.
  enum class Access { PrivateCache, SharedCache, Output };

  AtomicFile(std::string path, Access access);
  ~AtomicFile(); // removes the temporary file unless committed
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;

  // Where to write; null when nothing could be opened (error() says why).
  std::FILE* stream() const { return stream_; }
  // Flushes, closes and renames into place; false (error() says why) when any of it, or any
  // earlier write, failed. Call once.
  bool commit();
  const std::string& error() const { return error_; }

private:
  std::string path_;
  std::string temporary_; // empty when writing in place
  std::FILE* stream_ = nullptr;
  std::string error_;
};

// `bytes` into `path`, all or nothing (see AtomicFile); false and `error` on failure.
bool writeFileAtomically(const std::string& path, std::string_view bytes, AtomicFile::Access access,
                         std::string& error);

} // namespace fulcrum
