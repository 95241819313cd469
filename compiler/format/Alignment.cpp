// Column alignment after layout: the printer records where each aligned token landed; this pads.
#include "compiler/format/Alignment.h"

#include <algorithm>
#include <map>

namespace fulcrum::format {

namespace {

// Characters (UTF-8 code points) in `text`: a string before `=>` may hold any text.
size_t columnsOf(const std::string& text) {
  return static_cast<size_t>(std::count_if(text.begin(), text.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  }));
}

} // namespace

void alignColumns(std::vector<std::string>& lines, const std::vector<AlignedToken>& tokens) {
  std::map<int, std::vector<const AlignedToken*>> groups;
  for (const AlignedToken& token : tokens) {
    // A multi-line block comment before the token on its line makes its column unknowable.
    if (token.eligible && lines[token.line].find('\n') > token.byte)
      groups[token.group].push_back(&token);
  }
  for (const auto& [group, members] : groups) {
    size_t column = 0;
    for (const AlignedToken* token : members)
      column = std::max(column, columnsOf(lines[token->line].substr(0, token->byte)));
    for (const AlignedToken* token : members) {
      std::string& line = lines[token->line];
      line.insert(token->byte, column - columnsOf(line.substr(0, token->byte)), ' ');
    }
  }
}

} // namespace fulcrum::format
