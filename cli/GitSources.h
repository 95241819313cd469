// `fulcrum diff REV:PATH`: a framework file and its imports as a git revision holds them.
#pragma once

#include "compiler/source/SourceProvider.h"

#include <filesystem>
#include <memory>
#include <optional>
#include <set>
#include <string>

namespace fulcrum::cli {

struct RevisionPath {
  std::string revision, path; // `HEAD~1`, `llr.fulcrum`
};

// `REV:PATH` when `argument` is no existing file and has a colon with text on both sides.
std::optional<RevisionPath> revisionPathOf(const std::string& argument);

// The files of one revision of the repository around the current directory (git rev-parse
// --show-toplevel). A path inside the repository is read from the revision (`git show
// REV:PATH`), one outside it (the standard library, a --lib folder elsewhere) from disk.
// Paths are named as they stand in the working tree, so that imports and `from` paths resolve
// as if the revision's files stood there.
class GitRevisionSources final : public SourceProvider {
public:
  // Opens `at.revision` and checks that it holds `at.path`; null with git's message when either
  // is unknown. `location` is where that file stands in the working tree (relative to the current
  // directory when it is inside it): what to compile.
  static std::shared_ptr<const GitRevisionSources> open(const RevisionPath& at,
                                                        std::string& location, std::string& error);

  bool isFile(const std::string& path) const override;
  bool read(const std::string& path, std::string& text, std::string& error) const override;
  std::string shownName(const std::string& path) const override;

private:
  // The path relative to the repository's top, or nothing when it is outside the repository.
  std::optional<std::string> inRepository(const std::string& path) const;

  std::string revision_;
  std::filesystem::path top_, cwd_;
  std::set<std::string> files_; // every file of the revision, relative to the top
};

} // namespace fulcrum::cli
