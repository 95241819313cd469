// The export styles of fulcrum-gen; see ExportStyle.h.
#include "tools/fulcrum-gen/ExportStyle.h"

#include "support/Calendar.h"

#include <fmt/format.h>

namespace fulcrum::gen {
namespace {

// What each column of the generated files holds, by its ISO header name.
struct ColumnKind {
  std::string_view name;
  int kind; // 1 date, 2 money, 3 number with decimals
};
constexpr ColumnKind kColumns[] = {
    {"hire_date", 1},  {"renewal_date", 1}, {"engaged", 1}, {"closed", 1},
    {"day", 1},        {"at", 1},           {"value", 2},   {"quota", 2},
    {"leadership", 3}, {"leverage", 3},     {"weight", 3},
};

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
  bool negative = text.starts_with('-');
  if (negative)
    text.remove_prefix(1);
  const size_t point = text.find('.');
  const std::string_view whole = text.substr(0, point);
  std::string fraction(point == std::string_view::npos ? "" : text.substr(point + 1));
  while (fraction.size() < 2)
    fraction += '0';
  std::string out = negative ? "-" : "";
  for (size_t i = 0; i < whole.size(); ++i) {
    if (i > 0 && (whole.size() - i) % 3 == 0)
      out += group;
    out += whole[i];
  }
  out += decimal;
  out += fraction;
  return out;
}

} // namespace

std::optional<ExportStyle> exportStyleNamed(std::string_view name) {
  if (name == "iso")
    return ExportStyle::Iso;
  if (name == "salesforce")
    return ExportStyle::Salesforce;
  if (name == "hubspot")
    return ExportStyle::Hubspot;
  if (name == "european")
    return ExportStyle::European;
  return std::nullopt;
}

StyledFile::StyledFile(ExportStyle style, std::string_view header) : style_(style) {
  if (style_ == ExportStyle::Hubspot || style_ == ExportStyle::European)
    head_ = "\xEF\xBB\xBF";
  size_t start = 0;
  for (;;) {
    const size_t comma = header.find(',', start);
    const std::string_view name = header.substr(start, comma - start);
    Kind kind = Kind::Text;
    for (const ColumnKind& column : kColumns)
      if (column.name == name)
        kind = column.kind == 1 ? Kind::Date : column.kind == 2 ? Kind::Money : Kind::Number;
    kinds_.push_back(kind);
    if (start > 0)
      head_ += style_ == ExportStyle::European ? ";" : ",";
    switch (style_) {
    case ExportStyle::Salesforce:
      head_ += fmt::format("\"{}\"", name);
      break;
    case ExportStyle::Hubspot:
      head_ += titleCase(name);
      break;
    default:
      head_ += name;
      break;
    }
    if (comma == std::string_view::npos)
      break;
    start = comma + 1;
  }
  head_ += style_ == ExportStyle::Salesforce || style_ == ExportStyle::European ? "\r\n" : "\n";
}

void StyledFile::cell(Kind kind, std::string_view text, std::string& out) const {
  if (text.empty()) {
    out += style_ == ExportStyle::Salesforce ? "\"\"" : "";
    return;
  }
  std::string value(text);
  if (kind == Kind::Date) {
    const auto day = parseDate(text);
    int year = 0, month = 0, dayOfMonth = 0;
    if (day) {
      const DayNumber shown = style_ == ExportStyle::Hubspot ? *day + 1 : *day;
      civilFromDay(shown, year, month, dayOfMonth);
    }
    switch (style_) {
    case ExportStyle::Salesforce:
      value = fmt::format("{}/{}/{:04}", month, dayOfMonth, year);
      break;
    case ExportStyle::Hubspot: // 01:30 UTC the next day: 17:30 or 18:30 the day before in LA
      value = fmt::format("{:04}-{:02}-{:02}T01:30:00Z", year, month, dayOfMonth);
      break;
    case ExportStyle::European:
      value = fmt::format("{:02}.{:02}.{:04}", dayOfMonth, month, year);
      break;
    case ExportStyle::Iso:
      break;
    }
  } else if (kind == Kind::Money) {
    if (style_ == ExportStyle::Salesforce)
      value = value.starts_with('-') ? "-$" + groupedAmount(value.substr(1), ",", '.')
                                     : "$" + groupedAmount(value, ",", '.');
    else if (style_ == ExportStyle::European)
      value = groupedAmount(value, ".", ',') + " \u20AC";
  } else if (kind == Kind::Number && style_ == ExportStyle::European) {
    for (char& c : value)
      c = c == '.' ? ',' : c;
  }
  if (style_ == ExportStyle::Salesforce)
    value = "\"" + value + "\"";
  out += value;
}

void StyledFile::restyle(std::string_view rows, std::string& out) const {
  const char* lineEnd =
      style_ == ExportStyle::Salesforce || style_ == ExportStyle::European ? "\r\n" : "\n";
  const char separator = style_ == ExportStyle::European ? ';' : ',';
  size_t pos = 0;
  while (pos < rows.size()) {
    size_t end = rows.find('\n', pos);
    if (end == std::string_view::npos)
      end = rows.size();
    const std::string_view line = rows.substr(pos, end - pos);
    size_t start = 0;
    for (size_t column = 0;; ++column) {
      const size_t comma = line.find(',', start);
      if (column > 0)
        out += separator;
      cell(column < kinds_.size() ? kinds_[column] : Kind::Text, line.substr(start, comma - start),
           out);
      if (comma == std::string_view::npos)
        break;
      start = comma + 1;
    }
    out += lineEnd;
    pos = end + 1;
  }
}

} // namespace fulcrum::gen
