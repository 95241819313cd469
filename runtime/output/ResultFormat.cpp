// Machine formats print raw values (a percent as its fraction, dates ISO, missing empty/null);
// the table format is for people.
#include "runtime/output/ResultFormat.h"

#include "support/Money.h"
#include "support/Text.h"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>

namespace fulcrum::runtime {

static std::string formatPeriodCode(double code, int fiscalStart) {
  const auto first = static_cast<DayNumber>(periodCodeFirst(code));
  const auto last = static_cast<DayNumber>(periodCodeLast(code));
  if (auto p = periodWithBounds(first, last, fiscalStart))
    return formatPeriod(*p);
  // A calendar quarter or year under a fiscal calendar (a data cell, a `--param`).
  if (auto p = periodWithBounds(first, last))
    return formatPeriod(*p);
  return formatDate(first) + ".." + formatDate(last);
}

std::string ResultTable::raw(size_t column, size_t subject) const {
  if (!present(column, subject))
    return "";
  return rawValue(columns[column].kind, value(column, subject), strings, fiscalStart);
}

std::string rawValue(ValueType kind, double v, const std::vector<std::string>& strings,
                     int fiscalStart) {
  switch (kind) {
  case ValueType::Text:
    return strings.at(static_cast<size_t>(v)); // a code from elsewhere throws, never reads past
  case ValueType::Date:
    return formatDate(static_cast<DayNumber>(v));
  case ValueType::Period:
    return formatPeriodCode(v, fiscalStart);
  case ValueType::Bool:
    return v != 0 ? "true" : "false";
  case ValueType::Money: // held in units of 1/10,000: its exact decimal
    return plainMoney(v);
  default:
    return fmt::format("{}", v);
  }
}

std::string csvField(const std::string& text) {
  if (text.find_first_of(",\"\r\n") == std::string::npos)
    return text;
  std::string out = "\"";
  for (char c : text)
    out += c == '"' ? std::string("\"\"") : std::string(1, c);
  out += '"';
  return out;
}

// Whether |v| rounds to a whole number a long long holds (false for inf and NaN), so that
// converting it is defined.
static bool fitsWhole(double v) {
  return std::fabs(v) < 9e18;
}

std::string shownValue(ValueType kind, double v, bool present,
                       const std::vector<std::string>& strings, int fiscalStart,
                       std::string_view currencySign) {
  if (!present)
    return "-";
  switch (kind) {
  case ValueType::Percent: {
    // At most one decimal: 12.5%, 166% (not 166.0%).
    std::string text = fmt::format("{:.1f}", v * 100);
    if (text.size() > 2 && text.compare(text.size() - 2, 2, ".0") == 0)
      text.resize(text.size() - 2);
    return text == "-0" ? "0%" : text + "%";
  }
  case ValueType::Money:
    return shownMoney(v, currencySign);
  case ValueType::Count:
    // An integer, with thousands separators.
    if (!fitsWhole(v))
      return fmt::format("{}", v);
    return withThousands(std::llround(v));
  case ValueType::Number:
    return fmt::format("{:.2f}", v);
  default:
    return rawValue(kind, v, strings, fiscalStart);
  }
}

std::string humanValue(const ResultTable& table, size_t column, size_t subject) {
  return shownValue(table.columns[column].kind, table.value(column, subject),
                    table.present(column, subject), table.strings, table.fiscalStart,
                    table.currencySign);
}

std::pair<std::string, std::string> shownApart(const std::string& shownA, const std::string& rawA,
                                               const std::string& shownB, const std::string& rawB) {
  if (shownA == shownB && rawA != rawB)
    return {rawA, rawB};
  return {shownA, shownB};
}

bool jsonQuoted(ValueType kind) {
  return kind == ValueType::Text || kind == ValueType::Date || kind == ValueType::Period;
}

std::string jsonValue(const ResultTable& table, size_t column, size_t subject) {
  if (!table.present(column, subject))
    return "null";
  if (jsonQuoted(table.columns[column].kind))
    return jsonQuote(table.raw(column, subject));
  return table.raw(column, subject);
}

bool subjectBefore(const ResultTable& table, size_t a, size_t b) {
  if (const int32_t rank = table.orderColumn; rank >= 0) {
    const bool hasA = table.present(rank, a), hasB = table.present(rank, b);
    if (hasA != hasB)
      return hasA; // a missing rank sorts last
    if (hasA && table.value(rank, a) != table.value(rank, b))
      return table.value(rank, a) < table.value(rank, b);
  }
  return table.keys[a] < table.keys[b];
}

std::vector<size_t> subjectOrder(const ResultTable& table) {
  std::vector<size_t> order(table.subjects());
  for (size_t s = 0; s < order.size(); ++s)
    order[s] = s;
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return subjectBefore(table, a, b); });
  return order;
}

