// Reads a revision's files through git itself (rev-parse, ls-tree, show), each run with an
// argument vector: a revision or path is never seen by a shell.
#include "cli/GitSources.h"

#include "cli/Subprocess.h"

#include <fmt/format.h>

namespace fulcrum::cli {

namespace fs = std::filesystem;

namespace {

// What git said on stderr, without its final line break; or why it could not be run.
std::string gitMessage(const ProcessOutput& git) {
  if (!git.started)
    return fmt::format("cannot run git: {}", git.error);
  if (!git.error.empty())
    return fmt::format("git: {}", git.error);
  std::string message =
      git.err.empty() ? fmt::format("git failed with status {}", git.exitStatus) : git.err;
  while (!message.empty() && (message.back() == '\n' || message.back() == '\r'))
    message.pop_back();
  return message;
}

bool succeeded(const ProcessOutput& git) {
  return git.started && git.exitStatus == 0;
}

} // namespace

std::optional<RevisionPath> revisionPathOf(const std::string& argument) {
  std::error_code ec;
  const size_t colon = argument.find(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == argument.size() ||
      fs::exists(argument, ec))
    return std::nullopt;
  return RevisionPath{argument.substr(0, colon), argument.substr(colon + 1)};
}

std::shared_ptr<const GitRevisionSources>
GitRevisionSources::open(const RevisionPath& at, std::string& location, std::string& error) {
  auto sources = std::shared_ptr<GitRevisionSources>(new GitRevisionSources());
  sources->revision_ = at.revision;
  std::error_code ec;
  sources->cwd_ = fs::current_path(ec);
  const ProcessOutput top = runProcess({"git", "rev-parse", "--show-toplevel"});
  if (!succeeded(top)) {
    error = gitMessage(top);
    return nullptr;
  }
  std::string topPath = top.out;
  while (!topPath.empty() && (topPath.back() == '\n' || topPath.back() == '\r'))
    topPath.pop_back();
  sources->top_ = fs::path(topPath).lexically_normal();
  // The file itself first: git's own message for an unknown revision or path.
  const ProcessOutput shown = runProcess({"git", "show", at.revision + ":" + at.path});
  if (!succeeded(shown)) {
    error = gitMessage(shown);
    return nullptr;
  }
  const ProcessOutput tree =
      runProcess({"git", "ls-tree", "-r", "-z", "--name-only", "--full-tree", at.revision});
  if (!succeeded(tree)) {
    error = gitMessage(tree);
    return nullptr;
  }
  for (size_t begin = 0; begin < tree.out.size();) {
    const size_t end = std::min(tree.out.find('\0', begin), tree.out.size());
    sources->files_.insert(tree.out.substr(begin, end - begin));
    begin = end + 1;
  }
  // As git reads it: relative to the repository's top, or to the current directory when it
  // starts with ./ or ../.
  const bool fromHere = at.path.rfind("./", 0) == 0 || at.path.rfind("../", 0) == 0;
  const fs::path standing =
      ((fromHere ? sources->cwd_ : sources->top_) / at.path).lexically_normal();
  const fs::path relative = standing.lexically_relative(sources->cwd_);
  location = !relative.empty() && *relative.begin() != ".." ? relative.string() : standing.string();
  if (!sources->isFile(location)) {
    error = fmt::format("`{}:{}` is not a file", at.revision, at.path);
    return nullptr;
  }
  return sources;
}

std::optional<std::string> GitRevisionSources::inRepository(const std::string& path) const {
  const fs::path absolute = (cwd_ / path).lexically_normal(); // an absolute path stays itself
  const fs::path relative = absolute.lexically_relative(top_);
  if (relative.empty() || *relative.begin() == ".." || relative == ".")
    return std::nullopt;
  return relative.generic_string();
}

bool GitRevisionSources::isFile(const std::string& path) const {
  const auto relative = inRepository(path);
  return relative ? files_.count(*relative) != 0 : fileSystemSources().isFile(path);
}

bool GitRevisionSources::read(const std::string& path, std::string& text,
                              std::string& error) const {
  const auto relative = inRepository(path);
  if (!relative)
    return fileSystemSources().read(path, text, error);
  if (!files_.count(*relative)) {
    error = fmt::format("no such file in revision {}", revision_);
    return false;
  }
  ProcessOutput shown =
      runProcess({"git", "-C", top_.string(), "show", revision_ + ":" + *relative});
  if (!succeeded(shown)) {
    error = gitMessage(shown);
    return false;
  }
  text = std::move(shown.out);
  return true;
}

std::string GitRevisionSources::shownName(const std::string& path) const {
  const auto relative = inRepository(path);
  return relative ? revision_ + ":" + *relative : path;
}

} // namespace fulcrum::cli
