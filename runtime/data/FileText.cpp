// Mapping a CSV file, or reading it when it cannot be mapped.
#include "runtime/data/FileText.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <utility>

namespace fulcrum::runtime {
namespace {

bool readWhole(const std::string& path, std::string& out, std::string& error) {
  std::FILE* file = std::fopen(path.c_str(), "rb");
  if (!file) {
    error = std::strerror(errno);
    return false;
  }
  char chunk[1 << 16];
  size_t got = 0;
  while ((got = std::fread(chunk, 1, sizeof chunk, file)) > 0)
    out.append(chunk, got);
  const bool failed = std::ferror(file) != 0;
  const int savedErrno = errno;
  std::fclose(file);
  if (failed) {
    error = std::strerror(savedErrno);
    return false;
  }
  return true;
}

} // namespace

FileText::FileText(FileText&& other) noexcept {
  *this = std::move(other);
}

FileText& FileText::operator=(FileText&& other) noexcept {
  if (this == &other)
    return *this;
  close();
  mapped_ = std::exchange(other.mapped_, nullptr);
  mappedSize_ = std::exchange(other.mappedSize_, 0);
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
  mapped_ = nullptr;
  mappedSize_ = 0;
  owned_.clear();
  text_ = {};
}

bool FileText::open(const std::string& path, std::string& error) {
  close();
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  struct stat info {};
  if (fd >= 0 && fstat(fd, &info) == 0 && S_ISREG(info.st_mode) && info.st_size > 0) {
    const auto size = static_cast<size_t>(info.st_size);
    void* mapped = mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd, 0);
    if (mapped != MAP_FAILED) {
      ::close(fd);
      madvise(mapped, size, MADV_SEQUENTIAL);
      mapped_ = mapped;
      mappedSize_ = size;
      text_ = std::string_view(static_cast<const char*>(mapped), size);
      return true;
    }
  }
  if (fd >= 0)
    ::close(fd);
  // Empty, special or unmappable files: read them, which also gives the usual error messages.
  if (!readWhole(path, owned_, error))
    return false;
  text_ = owned_;
  return true;
}

void FileText::release(size_t begin, size_t end) const {
  if (!mapped_)
    return;
  const auto page = static_cast<size_t>(sysconf(_SC_PAGESIZE));
  begin = (begin + page - 1) / page * page;
  end = end / page * page;
  if (end > begin)
    madvise(static_cast<char*>(mapped_) + begin, end - begin, MADV_DONTNEED);
}

} // namespace fulcrum::runtime
