// The per-rep results of a framework run, column by column, and their CSV form (the same as
// `fulcrum run --format csv`: numbers as fmt's shortest round-trip `{}`, missing as empty).
#pragma once

#include "bench/handwritten/Maybe.h"

#include <deque>
#include <string>
#include <string_view>
#include <vector>

namespace handwritten {

struct ResultColumn {
  std::string name;
  std::vector<Maybe> numbers;     // number columns
  std::vector<const char*> texts; // band columns: nullptr when missing
};

struct ResultTable {
  std::deque<ResultColumn> columns; // a deque: added columns keep their addresses

  // A new column for `rows` subjects, all missing.
  std::vector<Maybe>& addNumbers(std::string name, size_t rows);
  std::vector<Maybe>& addNumbers(std::string name, std::vector<Maybe> values);
  std::vector<const char*>& addTexts(std::string name, size_t rows);
};

// Writes `id` (the subjects' keys) then every column; throws std::runtime_error on I/O failure.
void writeResultCsv(const std::string& path, const std::vector<std::string>& keys,
                    const ResultTable& table);

// Appends `text` as one CSV field: quoted when it holds a comma, quote or line break, its quotes
// doubled.
void appendCsvField(std::string& out, std::string_view text);
// Writes `text` as the whole file at `path`; throws std::runtime_error on I/O failure.
void writeWhole(const std::string& path, const std::string& text);

} // namespace handwritten
