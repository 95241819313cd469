// Finding the standard library. A build finds it in the source tree (FULCRUM_STDLIB_DIR); an
// installed copy must find the installed one wherever it was installed (any PREFIX, a DESTDIR
// staging folder, a moved tree), so the path is worked out at run time from where the code
// itself lies: the shared library (libfulcrum.so, found with dladdr) or the executable
// (/proc/self/exe), each with the install layout's relative path to share/fulcrum/stdlib.
#include "compiler/driver/Compilation.h"

#include <cstdlib>
#include <dlfcn.h>
#include <filesystem>
#include <optional>

namespace fulcrum {

namespace fs = std::filesystem;

namespace {

#ifndef FULCRUM_STDLIB_FROM_LIBDIR
#define FULCRUM_STDLIB_FROM_LIBDIR "../share/fulcrum/stdlib"
#endif
#ifndef FULCRUM_STDLIB_FROM_BINDIR
#define FULCRUM_STDLIB_FROM_BINDIR "../share/fulcrum/stdlib"
#endif

std::optional<fs::path> existingDirectory(const fs::path& path) {
  std::error_code ec;
  if (fs::is_directory(path, ec))
    return fs::weakly_canonical(path, ec);
  return std::nullopt;
}

// The file this function was loaded from, when it is a shared library (not the executable).
std::optional<fs::path> sharedLibraryFile(const fs::path& executable) {
  Dl_info info{};
  if (dladdr(reinterpret_cast<const void*>(&sharedLibraryFile), &info) == 0 || !info.dli_fname ||
      !*info.dli_fname)
    return std::nullopt;
  std::error_code ec;
  const fs::path file = info.dli_fname;
  if (fs::equivalent(file, executable, ec) || ec)
    return std::nullopt;
  return file;
}

std::string installedOrBuildStdlib() {
  std::error_code ec;
  const fs::path executable = fs::read_symlink("/proc/self/exe", ec);
  if (auto library = sharedLibraryFile(executable))
    if (auto dir = existingDirectory(library->parent_path() / FULCRUM_STDLIB_FROM_LIBDIR))
      return dir->string();
  if (!executable.empty())
    if (auto dir = existingDirectory(executable.parent_path() / FULCRUM_STDLIB_FROM_BINDIR))
      return dir->string();
#ifdef FULCRUM_STDLIB_DIR
  return FULCRUM_STDLIB_DIR;
#else
  return "stdlib";
#endif
}

} // namespace

std::string stdlibDirectory() {
  if (const char* dir = std::getenv("FULCRUM_STDLIB"); dir && *dir)
    return dir;
  static const std::string found = installedOrBuildStdlib();
  return found;
}

} // namespace fulcrum
