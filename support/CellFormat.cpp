// Compiling per-field formats and reading cells by them; see CellFormat.h.
#include "support/CellFormat.h"

#include "support/Calendar.h"

#include <array>
#include <charconv>
#include <cmath>
#include <fmt/format.h>

namespace fulcrum {
namespace {

constexpr std::string_view kDateParts = "YYYY (year), MM or M (month), DD or D (day), hh or h "
                                        "(hour), mm (minute), ss (second), SSS (fraction of a "
                                        "second), A (AM/PM), Z (UTC offset)";

bool isDigit(char c) {
  return c >= '0' && c <= '9';
}

// ---- dates --------------------------------------------------------------------------------

// The run of one letter starting at `i`.
size_t runLength(std::string_view text, size_t i) {
  size_t n = 1;
  while (i + n < text.size() && text[i + n] == text[i])
    ++n;
  return n;
}

bool compileDate(std::string_view text, const std::string* zoneName, CellFormat& out,
                 CellFormatError& error) {
  auto fail = [&](size_t at, size_t length, std::string message, std::string hint) {
    error = CellFormatError{at, length, false, std::move(message), std::move(hint)};
    return false;
  };
  bool year = false, month = false, day = false, hour = false, meridiem = false;
  bool minute = false, second = false, fraction = false;
  for (size_t i = 0; i < text.size();) {
    const char c = text[i];
    const size_t n = runLength(text, i);
    auto part = [&](DatePart p, bool& seen, const char* what) {
      if (seen)
        return fail(i, n, fmt::format("the format names the {} twice", what),
                    "each part may appear once");
      seen = true;
      out.steps.push_back(DateStep{p, 0});
      i += n;
      return true;
    };
    bool ok = true;
    switch (c) {
    case 'Y':
      if (n != 4)
        return fail(i, n, fmt::format("`{}` is not a year: write YYYY", text.substr(i, n)),
                    n == 2 ? "two-digit years are ambiguous; the file must hold four digits"
                           : std::string(kDateParts));
      ok = part(DatePart::Year, year, "year");
      break;
    case 'M':
      if (n > 2)
        return fail(i, n,
                    fmt::format("`{}` is not a month: write MM (two digits) or M (one or two)",
                                text.substr(i, n)),
                    "month names are not read; the month must be a number");
      ok = part(n == 2 ? DatePart::Month2 : DatePart::Month, month, "month");
      break;
    case 'D':
      if (n > 2)
        return fail(i, n,
                    fmt::format("`{}` is not a day: write DD (two digits) or D (one or two)",
                                text.substr(i, n)),
                    std::string(kDateParts));
      ok = part(n == 2 ? DatePart::Day2 : DatePart::Day, day, "day");
      break;
    case 'h':
      if (n > 2)
        return fail(i, n, fmt::format("`{}` is not an hour: write hh or h", text.substr(i, n)),
                    std::string(kDateParts));
      ok = part(n == 2 ? DatePart::Hour2 : DatePart::Hour, hour, "hour");
      break;
    case 'm':
      if (n != 2)
        return fail(i, n, fmt::format("`{}` is not minutes: write mm", text.substr(i, n)),
                    "mm is minutes, MM is the month");
      ok = part(DatePart::Minute, minute, "minutes");
      break;
    case 's':
      if (n != 2)
        return fail(i, n, fmt::format("`{}` is not seconds: write ss", text.substr(i, n)),
                    std::string(kDateParts));
      ok = part(DatePart::Second, second, "seconds");
      break;
    case 'S':
      ok = part(DatePart::Fraction, fraction, "fraction of a second");
      break;
    case 'A':
      if (n != 1)
        return fail(i, n, "write A once for AM/PM", std::string(kDateParts));
      ok = part(DatePart::Meridiem, meridiem, "AM/PM");
      break;
    case 'Z':
      if (n != 1)
        return fail(i, n, "write Z once for the UTC offset", std::string(kDateParts));
      ok = part(DatePart::Offset, out.hasOffset, "offset");
      break;
    default:
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
        if (c != 'T')
          return fail(i, 1, fmt::format("`{}` is not a part of a date format", c),
                      fmt::format("the parts are {}; other characters (`/`, `-`, `.`, `:`, "
                                  "`T`, a space) are matched as written",
                                  kDateParts));
      }
      out.steps.push_back(DateStep{DatePart::Literal, c});
      ++i;
      break;
    }
    if (!ok)
      return false;
  }
  if (!year || !month || !day) {
    const char* what = !year ? "year (YYYY)" : !month ? "month (MM)" : "day (DD)";
    return fail(0, text.size(), fmt::format("a date format needs a {}", what),
                "like \"MM/DD/YYYY\", \"DD.MM.YYYY\" or \"YYYY-MM-DD hh:mm\"");
  }
  if (meridiem && !hour)
    return fail(0, text.size(), "A (AM/PM) needs an hour (h or hh)", "like \"M/D/YYYY h:mm A\"");
  out.twelveHour = meridiem;
  if (out.hasOffset && !zoneName)
    return fail(0, text.size(),
                "a timestamp with a UTC offset (Z) needs the zone whose calendar day it falls on",
                "add `in zone \"America/Los_Angeles\"` (any tz database name, or \"UTC\")");
  if (!out.hasOffset && zoneName) {
    error = CellFormatError{0, zoneName->size(), true,
                            "`in zone` needs a format with a UTC offset (Z): without one, a "
                            "timestamp is already the local day as written",
                            "end the format with Z (\"YYYY-MM-DDThh:mm:ssZ\"), or drop `in zone`"};
    return false;
  }
  if (zoneName) {
    std::string message;
    out.zone = TimeZone::find(*zoneName, message);
    if (!out.zone) {
      error = CellFormatError{0, zoneName->size(), true, std::move(message),
                              "a name of the IANA tz database, like \"America/Los_Angeles\", "
                              "\"Europe/Berlin\" or \"UTC\""};
      return false;
    }
  }
  // The example: 2017-12-31 17:45:00 at -08:00.
  for (const DateStep& step : out.steps) {
    switch (step.part) {
    case DatePart::Literal:
      out.example += step.literal;
      break;
    case DatePart::Year:
      out.example += "2017";
      break;
    case DatePart::Month2:
    case DatePart::Month:
      out.example += "12";
      break;
    case DatePart::Day2:
    case DatePart::Day:
      out.example += "31";
      break;
    case DatePart::Hour2:
    case DatePart::Hour:
      out.example += out.twelveHour ? "5" : "17";
      if (out.twelveHour && step.part == DatePart::Hour2)
        out.example.insert(out.example.size() - 1, "0");
      break;
    case DatePart::Minute:
      out.example += "45";
      break;
    case DatePart::Second:
      out.example += "00";
      break;
    case DatePart::Fraction:
      out.example += "000";
      break;
    case DatePart::Meridiem:
      out.example += "PM";
      break;
    case DatePart::Offset:
      out.example += "-08:00";
      break;
    }
  }
  return true;
}

// Reads `least` to `most` digits at `i`.
bool readNumber(std::string_view text, size_t& i, size_t least, size_t most, int& value) {
  size_t n = 0;
  value = 0;
  while (n < most && i < text.size() && isDigit(text[i])) {
    value = value * 10 + (text[i] - '0');
    ++i;
    ++n;
  }
  return n >= least;
}

int64_t floorDiv(int64_t a, int64_t b) {
  return a / b - ((a % b != 0) && ((a < 0) != (b < 0)) ? 1 : 0);
}

// ---- numbers ------------------------------------------------------------------------------

// The separators a sample's digits may hold, longest first (UTF-8 no-break spaces).
constexpr std::array<std::string_view, 6> kSeparators = {"\u202F", "\u00A0", ".", ",", " ", "'"};

// A space, a no-break space (U+00A0) and a narrow no-break space (U+202F) are one thousands
// separator: exports mix them, and a message cannot show them apart.
bool isSpaceSeparator(std::string_view s) {
  return s == " " || s == "\u00A0" || s == "\u202F";
}

// The space-like separator at `i` of `text`, or empty.
std::string_view spaceAt(std::string_view text, size_t i) {
  for (std::string_view s : {"\u202F", "\u00A0", " "})
    if (text.substr(i).starts_with(s))
      return s;
  return {};
}

// The separator at `i` of `text`, or empty.
std::string_view separatorAt(std::string_view text, size_t i) {
  for (std::string_view s : kSeparators)
    if (text.substr(i).starts_with(s))
      return s;
  return {};
}

std::string_view trimmed(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t'))
    text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t'))
    text.remove_suffix(1);
  // A no-break space around a sign (`1.234,56\u00A0€`) is a space too.
  while (text.starts_with("\u00A0") || text.starts_with("\u202F"))
    text.remove_prefix(text.starts_with("\u00A0") ? 2 : 3);
  while (text.ends_with("\u00A0") || text.ends_with("\u202F"))
    text.remove_suffix(text.ends_with("\u00A0") ? 2 : 3);
  return text;
}

// A sign around a number format's digits naming a currency other than the program's: an error at
// the sign (docs/data-formats.md: one currency per program).
bool foreignSign(std::string_view text, std::string_view sign, bool before,
                 const Currency& currency, CellFormatError& error) {
  if (sign.empty())
    return false;
  const Currency* named = currencyOfSign(sign);
  if (named == nullptr || named->sign != sign)
    named = findCurrency(sign);
  if (named == nullptr || named == &currency)
    return false;
  const size_t at = before ? text.find(sign) : text.rfind(sign);
  error = CellFormatError{
      at == std::string_view::npos ? 0 : at,
      at == std::string_view::npos ? text.size() : sign.size(),
      false,
      fmt::format("`{}` is {}, but this program's money is in {}", sign, named->code,
                  currency.code),
      fmt::format("a program has one currency: write the sample in {} (like \"{}1,234.56\"), or "
                  "declare `currency {}` if the whole program is in {}",
                  currency.code, currency.sign, named->code, named->code),
      true};
  return true;
}

bool compileNumber(std::string_view text, std::string_view typeName, const Currency& currency,
                   CellFormat& out, CellFormatError& error) {
  auto fail = [&](size_t at, size_t length, std::string message, std::string hint) {
    error = CellFormatError{at, length, false, std::move(message), std::move(hint)};
    return false;
  };
  const std::string hint =
      typeName == "money" ? "write a sample amount with decimals, like \"1.234,56 €\", "
                            "\"$1,234.56\" or \"1 234,56\""
                          : (typeName == "percent" ? "write a sample, like \"12.5%\" or \"12,5 %\""
                                                   : "write a sample number, like \"1.234,56\" "
                                                     "or \"1,234.5\"");
  const size_t first = text.find_first_of("0123456789");
  if (first == std::string_view::npos)
    return fail(0, text.size(), fmt::format("a {} format is a sample value, with digits", typeName),
                hint);
  const size_t last = text.find_last_of("0123456789");
  out.prefix = std::string(trimmed(text.substr(0, first)));
  out.suffix = std::string(trimmed(text.substr(last + 1)));
  if (out.prefix.starts_with('-'))
    out.prefix.erase(0, 1);
  if (foreignSign(text, out.prefix, true, currency, error) ||
      foreignSign(text, out.suffix, false, currency, error))
    return false;
  out.percent = out.suffix == "%";
  if (out.percent && typeName != "percent")
    return fail(last + 1, text.size() - last - 1,
                fmt::format("a `%` sample is the format of a percent, not of a {}", typeName),
                hint);
  if (typeName == "percent" && !out.percent)
    return fail(last + 1, text.size() - last - 1, "a percent's sample ends in `%`",
                "write \"12.5%\": its cells are in percent, with or without their `%`; a "
                "fraction like 0.125 needs no format");
  for (const std::string& sign : {out.prefix, out.suffix})
    if (sign.find_first_of("0123456789.,") != std::string::npos)
      return fail(0, text.size(), fmt::format("`{}` around the digits is not a sign", sign), hint);
  // The separators between the digits, in order.
  struct Seen {
    std::string_view text;
    size_t at;
    size_t digitsAfter;
  };
  std::vector<Seen> seps;
  for (size_t i = first; i <= last;) {
    if (isDigit(text[i])) {
      if (!seps.empty())
        ++seps.back().digitsAfter;
      ++i;
      continue;
    }
    const std::string_view s = separatorAt(text, i);
    if (s.empty() || (!seps.empty() && seps.back().digitsAfter == 0))
      return fail(i, 1, fmt::format("`{}` between the digits is not a separator", text[i]),
                  "thousands are separated by `.`, `,`, a space or `'`; decimals by `.` or `,`");
    seps.push_back(Seen{s, i, 0});
    i += s.size();
  }
  const bool decimalLike = !seps.empty() && (seps.back().text == "." || seps.back().text == ",");
  bool lastIsDecimal = false;
  if (decimalLike) {
    const Seen& tail = seps.back();
    const bool others = seps.size() > 1;
    if (others && seps.front().text != tail.text)
      lastIsDecimal = true;
    else if (!others && tail.digitsAfter != 3)
      lastIsDecimal = typeName != "count";
    else if (!others && typeName == "count") // a count has no decimals: thousands
      lastIsDecimal = false;
    else if (!others)
      return fail(tail.at, 1,
                  fmt::format("is `{}` in \"{}\" a thousands separator or the decimal point?",
                              tail.text, text),
                  hint);
  }
  if (lastIsDecimal) {
    out.decimal = seps.back().text[0];
    seps.pop_back();
  } else {
    out.decimal = !seps.empty() && seps.front().text == "." ? ',' : '.';
  }
  for (const Seen& s : seps) {
    if (s.text != seps.front().text &&
        !(isSpaceSeparator(s.text) && isSpaceSeparator(seps.front().text)))
      return fail(s.at, s.text.size(), "the sample uses two different thousands separators", hint);
    if (s.digitsAfter != 3)
      return fail(s.at, s.text.size(),
                  fmt::format("`{}` separates thousands but is followed by {} digits", s.text,
                              s.digitsAfter),
                  hint);
  }
  if (!seps.empty())
    out.group = std::string(seps.front().text);
  if (!out.group.empty() && out.group[0] == out.decimal)
    return fail(0, text.size(), "the thousands separator and the decimal point are the same", hint);
  out.example = std::string(text);
  return true;
}

} // namespace

