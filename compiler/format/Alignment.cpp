// Column alignment after layout: the printer records where each aligned token landed; this pads.
#include "compiler/format/Alignment.h"

#include <algorithm>
#include <map>
#include <unordered_map>

namespace fulcrum::format {

namespace {

// Characters (UTF-8 code points) in `text`: a string before `=>` may hold any text.
size_t columnsOf(const std::string& text) {
  return static_cast<size_t>(std::count_if(text.begin(), text.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  }));
}

} // namespace

void alignColumns(std::vector<std::string>& lines, std::vector<AlignedToken> tokens) {
  // Groups in order of their number, so that a line's trailing comment (a later group) is placed
  // after its `=>` has been.
  std::map<int, std::vector<size_t>> groups;
  std::unordered_map<size_t, std::vector<size_t>> byLine;
  for (size_t i = 0; i < tokens.size(); ++i) {
    byLine[tokens[i].line].push_back(i);
    // A multi-line block comment before the token on its line makes its column unknowable.
    if (tokens[i].eligible && lines[tokens[i].line].find('\n') > tokens[i].byte)
      groups[tokens[i].group].push_back(i);
  }
  for (const auto& [group, members] : groups) {
    size_t column = 0;
    for (size_t i : members)
      column = std::max(column, columnsOf(lines[tokens[i].line].substr(0, tokens[i].byte)));
    for (size_t i : members) {
      const AlignedToken& token = tokens[i];
      const size_t pad = column - columnsOf(lines[token.line].substr(0, token.byte));
      lines[token.line].insert(token.byte, pad, ' ');
      // Later aligned tokens of the line move with the padding.
      for (size_t other : byLine[token.line])
        if (tokens[other].byte > token.byte)
          tokens[other].byte += pad;
    }
  }
}

} // namespace fulcrum::format
