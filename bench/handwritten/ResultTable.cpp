// Formatting a result table as CSV into one buffer, written at once.
#include "bench/handwritten/ResultTable.h"

#include <cstdio>
#include <fmt/format.h>
#include <stdexcept>

namespace handwritten {

std::vector<Maybe>& ResultTable::addNumbers(std::string name, size_t rows) {
  ResultColumn& column = columns.emplace_back();
  column.name = std::move(name);
  column.numbers.assign(rows, kMissing);
  return column.numbers;
}

std::vector<Maybe>& ResultTable::addNumbers(std::string name, std::vector<Maybe> values) {
  ResultColumn& column = columns.emplace_back();
  column.name = std::move(name);
  column.numbers = std::move(values);
  return column.numbers;
}

std::vector<const char*>& ResultTable::addTexts(std::string name, size_t rows) {
  ResultColumn& column = columns.emplace_back();
  column.name = std::move(name);
  column.texts.assign(rows, nullptr);
  return column.texts;
}

void appendCsvField(std::string& out, std::string_view text) {
  if (text.find_first_of(",\"\r\n") == std::string_view::npos) {
    out += text;
    return;
  }
  out += '"';
  for (char c : text) {
    if (c == '"')
      out += '"';
    out += c;
  }
  out += '"';
}

void writeResultCsv(const std::string& path, const std::vector<std::string>& keys,
                    const ResultTable& table) {
  std::string out = "id";
  for (const ResultColumn& column : table.columns) {
    out += ',';
    appendCsvField(out, column.name);
  }
  out += '\n';
  for (size_t row = 0; row < keys.size(); ++row) {
    appendCsvField(out, keys[row]);
    for (const ResultColumn& column : table.columns) {
      out += ',';
      if (!column.texts.empty()) {
        if (column.texts[row])
          appendCsvField(out, column.texts[row]);
      } else if (column.numbers[row].present) {
        fmt::format_to(std::back_inserter(out), "{}", column.numbers[row].value);
      }
    }
    out += '\n';
  }
  writeWhole(path, out);
}

void writeWhole(const std::string& path, const std::string& out) {
  std::FILE* file = std::fopen(path.c_str(), "wb");
  if (!file)
    throw std::runtime_error(fmt::format("{}: cannot write", path));
  const bool written = std::fwrite(out.data(), 1, out.size(), file) == out.size();
  if (std::fclose(file) != 0 || !written)
    throw std::runtime_error(fmt::format("{}: cannot write", path));
}

} // namespace handwritten
