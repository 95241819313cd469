// The source files of one compilation and positions in them: every AST node carries a range.
#pragma once

#include "compiler/source/SourceProvider.h"

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace fulcrum {

using FileId = uint32_t;

// A position: 1-based line, 1-based column counted in characters (code points).
struct SourceLoc {
  uint32_t line = 0;
  uint32_t column = 0;
  bool operator==(const SourceLoc&) const = default;
  auto operator<=>(const SourceLoc&) const = default;
};

// A half-open span [begin, end) in one file.
struct SourceRange {
  FileId file = 0;
  SourceLoc begin;
  SourceLoc end;

  bool valid() const { return begin.line != 0; }
  // The smallest range covering both (same file assumed).
  static SourceRange cover(const SourceRange& first, const SourceRange& last) {
    return SourceRange{first.file, first.begin, last.end};
  }
};

struct SourceFile {
  std::string path; // as diagnostics name it
  // Where the file stands: imports and `from` paths in it resolve relative to this. The same as
  // `path` unless the text came from elsewhere (a git revision: `path` is `HEAD~1:llr.fulcrum`
  // and this is `llr.fulcrum`, the file's place in the working tree).
  std::string location;
  std::string text;
  std::vector<size_t> lineStarts; // byte offset of each line's first byte

  std::string_view lineText(uint32_t line) const;
};

class SourceManager {
public:
  // Reads a file (from disk unless `from` says otherwise); returns false (and leaves nothing
  // behind) when it cannot be read.
  bool load(const std::string& path, FileId& id, std::string& error,
            const SourceProvider& from = fileSystemSources());
  // A file whose text is at hand; `location` defaults to `path`.
  FileId add(std::string path, std::string text, std::string location = "");
  const SourceFile& file(FileId id) const { return *files_[id]; }
  size_t size() const { return files_.size(); }

private:
  std::vector<std::unique_ptr<SourceFile>> files_;
};

} // namespace fulcrum
