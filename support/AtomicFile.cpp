#include "support/AtomicFile.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <sys/stat.h>
#include <unistd.h>

namespace fulcrum {
namespace {

// The process's umask, read without changing it (umask(2) would race with other threads).
mode_t currentUmask() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line))
    if (line.rfind("Umask:", 0) == 0)
      return static_cast<mode_t>(std::stoul(line.substr(6), nullptr, 8));
  return 022;
}

} // namespace

AtomicFile::AtomicFile(std::string path, Access access) : path_(std::move(path)) {
  struct stat existing {};
  const bool exists = stat(path_.c_str(), &existing) == 0;
  if (access == Access::Output && exists && !S_ISREG(existing.st_mode)) {
    stream_ = std::fopen(path_.c_str(), "wb");
    if (!stream_)
      error_ = std::strerror(errno);
    return;
  }
  temporary_ = path_ + ".XXXXXX";
  const int fd = mkostemp(temporary_.data(), O_CLOEXEC);
  if (fd < 0) {
    error_ = std::strerror(errno);
    temporary_.clear();
    return;
  }
  if (access != Access::PrivateCache)
    fchmod(fd,
           exists && S_ISREG(existing.st_mode) ? existing.st_mode & 07777 : 0666 & ~currentUmask());
  stream_ = fdopen(fd, "wb");
  if (!stream_) {
    error_ = std::strerror(errno);
    close(fd);
  }
}

AtomicFile::~AtomicFile() {
  if (stream_)
    std::fclose(stream_);
  if (!temporary_.empty())
    unlink(temporary_.c_str());
}

bool AtomicFile::commit() {
  if (!stream_)
    return false;
  std::FILE* stream = stream_;
  stream_ = nullptr;
  // A file renamed into place is on the disk first (write, fsync, rename): a crash leaves the old
  // file or the new one, never a name pointing at bytes that were not written.
  const bool written = std::fflush(stream) == 0 && !std::ferror(stream) &&
                       (temporary_.empty() || fsync(fileno(stream)) == 0);
  if (!written)
    error_ = std::strerror(errno);
  const int closed = std::fclose(stream);
  if (written && closed != 0)
    error_ = std::strerror(errno);
  if (!written || closed != 0)
    return false;
  if (temporary_.empty())
    return true;
  if (std::rename(temporary_.c_str(), path_.c_str()) != 0) {
    error_ = std::string("cannot rename the finished file into place: ") + std::strerror(errno);
    return false;
  }
  temporary_.clear();
  // The rename itself is durable once the folder is on the disk too. A folder that cannot be
  // opened or synced (some file systems refuse) leaves the file in place, as renamed.
  const std::string::size_type slash = path_.rfind('/');
  const std::string folder = slash == std::string::npos ? "." : path_.substr(0, slash + 1);
  if (const int fd = open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC); fd >= 0) {
    fsync(fd);
    close(fd);
  }
  return true;
}

bool writeFileAtomically(const std::string& path, std::string_view bytes, AtomicFile::Access access,
                         std::string& error) {
  AtomicFile file(path, access);
  if (file.stream() && !bytes.empty())
    std::fwrite(bytes.data(), 1, bytes.size(), file.stream());
  if (file.commit())
    return true;
  error = file.error();
  return false;
}

} // namespace fulcrum
