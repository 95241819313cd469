// Line offsets from sparse checkpoints, then the CSV reader from the line's start.
#include "runtime/data/RecordFinder.h"

namespace fulcrum::runtime {
namespace {

// The position after the line break at or after `pos` (CRLF is one break).
size_t afterBreak(std::string_view text, size_t pos) {
  while (pos < text.size() && text[pos] != '\n' && text[pos] != '\r')
    ++pos;
  if (pos >= text.size())
    return text.size();
  if (text[pos] == '\r' && pos + 1 < text.size() && text[pos + 1] == '\n')
    return pos + 2;
  return pos + 1;
}

} // namespace

bool RecordFinder::read(uint32_t line, CsvRecord& record) const {
  if (line == 0)
    return false;
  if (checkpoints_.empty()) {
    checkpoints_.push_back(0);
    uint32_t at = 1;
    for (size_t pos = 0; pos < text_.size();) {
      pos = afterBreak(text_, pos);
      if (++at % kLinesPerCheckpoint == 1)
        checkpoints_.push_back(pos);
    }
  }
  const size_t checkpoint = (line - 1) / kLinesPerCheckpoint;
  if (checkpoint >= checkpoints_.size())
    return false;
  size_t pos = checkpoints_[checkpoint];
  for (uint32_t at = static_cast<uint32_t>(checkpoint * kLinesPerCheckpoint + 1); at < line; ++at)
    pos = afterBreak(text_, pos);
  CsvReader reader(text_, pos, line, headerFields_);
  reader.setDelimiter(delimiter_);
  return reader.next(record);
}

} // namespace fulcrum::runtime