std::shared_ptr<const CellFormat>
compileCellFormat(std::string_view text, std::string_view typeName, const std::string* zone,
                  const Currency& currency, CellFormatError& error) {
  auto format = std::make_shared<CellFormat>();
  format->text = std::string(text);
  if (typeName == "date") {
    format->kind = CellFormat::Kind::Date;
    if (!compileDate(text, zone, *format, error))
      return nullptr;
    return format;
  }
  if (typeName == "money" || typeName == "number" || typeName == "count" || typeName == "percent") {
    format->kind = CellFormat::Kind::Number;
    if (zone) {
      error = CellFormatError{0, zone->size(), true, "`in zone` applies to dates only",
                              "drop `in zone`"};
      return nullptr;
    }
    if (!compileNumber(text, typeName, currency, *format, error))
      return nullptr;
    return format;
  }
  error = CellFormatError{0, text.size(), false,
                          fmt::format("a field of type {} takes no format", typeName),
                          "formats apply to date, money, number, count and percent fields"};
  return nullptr;
}

FormattedDate readDateCell(const CellFormat& format, std::string_view text) {
  FormattedDate out;
  out.error = FormattedCellError::Mismatch;
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0, offset = 0;
  int pm = -1; // -1 none, 0 AM, 1 PM
  size_t i = 0;
  for (const DateStep& step : format.steps) {
    int ignored = 0;
    bool ok = true;
    switch (step.part) {
    case DatePart::Literal:
      ok = i < text.size() && text[i] == step.literal;
      i += ok ? 1 : 0;
      break;
    case DatePart::Year:
      ok = readNumber(text, i, 4, 4, year);
      break;
    case DatePart::Month2:
      ok = readNumber(text, i, 2, 2, month);
      break;
    case DatePart::Month:
      ok = readNumber(text, i, 1, 2, month);
      break;
    case DatePart::Day2:
      ok = readNumber(text, i, 2, 2, day);
      break;
    case DatePart::Day:
      ok = readNumber(text, i, 1, 2, day);
      break;
    case DatePart::Hour2:
      ok = readNumber(text, i, 2, 2, hour);
      break;
    case DatePart::Hour:
      ok = readNumber(text, i, 1, 2, hour);
      break;
    case DatePart::Minute:
      ok = readNumber(text, i, 2, 2, minute);
      break;
    case DatePart::Second:
      ok = readNumber(text, i, 2, 2, second);
      break;
    case DatePart::Fraction:
      ok = readNumber(text, i, 1, 9, ignored);
      while (i < text.size() && isDigit(text[i])) // more digits than a nanosecond: dropped
        ++i;
      break;
    case DatePart::Meridiem:
      if (i + 2 <= text.size() && (text[i + 1] == 'M' || text[i + 1] == 'm')) {
        const char c = text[i];
        pm = (c == 'A' || c == 'a') ? 0 : (c == 'P' || c == 'p') ? 1 : -1;
        ok = pm >= 0;
        i += 2;
      } else {
        ok = false;
      }
      break;
    case DatePart::Offset:
      if (i < text.size() && (text[i] == 'Z' || text[i] == 'z')) {
        ++i;
      } else if (i < text.size() && (text[i] == '+' || text[i] == '-')) {
        const int sign = text[i] == '-' ? -1 : 1;
        ++i;
        int hours = 0, minutes = 0;
        ok = readNumber(text, i, 2, 2, hours);
        if (ok && i < text.size() && text[i] == ':')
          ++i, ok = readNumber(text, i, 2, 2, minutes);
        else if (ok && i < text.size() && isDigit(text[i]))
          ok = readNumber(text, i, 2, 2, minutes);
        ok = ok && hours <= 18 && minutes < 60;
        offset = sign * (hours * 3600 + minutes * 60);
      } else {
        ok = false;
      }
      break;
    }
    if (!ok)
      return out;
  }
  if (i != text.size())
    return out;
  out.error = FormattedCellError::NoSuchTime;
  // The first part past its clock's last value, as written (a 12-hour clock's hours are 1..12).
  const int lastHour = format.twelveHour ? 12 : 23;
  if (format.twelveHour && hour == 0)
    out.problem = "hour 0 is not on a 12-hour clock, which runs from 1 to 12";
  else if (hour > lastHour)
    out.problem = fmt::format("hour {} is past {}", hour, lastHour);
  else if (minute > 59)
    out.problem = fmt::format("minute {} is past 59", minute);
  else if (second > 60) // 60: a leap second
    out.problem = fmt::format("second {} is past 60", second);
  if (!out.problem.empty())
    return out;
  if (format.twelveHour)
    hour = hour % 12 + (pm == 1 ? 12 : 0);
  out.error = FormattedCellError::NoSuchDay;
  if (month < 1 || month > 12 || day < 1 || day > 31)
    return out;
  const DayNumber number = dayFromCivil(year, month, day);
  int y = 0, m = 0, d = 0;
  civilFromDay(number, y, m, d);
  if (d != day)
    return out; // 02/30/2017
  out.error = FormattedCellError::None;
  out.day = number;
  if (format.hasOffset) {
    const int64_t written =
        int64_t{number} * 86400 + int64_t{hour} * 3600 + int64_t{minute} * 60 + second;
    const int64_t utc = written - offset;
    const int64_t local = utc + format.zone->offsetAt(utc);
    out.day = static_cast<int32_t>(floorDiv(local, 86400));
  }
  return out;
}

