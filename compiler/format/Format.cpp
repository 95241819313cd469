// Formatting a file: parse (for its diagnostics), lay out its tokens, then check the result
// against the original before anyone writes it.
#include "compiler/format/Format.h"

#include "compiler/ast/Dump.h"
#include "compiler/format/Layout.h"
#include "compiler/parse/LayoutTokens.h"
#include "compiler/parse/Parse.h"

#include <algorithm>
#include <cctype>

namespace fulcrum::format {

namespace {

// Comment texts in order, trailing blanks aside (the layout drops those).
std::vector<std::string> commentsOf(const std::vector<LayoutToken>& tokens) {
  std::vector<std::string> comments;
  for (const LayoutToken& token : tokens)
    if (token.role == TokenRole::LineComment || token.role == TokenRole::BlockComment) {
      std::string text = token.text;
      if (token.role == TokenRole::LineComment)
        while (!text.empty() && (text.back() == ' ' || text.back() == '\t'))
          text.pop_back();
      comments.push_back(std::move(text));
    }
  return comments;
}

} // namespace

std::string dumpWithoutPositions(const std::string& dump) {
  std::string out;
  size_t start = 0;
  while (start < dump.size()) {
    size_t end = dump.find('\n', start);
    if (end == std::string::npos)
      end = dump.size();
    std::string line = dump.substr(start, end - start);
    // A position is ` @LINE:COLUMN` at the end of the line.
    const size_t at = line.rfind(" @");
    if (at != std::string::npos) {
      const std::string tail = line.substr(at + 2);
      const size_t colon = tail.find(':');
      const bool digits = colon != std::string::npos && colon > 0 && colon + 1 < tail.size() &&
                          std::all_of(tail.begin(), tail.end(), [](char c) {
                            return std::isdigit(static_cast<unsigned char>(c)) || c == ':';
                          });
      if (digits)
        line.resize(at);
    }
    out += line + '\n';
    start = end + 1;
  }
  return out;
}

Formatted formatFile(const SourceManager& sources, FileId file, DiagnosticSink& sink) {
  Formatted result;
  const SourceFile& source = sources.file(file);
  auto module = parseFile(sources, file, sink);
  if (!module)
    return result;
  result.parsed = true;
  const auto tokens = layoutTokens(source.text);
  if (!tokens) {
    result.internalError = "the file parsed once but not for formatting";
    return result;
  }
  std::string text = layOut(*tokens);

  SourceManager scratch;
  const FileId formatted = scratch.add(source.path, text);
  DiagnosticSink ignored;
  auto again = parseFile(scratch, formatted, ignored);
  const auto tokensAgain = layoutTokens(text);
  if (!again || !tokensAgain) {
    result.internalError = "the formatted text does not parse";
  } else if (dumpWithoutPositions(ast::dumpModule(*module, sources)) !=
             dumpWithoutPositions(ast::dumpModule(*again, scratch))) {
    result.internalError = "the formatted text means something else (its syntax tree differs)";
  } else if (commentsOf(*tokens) != commentsOf(*tokensAgain)) {
    result.internalError = "the formatted text lost or reordered a comment";
  } else {
    result.text = std::move(text);
  }
  return result;
}

} // namespace fulcrum::format
