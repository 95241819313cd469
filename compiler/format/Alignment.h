// Lining up tokens of a group in one column: a case's `=>`, a score's weights, the trailing
// comments of consecutive lines.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace fulcrum::format {

struct AlignedToken {
  int group = -1;
  size_t line = 0; // the output line
  size_t byte = 0; // where the token starts in it
  // On its item's first line, and the line's only aligned token: an arm whose condition goes on
  // over several lines keeps its `=>` where it falls.
  bool eligible = false;
};

// Pads the eligible tokens of each group with spaces before them so that they start in the
// column of the group's rightmost one (columns in characters, not bytes).
void alignColumns(std::vector<std::string>& lines, std::vector<AlignedToken> tokens);

} // namespace fulcrum::format
