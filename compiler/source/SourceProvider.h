// Where the compiler reads source files from: the file system, unless a client supplies the texts
// another way (`fulcrum diff REV:PATH` reads a framework and its imports from a git revision).
#pragma once

#include <string>

namespace fulcrum {

class SourceProvider {
public:
  virtual ~SourceProvider() = default;
  // Whether `path` names a file this provider can read (import resolution asks).
  virtual bool isFile(const std::string& path) const = 0;
  // The file's text, or false with the reason.
  virtual bool read(const std::string& path, std::string& text, std::string& error) const = 0;
  // How diagnostics name the file at `path` (`HEAD~1:llr.fulcrum` for a file of a revision).
  virtual std::string shownName(const std::string& path) const { return path; }
  // The one name of the file at `path`, however it is reached (symlinks, `..`): two imports whose
  // names agree are one module. By default the file system's weakly canonical path.
  virtual std::string canonical(const std::string& path) const;
};

// The file system: what every command but `diff REV:PATH` reads.
const SourceProvider& fileSystemSources();

} // namespace fulcrum
