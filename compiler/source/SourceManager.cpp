// Loads source files and indexes their lines for diagnostics.
#include "compiler/source/SourceManager.h"

#include "compiler/source/Limits.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>

namespace fulcrum {

std::string_view SourceFile::lineText(uint32_t line) const {
  if (line == 0 || line > lineStarts.size())
    return {};
  const size_t begin = lineStarts[line - 1];
  size_t end = line < lineStarts.size() ? lineStarts[line] : text.size();
  while (end > begin && (text[end - 1] == '\n' || text[end - 1] == '\r'))
    --end;
  return std::string_view(text).substr(begin, end - begin);
}

FileId SourceManager::add(std::string path, std::string text, std::string location) {
  auto file = std::make_unique<SourceFile>();
  file->location = location.empty() ? path : std::move(location);
  file->path = std::move(path);
  file->text = std::move(text);
  // A UTF-8 byte order mark is not part of the text: editors show no column for it.
  if (file->text.rfind("\xEF\xBB\xBF", 0) == 0)
    file->text.erase(0, 3);
  file->lineStarts.push_back(0);
  for (size_t i = 0; i < file->text.size(); ++i)
    if (file->text[i] == '\n')
      file->lineStarts.push_back(i + 1);
  files_.push_back(std::move(file));
  return static_cast<FileId>(files_.size() - 1);
}

std::string SourceProvider::canonical(const std::string& path) const {
  std::error_code ec;
  return std::filesystem::weakly_canonical(path, ec).string();
}

namespace {

class FileSystemSources final : public SourceProvider {
public:
  bool isFile(const std::string& path) const override {
    std::error_code ec;
    return std::filesystem::is_regular_file(path, ec);
  }

  bool read(const std::string& path, std::string& text, std::string& error) const override {
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec)) {
      error = "it is a directory";
      return false;
    }
    std::ifstream in(path, std::ios::binary);
    if (!in) {
      error = std::strerror(errno);
      return false;
    }
    // Read to the end, not to the size a stat gave (a file that grows meanwhile, or a /proc-like
    // file of size 0, would be read short and `fmt --write` would write back a prefix), and one
    // byte past the limit at most: enough for the parser to reject the file (SourceTooLarge)
    // without reading the rest of something huge.
    text.clear();
    char chunk[1 << 16];
    while (text.size() <= kMaxSourceBytes) {
      const size_t want = std::min(sizeof chunk, kMaxSourceBytes + 1 - text.size());
      in.read(chunk, static_cast<std::streamsize>(want));
      const auto got = static_cast<size_t>(in.gcount());
      text.append(chunk, got);
      if (got < want)
        break; // the end, or an error (in.bad(), below)
    }
    text.shrink_to_fit();
    if (in.bad()) {
      error = std::strerror(errno);
      return false;
    }
    return true;
  }
};

} // namespace

const SourceProvider& fileSystemSources() {
  static const FileSystemSources sources;
  return sources;
}

bool SourceManager::load(const std::string& path, FileId& id, std::string& error,
                         const SourceProvider& from) {
  std::string text;
  if (!from.read(path, text, error))
    return false;
  id = add(from.shownName(path), std::move(text), path);
  return true;
}

} // namespace fulcrum
