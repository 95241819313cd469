// `fulcrum fmt FILE... [--check] [--write]`: files in the canonical layout (compiler/format/).
// Without flags the formatted text goes to stdout (several files one after another); --check lists
// the files that would change; --write rewrites them, each all or nothing (through a link, the
// file it names). A file with syntax errors gets check's diagnostics
// and is neither printed nor written.
#include "cli/Commands.h"
#include "compiler/format/Format.h"
#include "support/AtomicFile.h"

#include <algorithm>
#include <climits>
#include <cstdio>
#include <cstdlib>

namespace fulcrum::cli {

namespace {

enum class FmtMode { Print, Check, Write };

const char* const kFmtUsage = "usage: fulcrum fmt [--check | --write] FILE...\n";

// The file `path` names, links followed (the path itself when it cannot be resolved: the write
// then reports why).
std::string resolvedPath(const std::string& path) {
  char* resolved = realpath(path.c_str(), nullptr);
  if (!resolved)
    return path;
  std::string result = resolved;
  std::free(resolved);
  return result;
}

} // namespace

int fmtCommand(const std::vector<std::string>& args) {
  bool check = false, write = false;
  std::vector<std::string> files;
  for (const std::string& arg : args) {
    if (arg == "--check")
      check = true;
    else if (arg == "--write")
      write = true;
    else if (!arg.empty() && arg[0] == '-') {
      std::fprintf(stderr, "fulcrum fmt: unknown option `%s`\n%s", arg.c_str(), kFmtUsage);
      return kExitUsage;
    } else
      files.push_back(arg);
  }
  if (check && write) {
    std::fprintf(stderr, "fulcrum fmt: --check and --write exclude each other\n%s", kFmtUsage);
    return kExitUsage;
  }
  if (files.empty()) {
    std::fputs(kFmtUsage, stderr);
    return kExitUsage;
  }
  const FmtMode mode = check ? FmtMode::Check : write ? FmtMode::Write : FmtMode::Print;

  int status = kExitOk;
  // The worst outcome wins: an I/O error (2) over a compile error or a file to change (1).
  auto fail = [&status](int exit) { status = std::max(status, exit); };
  for (const std::string& path : files) {
    SourceManager sources;
    FileId file = 0;
    std::string error;
    if (!sources.load(path, file, error)) {
      std::fprintf(stderr, "fulcrum fmt: cannot read %s: %s\n", path.c_str(), error.c_str());
      fail(kExitDataError);
      continue;
    }
    DiagnosticSink sink;
    const format::Formatted formatted = format::formatFile(sources, file, sink);
    for (const Diagnostic& d : sink.diagnostics())
      std::fputs(renderText(d, sources).c_str(), stderr);
    if (!formatted.parsed) {
      const size_t errors = sink.errorCount(), warnings = sink.warningCount();
      std::fprintf(stderr, "%zu error%s, %zu warning%s\n", errors, errors == 1 ? "" : "s", warnings,
                   warnings == 1 ? "" : "s");
      fail(kExitCompileError);
      continue;
    }
    if (!formatted.internalError.empty()) {
      std::fprintf(stderr, "fulcrum fmt: %s: internal error: %s; the file is left as it was\n",
                   path.c_str(), formatted.internalError.c_str());
      fail(kExitCompileError);
      continue;
    }
    const bool changes = formatted.text != sources.file(file).text;
    switch (mode) {
    case FmtMode::Print:
      // fwrite, not fputs: a comment may hold a NUL byte.
      std::fwrite(formatted.text.data(), 1, formatted.text.size(), stdout);
      break;
    case FmtMode::Check:
      if (changes) {
        std::printf("%s\n", path.c_str());
        fail(kExitCompileError);
      }
      break;
    case FmtMode::Write:
      // An unchanged file is not touched: its time stamp and inode stay. A link is the user's
      // own way to name a source: the file it names is rewritten and the link stays a link.
      if (changes && !writeFileAtomically(resolvedPath(path), formatted.text,
                                          AtomicFile::Access::Output, error)) {
        std::fprintf(stderr, "fulcrum fmt: cannot write %s: %s\n", path.c_str(), error.c_str());
        fail(kExitDataError);
      }
      break;
    }
  }
  return status;
}

} // namespace fulcrum::cli