static bool rightAligned(ValueType kind) {
  return kind == ValueType::Number || kind == ValueType::Count || kind == ValueType::Money ||
         kind == ValueType::Percent;
}

// The widest cell of the table format, in code points (the last one an ellipsis).
constexpr size_t kMaxTableCellWidth = 60;

std::string alignedRows(std::vector<std::vector<std::string>> rows, const std::vector<bool>& right,
                        const std::string& indent) {
  auto width = [](const std::string& text) {
    size_t n = 0;
    for (unsigned char ch : text)
      n += (ch & 0xC0) != 0x80;
    return n;
  };
  // A table is for reading: a cell wider than kMaxTableCellWidth code points is cut, with an
  // ellipsis, so one long value (a 1 MB key) cannot pad every row to its width. CSV and JSON
  // carry every value whole.
  for (auto& row : rows)
    for (std::string& text : row)
      if (width(text) > kMaxTableCellWidth) {
        size_t kept = 0, at = 0;
        for (; at < text.size(); ++at)
          if ((static_cast<unsigned char>(text[at]) & 0xC0) != 0x80 && ++kept == kMaxTableCellWidth)
            break;
        text = text.substr(0, at) + "\u2026";
      }
  std::vector<size_t> widths;
  for (const auto& row : rows) {
    widths.resize(std::max(widths.size(), row.size()), 0);
    for (size_t c = 0; c < row.size(); ++c)
      widths[c] = std::max(widths[c], width(row[c]));
  }
  std::string out;
  for (size_t r = 0; r < rows.size(); ++r) {
    std::string line = indent;
    for (size_t c = 0; c < rows[r].size(); ++c) {
      const std::string& text = rows[r][c];
      const std::string pad(widths[c] - width(text), ' ');
      const bool rightHere = r > 0 && c < right.size() && right[c];
      if (c > 0)
        line += "  ";
      line += rightHere ? pad + text : text + (c + 1 < rows[r].size() ? pad : "");
    }
    out += line + "\n";
  }
  return out;
}

std::string formatResult(const ResultTable& table, OutputFormat format) {
  std::string out;
  const size_t subjects = table.subjects();
  switch (format) {
  case OutputFormat::Csv:
    out += csvField(table.keyName);
    for (const OutputColumn& c : table.columns) {
      out += ',';
      out += csvField(c.name);
    }
    out += "\n";
    for (size_t s = 0; s < subjects; ++s) {
      out += csvField(table.keys[s]);
      for (size_t c = 0; c < table.columns.size(); ++c) {
        out += ',';
        out += csvField(table.raw(c, s));
      }
      out += "\n";
    }
    return out;
  case OutputFormat::Json:
    out += "[";
    for (size_t s = 0; s < subjects; ++s) {
      out += s ? ",\n  {" : "\n  {";
      out += jsonQuote(table.keyName) + ": " + jsonQuote(table.keys[s]);
      for (size_t c = 0; c < table.columns.size(); ++c) {
        out += fmt::format(", {}: {}", jsonQuote(table.columns[c].name), jsonValue(table, c, s));
      }
      out += "}";
    }
    out += subjects ? "\n]\n" : "]\n";
    return out;
  case OutputFormat::Table: {
    std::vector<std::vector<std::string>> cells(subjects + 1);
    cells[0].push_back(table.keyName);
    for (const OutputColumn& c : table.columns)
      cells[0].push_back(c.name);
    // In rank order when the framework ranks its subjects; else as the other formats list them.
    std::vector<size_t> order(subjects);
    for (size_t s = 0; s < subjects; ++s)
      order[s] = s;
    if (table.orderColumn >= 0)
      order = subjectOrder(table);
    for (size_t row = 0; row < subjects; ++row) {
      const size_t s = order[row];
      cells[row + 1].push_back(table.keys[s]);
      for (size_t c = 0; c < table.columns.size(); ++c)
        cells[row + 1].push_back(humanValue(table, c, s));
    }
    std::vector<bool> right(table.columns.size() + 1, false);
    for (size_t c = 0; c < table.columns.size(); ++c)
      right[c + 1] = rightAligned(table.columns[c].kind);
    return alignedRows(std::move(cells), right);
  }
  }
  return out;
}

} // namespace fulcrum::runtime