FormattedNumber readNumberCell(const CellFormat& format, std::string_view text,
                               std::string_view typeName) {
  FormattedNumber out;
  out.error = FormattedCellError::Mismatch;
  bool negative = false;
  if (text.size() >= 2 && text.front() == '(' && text.back() == ')') { // accounting: (1,234.56)
    negative = true;
    text = trimmed(text.substr(1, text.size() - 2));
  }
  auto minus = [&] {
    if (!text.empty() && text.front() == '-' && !negative) {
      negative = true;
      text = trimmed(text.substr(1));
    }
  };
  minus();
  if (!format.prefix.empty() && text.starts_with(format.prefix))
    text = trimmed(text.substr(format.prefix.size()));
  if (!format.suffix.empty() && text.ends_with(format.suffix))
    text = trimmed(text.substr(0, text.size() - format.suffix.size()));
  minus();
  // The digits, separators dropped, into an ASCII decimal: no allocation.
  std::array<char, 64> plain{};
  size_t n = 0, groupDigits = 0, groups = 0, firstGroup = 0;
  bool point = false;
  for (size_t i = 0; i < text.size();) {
    const char c = text[i];
    if (isDigit(c)) {
      if (n + 1 >= plain.size())
        return out;
      plain[n++] = c;
      ++groupDigits;
      ++i;
    } else if (c == format.decimal && !point) {
      if (groupDigits == 0 || (groups > 0 && groupDigits != 3))
        return out;
      point = true;
      plain[n++] = '.';
      groupDigits = 0;
      ++i;
    } else if (const std::string_view group =
                   format.group.empty() || point ? std::string_view()
                   : isSpaceSeparator(format.group)
                       ? spaceAt(text, i)
                       : (text.substr(i).starts_with(format.group) ? std::string_view(format.group)
                                                                   : std::string_view());
               !group.empty()) {
      if (groupDigits == 0 || (groups > 0 && groupDigits != 3) || (groups == 0 && groupDigits > 3))
        return out;
      firstGroup = groups == 0 ? groupDigits : firstGroup;
      ++groups;
      groupDigits = 0;
      i += group.size();
    } else {
      return out;
    }
  }
  if (n == 0 || plain[n - 1] == '.' || (!point && groups > 0 && groupDigits != 3))
    return out;
  const std::string_view digits(plain.data(), n);
  if (typeName == "money") {
    const MoneyText money = parseMoneyText(digits, MoneySyntax::Cell);
    switch (money.error) {
    case MoneyTextError::None:
      out.error = FormattedCellError::None;
      out.value = negative ? -money.units : money.units;
      if (out.value == 0)
        out.value = 0; // no negative zero
      break;
    case MoneyTextError::Malformed:
      break;
    case MoneyTextError::TooManyDecimals:
      out.error = FormattedCellError::TooManyDecimals;
      break;
    case MoneyTextError::OutOfRange:
      out.error = FormattedCellError::OutOfRange;
      break;
    }
    return out;
  }
  const std::optional<double> value = decimalCellValue(digits, negative, typeName, format.percent);
  if (!value)
    return out; // a count with a fraction
  out.error = FormattedCellError::None;
  out.value = *value;
  return out;
}

std::optional<double> decimalCellValue(std::string_view digits, bool negative,
                                       std::string_view typeName, bool percent) {
  double value = 0;
  auto [end, errc] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  if (errc != std::errc() || end != digits.data() + digits.size())
    return std::nullopt;
  if (typeName == "count" && value != std::floor(value))
    return std::nullopt;
  if (negative)
    value = -value;
  return percent ? value / 100 : value;
}

} // namespace fulcrum
