// Reading one record of a file again by its line: for rejected rows' raw records and the cells
// of rare messages, so the loader keeps no per-row byte offsets.
#pragma once

#include "runtime/data/CsvReader.h"

#include <cstdint>
#include <string_view>
#include <vector>

namespace fulcrum::runtime {

class RecordFinder {
public:
  RecordFinder() = default;
  RecordFinder(std::string_view text, size_t headerFields, char delimiter = ',')
      : text_(text), headerFields_(headerFields), delimiter_(delimiter) {}

  bool empty() const { return text_.data() == nullptr; }
  // Reads the data record that starts at `line` into `record`; false if there is none.
  bool read(uint32_t line, CsvRecord& record) const;

private:
  static constexpr uint32_t kLinesPerCheckpoint = 64;
  std::string_view text_;
  size_t headerFields_ = 0;
  char delimiter_ = ',';
  // Offset of lines 1, 65, 129...: built on first use, one pass over the file.
  mutable std::vector<size_t> checkpoints_;
};

} // namespace fulcrum::runtime
