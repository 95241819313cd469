// Binary COPY values to cell texts (all big-endian; dates count from 2000-01-01). Numerics are
// turned into their decimal digits, never through a double, so money stays exact.
#include "runtime/postgres/PgTypes.h"

#include "support/Calendar.h"

#include <array>
#include <cmath>
#include <cstring>
#include <fmt/format.h>
#include <limits>

namespace fulcrum::runtime::postgres {
namespace {

uint64_t bigEndian(std::string_view bytes) {
  uint64_t value = 0;
  for (char c : bytes)
    value = (value << 8) | static_cast<unsigned char>(c);
  return value;
}

template <typename T> bool integer(std::string_view bytes, std::string& out) {
  if (bytes.size() != sizeof(T))
    return false;
  out += fmt::format("{}", static_cast<T>(bigEndian(bytes)));
  return true;
}

// A double's shortest round-trip digits, written without an exponent (`1e+20` is
// 100000000000000000000), as a CSV cell holds a number.
void plainDecimal(std::string shortest, std::string& out) {
  const size_t e = shortest.find('e');
  if (e == std::string::npos) {
    out += shortest;
    return;
  }
  int exponent = std::stoi(shortest.substr(e + 1));
  std::string mantissa = shortest.substr(0, e);
  if (mantissa.starts_with('-')) {
    out += '-';
    mantissa.erase(0, 1);
  }
  std::string digits;
  int pointAt = 0; // digits before the point
  for (char c : mantissa)
    if (c == '.')
      pointAt = static_cast<int>(digits.size());
    else
      digits += c;
  if (mantissa.find('.') == std::string::npos)
    pointAt = static_cast<int>(digits.size());
  pointAt += exponent;
  if (pointAt <= 0) {
    out += "0." + std::string(static_cast<size_t>(-pointAt), '0') + digits;
  } else if (pointAt >= static_cast<int>(digits.size())) {
    out += digits + std::string(static_cast<size_t>(pointAt) - digits.size(), '0');
  } else {
    out += digits.substr(0, static_cast<size_t>(pointAt)) + "." +
           digits.substr(static_cast<size_t>(pointAt));
  }
}

// A float as a cell holds it; NaN and the infinities spelt as PostgreSQL spells them (`NaN`,
// `Infinity`, `-Infinity`), which the cell parser refuses, so a message shows what the table holds.
template <typename Float> void floatText(Float value, std::string& out) {
  if (std::isnan(value))
    out += "NaN";
  else if (std::isinf(value))
    out += value < 0 ? "-Infinity" : "Infinity";
  else
    plainDecimal(fmt::format("{}", value), out);
}

bool float4(std::string_view bytes, std::string& out) {
  if (bytes.size() != 4)
    return false;
  const auto bits = static_cast<uint32_t>(bigEndian(bytes));
  float value = 0;
  std::memcpy(&value, &bits, sizeof value);
  floatText(value, out);
  return true;
}

bool float8(std::string_view bytes, std::string& out) {
  if (bytes.size() != 8)
    return false;
  const uint64_t bits = bigEndian(bytes);
  double value = 0;
  std::memcpy(&value, &bits, sizeof value);
  floatText(value, out);
  return true;
}

// numeric: ndigits, weight (of the first digit, in powers of 10,000), sign, dscale (decimal
// digits after the point), then ndigits base-10,000 digits.
bool numeric(std::string_view bytes, std::string& out) {
  if (bytes.size() < 8)
    return false;
  const auto ndigits = static_cast<int16_t>(bigEndian(bytes.substr(0, 2)));
  const auto weight = static_cast<int16_t>(bigEndian(bytes.substr(2, 2)));
  const auto sign = static_cast<uint16_t>(bigEndian(bytes.substr(4, 2)));
  const auto dscale = static_cast<int16_t>(bigEndian(bytes.substr(6, 2)));
  if (ndigits < 0 || dscale < 0 || bytes.size() != 8 + 2 * static_cast<size_t>(ndigits))
    return false;
  if (sign == 0xC000 || sign == 0xD000 || sign == 0xF000) { // NaN, Infinity, -Infinity
    out += sign == 0xC000 ? "NaN" : sign == 0xD000 ? "Infinity" : "-Infinity";
    return true;
  }
  if (sign != 0x0000 && sign != 0x4000)
    return false;
  auto digit = [&](int i) -> int {
    if (i < 0 || i >= ndigits)
      return 0;
    return static_cast<int16_t>(bigEndian(bytes.substr(8 + 2 * static_cast<size_t>(i), 2)));
  };
  for (int i = 0; i < ndigits; ++i)
    if (digit(i) < 0 || digit(i) > 9999)
      return false;
  std::string whole;
  for (int i = 0; i <= weight; ++i)
    whole += fmt::format("{:04}", digit(i));
  const size_t firstDigit = whole.find_first_not_of('0');
  whole = firstDigit == std::string::npos ? "0" : whole.substr(firstDigit);
  std::string fraction;
  for (int k = 1; static_cast<int>(fraction.size()) < dscale; ++k)
    fraction += fmt::format("{:04}", digit(weight + k));
  fraction.resize(static_cast<size_t>(dscale));
  while (!fraction.empty() && fraction.back() == '0')
    fraction.pop_back(); // 5.00 is 5, as a cell may write it
  if (sign == 0x4000 && (whole != "0" || !fraction.empty()))
    out += '-';
  out += whole;
  if (!fraction.empty())
    out += "." + fraction;
  return true;
}

bool text(std::string_view bytes, std::string& out) {
  out += bytes;
  return true;
}

// character(n) pads with spaces that PostgreSQL itself disregards (its cast to text drops them).
bool paddedText(std::string_view bytes, std::string& out) {
  while (!bytes.empty() && bytes.back() == ' ')
    bytes.remove_suffix(1);
  out += bytes;
  return true;
}

bool boolean(std::string_view bytes, std::string& out) {
  if (bytes.size() != 1)
    return false;
  out += bytes[0] ? "true" : "false";
  return true;
}

// A day from 2000-01-01 as YYYY-MM-DD; outside the years 0000-9999 a text the date parser
// refuses, naming the value.
void dayText(int64_t sinceY2k, std::string& out) {
  static const int64_t y2k = dayFromCivil(2000, 1, 1);
  static const int64_t first = dayFromCivil(0, 1, 1), last = dayFromCivil(9999, 12, 31);
  const int64_t day = y2k + sinceY2k;
  if (day < first || day > last) {
    out += "a date outside the years 0000-9999";
    return;
  }
  out += formatDate(static_cast<DayNumber>(day));
}

bool date(std::string_view bytes, std::string& out) {
  if (bytes.size() != 4)
    return false;
  const auto days = static_cast<int32_t>(bigEndian(bytes));
  if (days == std::numeric_limits<int32_t>::max() || days == std::numeric_limits<int32_t>::min())
    out += days > 0 ? "infinity" : "-infinity"; // PostgreSQL's spelling; no day of the calendar
  else
    dayText(days, out);
  return true;
}

// timestamp and timestamptz: microseconds from 2000-01-01 00:00 (UTC for timestamptz); a date
// field reads the day.
bool timestamp(std::string_view bytes, std::string& out) {
  if (bytes.size() != 8)
    return false;
  const auto micros = static_cast<int64_t>(bigEndian(bytes));
  constexpr int64_t kMicrosPerDay = int64_t{86400} * 1000000;
  if (micros == std::numeric_limits<int64_t>::max() ||
      micros == std::numeric_limits<int64_t>::min()) {
    out += micros > 0 ? "infinity" : "-infinity";
    return true;
  }
  int64_t days = micros / kMicrosPerDay;
  if (micros % kMicrosPerDay < 0)
    --days;
  dayText(days, out);
  return true;
}

constexpr std::array kTypes{
    PgType{16, "boolean", PgFamily::Bool, boolean},
    PgType{20, "bigint", PgFamily::Integer, integer<int64_t>},
    PgType{21, "smallint", PgFamily::Integer, integer<int16_t>},
    PgType{23, "integer", PgFamily::Integer, integer<int32_t>},
    PgType{700, "real", PgFamily::Float, float4},
    PgType{701, "double precision", PgFamily::Float, float8},
    PgType{1700, "numeric", PgFamily::Numeric, numeric},
    PgType{25, "text", PgFamily::Text, text},
    PgType{1043, "character varying", PgFamily::Text, text},
    PgType{1042, "character", PgFamily::Text, paddedText},
    PgType{19, "name", PgFamily::Text, text},
    PgType{1082, "date", PgFamily::Date, date},
    PgType{1114, "timestamp without time zone", PgFamily::Timestamp, timestamp},
    PgType{1184, "timestamp with time zone", PgFamily::Timestamp, timestamp},
};

} // namespace

const PgType* pgType(uint32_t oid) {
  for (const PgType& type : kTypes)
    if (type.oid == oid)
      return &type;
  return nullptr;
}

bool fieldReads(const FieldSchema& field, PgFamily family, std::string& accepted) {
  using F = PgFamily;
  switch (field.kind) {
  case ValueKind::Number:
    if (field.typeName == "money") {
      accepted = family == F::Float ? "numeric or an integer type (a float is not exact money)"
                                    : "numeric or an integer type";
      return family == F::Numeric || family == F::Integer;
    }
    if (field.typeName == "count") {
      accepted = "an integer type or numeric";
      return family == F::Numeric || family == F::Integer;
    }
    accepted = "numeric, an integer type, real or double precision";
    return family == F::Numeric || family == F::Integer || family == F::Float;
  case ValueKind::Bool:
    accepted = "boolean";
    return family == F::Bool;
  case ValueKind::Date:
    accepted = "date, or a timestamp (its day; UTC for timestamp with time zone)";
    return family == F::Date || family == F::Timestamp;
  case ValueKind::Period:
    accepted = "text, character varying or character (`2017-Q3`)";
    return family == F::Text;
  case ValueKind::Text:
  case ValueKind::Reference:
    accepted = "text, character varying, character or an integer type";
    return family == F::Text || family == F::Integer;
  }
  return false;
}

} // namespace fulcrum::runtime::postgres
