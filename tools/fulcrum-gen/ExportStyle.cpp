// The export styles of fulcrum-gen; see ExportStyle.h.
#include "tools/fulcrum-gen/ExportStyle.h"

#include "support/Calendar.h"

#include <fmt/format.h>
#include <stdexcept>

namespace fulcrum::gen {

// How one style writes a file: one row of kStyles.
struct StyleRow {
  ExportStyle style;
  std::string_view name; // as --style takes it
  bool bom;              // a UTF-8 BOM before the header
  char delimiter;
  std::string_view lineEnd;
  bool quoteAll;  // every cell quoted (else only a cell holding the delimiter, a quote or a break)
  bool titleCase; // header `close_date` written `Close Date`
  // A date's cell from its civil parts (after `dayShift`).
  std::string (*date)(int year, int month, int day);
  int dayShift; // days added before writing (a UTC timestamp of a Los Angeles evening)
  // Money: `prefix` digits grouped by `group`, `decimal`, two decimals at least, `suffix`; an
  // empty group leaves the amount as written.
  std::string_view moneyPrefix, moneySuffix, group;
  char decimal; // also a decimal number's point
};

namespace {

std::string isoDate(int y, int m, int d) {
  return fmt::format("{:04}-{:02}-{:02}", y, m, d);
}
std::string usDate(int y, int m, int d) {
  return fmt::format("{}/{}/{:04}", m, d, y);
}
// 01:30 UTC the next day: 17:30 or 18:30 the day before in Los Angeles.
std::string utcEvening(int y, int m, int d) {
  return fmt::format("{:04}-{:02}-{:02}T01:30:00Z", y, m, d);
}
std::string europeanDate(int y, int m, int d) {
  return fmt::format("{:02}.{:02}.{:04}", d, m, y);
}

constexpr StyleRow kStyles[] = {
    {ExportStyle::Iso, "iso", false, ',', "\n", false, false, isoDate, 0, "", "", "", '.'},
    {ExportStyle::Salesforce, "salesforce", false, ',', "\r\n", true, false, usDate, 0, "$", "",
     ",", '.'},
    {ExportStyle::Hubspot, "hubspot", true, ',', "\n", false, true, utcEvening, 1, "", "", "", '.'},
    {ExportStyle::European, "european", true, ';', "\r\n", false, false, europeanDate, 0, "",
     " \u20AC", ".", ','},
};

const StyleRow& styleRow(ExportStyle style) {
  for (const StyleRow& row : kStyles)
    if (row.style == style)
      return row;
  return kStyles[0];
}

struct NamedColumn {
  std::string_view name;
  ColumnKind kind;
};
constexpr NamedColumn kColumns[] = {
    {"hire_date", ColumnKind::Date},     {"renewal_date", ColumnKind::Date},
    {"engaged", ColumnKind::Date},       {"closed", ColumnKind::Date},
    {"day", ColumnKind::Date},           {"at", ColumnKind::Date},
    {"value", ColumnKind::Money},        {"quota", ColumnKind::Money},
    {"leadership", ColumnKind::Decimal}, {"leverage", ColumnKind::Decimal},
    {"weight", ColumnKind::Decimal},
};

ColumnKind kindOf(std::string_view name) {
  for (const NamedColumn& column : kColumns)
    if (column.name == name)
      return column.kind;
  return ColumnKind::Text;
}

std::string titleCase(std::string_view name) {
  std::string out;
  bool start = true;
  for (char c : name) {
    if (c == '_') {
      out += ' ';
      start = true;
      continue;
    }
    out += start && c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c;
    start = false;
  }
  return out;
}

// `1234567.8` -> `1,234,567.80` with `group` and `decimal`: always two decimals, as exports do.
std::string groupedAmount(std::string_view text, std::string_view group, char decimal) {
  const size_t point = text.find('.');
  const std::string_view whole = text.substr(0, point);
  std::string fraction(point == std::string_view::npos ? "" : text.substr(point + 1));
  while (fraction.size() < 2)
    fraction += '0';
  std::string out;
  for (size_t i = 0; i < whole.size(); ++i) {
    if (i > 0 && (whole.size() - i) % 3 == 0)
      out += group;
    out += whole[i];
  }
  out += decimal;
  out += fraction;
  return out;
}

// Reads the CSV cell starting at `pos` of `rows` (quotes undone) into `cell`; returns the
// position of the delimiter or line break after it. A quoted cell may hold commas and breaks.
size_t readCell(std::string_view rows, size_t pos, std::string& cell) {
  cell.clear();
  if (pos < rows.size() && rows[pos] == '"') {
    ++pos;
    while (pos < rows.size()) {
      if (rows[pos] == '"') {
        if (pos + 1 < rows.size() && rows[pos + 1] == '"') {
          cell += '"';
          pos += 2;
          continue;
        }
        ++pos;
        break;
      }
      cell += rows[pos++];
    }
  }
  while (pos < rows.size() && rows[pos] != ',' && rows[pos] != '\n')
    cell += rows[pos++];
  return pos;
}

// `text` as a cell of `style`: quoted when the style quotes every cell or the text needs it.
void writeCell(const StyleRow& style, std::string_view text, std::string& out) {
  bool quote = style.quoteAll;
  for (size_t i = 0; i < text.size() && !quote; ++i)
    quote = text[i] == style.delimiter || text[i] == '"' || text[i] == '\r' || text[i] == '\n';
  if (!quote) {
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

} // namespace

std::optional<ExportStyle> exportStyleNamed(std::string_view name) {
  for (const StyleRow& row : kStyles)
    if (row.name == name)
      return row.style;
  return std::nullopt;
}

std::string exportStyleNames() {
  std::string out;
  for (size_t i = 0; i < std::size(kStyles); ++i)
    out += std::string(i == 0                        ? ""
                       : i + 1 == std::size(kStyles) ? " or "
                                                     : ", ") +
           std::string(kStyles[i].name);
  return out;
}

StyledFile::StyledFile(ExportStyle style, std::string_view header) : style_(styleRow(style)) {
  if (style_.bom)
    head_ = "\xEF\xBB\xBF";
  std::string name;
  for (size_t pos = 0;;) {
    pos = readCell(header, pos, name);
    kinds_.push_back(kindOf(name));
    names_.push_back(name);
    if (kinds_.size() > 1)
      head_ += style_.delimiter;
    writeCell(style_, style_.titleCase ? titleCase(name) : name, head_);
    if (pos >= header.size() || header[pos] != ',')
      break;
    ++pos;
  }
  head_ += style_.lineEnd;
}

void StyledFile::cell(size_t column, std::string_view text, std::string& out) const {
  const ColumnKind kind = column < kinds_.size() ? kinds_[column] : ColumnKind::Text;
  if (text.empty() || kind == ColumnKind::Text) {
    writeCell(style_, text, out);
    return;
  }
  std::string value(text);
  switch (kind) {
  case ColumnKind::Date: {
    const std::optional<DayNumber> day = parseDate(text);
    if (!day)
      throw std::runtime_error(fmt::format("--style {}: the column `{}` holds `{}`, which is no "
                                           "ISO date (YYYY-MM-DD)",
                                           style_.name, names_[column], text));
    int year = 0, month = 0, dayOfMonth = 0;
    civilFromDay(*day + style_.dayShift, year, month, dayOfMonth);
    value = style_.date(year, month, dayOfMonth);
    break;
  }
  case ColumnKind::Money:
    if (!style_.group.empty()) {
      const bool negative = text.starts_with('-');
      value =
          fmt::format("{}{}{}{}", negative ? "-" : "", style_.moneyPrefix,
                      groupedAmount(text.substr(negative ? 1 : 0), style_.group, style_.decimal),
                      style_.moneySuffix);
    }
    break;
  case ColumnKind::Decimal:
    for (char& c : value)
      c = c == '.' ? style_.decimal : c;
    break;
  case ColumnKind::Text:
    break;
  }
  writeCell(style_, value, out);
}

void StyledFile::restyle(std::string_view rows, std::string& out) const {
  std::string text;
  size_t pos = 0;
  while (pos < rows.size()) {
    for (size_t column = 0;; ++column) {
      pos = readCell(rows, pos, text);
      if (column > 0)
        out += style_.delimiter;
      cell(column, text, out);
      if (pos >= rows.size() || rows[pos] == '\n')
        break;
      ++pos; // the comma
    }
    out += style_.lineEnd;
    ++pos; // the line break
  }
}

} // namespace fulcrum::gen
