// Per-field formats of data cells (docs/data-formats.md): `format "MM/DD/YYYY"` for a date,
// `format "YYYY-MM-DDThh:mm:ssZ" in zone "America/Los_Angeles"` for a timestamp turned into the
// zone's calendar day, `format "1.234,56 €"` for money, `format "12.5%"` for a percent. A format
// is compiled once (a bad one is a compile error with its offset and a hint); cells are then
// read by it without allocating.
#pragma once

#include "support/Currency.h"
#include "support/Money.h"
#include "support/TimeZones.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace fulcrum {

// One part of a date format, in the order written.
enum class DatePart : uint8_t {
  Literal,  // a character written as is (`/`, `-`, `T`, a space)
  Year,     // YYYY: four digits
  Month2,   // MM: two digits
  Month,    // M: one or two digits
  Day2,     // DD
  Day,      // D
  Hour2,    // hh: two digits, 00-23 (01-12 with A)
  Hour,     // h: one or two digits
  Minute,   // mm
  Second,   // ss
  Fraction, // SSS: one or more digits of a second, read and dropped
  Meridiem, // A: AM or PM, any case
  Offset,   // Z: `Z`, `+hh:mm`, `+hhmm` or `+hh`
};

struct DateStep {
  DatePart part = DatePart::Literal;
  char literal = 0;
};

struct CellFormat {
  enum class Kind : uint8_t { Date, Number };
  Kind kind = Kind::Date;
  std::string text;    // as written in the declaration
  std::string example; // a value written in it, for messages: `12/31/2017`, `1.234,56 €`

  // A date.
  std::vector<DateStep> steps;
  bool hasOffset = false; // has Z: the day is the zone's, `zone` is set
  bool twelveHour = false;
  std::shared_ptr<const TimeZone> zone;

  // A number: the text around the digits (trimmed: `€`, `$`, `%`), the thousands separator
  // (empty for none) and the decimal separator (`.` or `,`).
  std::string prefix, suffix;
  std::string group;
  char decimal = '.';
  bool percent = false; // the sample ends in `%`: a cell is in percent, its `%` optional
};

// Why a format does not compile: `offset`/`length` are bytes into the format's text, or, with
// `inZone`, into the zone's name.
struct CellFormatError {
  size_t offset = 0;
  size_t length = 0;
  bool inZone = false;
  std::string message;
  std::string hint;
  bool foreignCurrency = false; // the sign or code of a currency not the program's
};

// Compiles `text` as the format of a field of type `typeName` (date, money, number, count or
// percent); `zone` is the `in zone` name, or null; `currency` is the program's (a number format
// written with another currency's sign or code is an error: one currency per program). Null with
// `error` set when it does not compile.
std::shared_ptr<const CellFormat>
compileCellFormat(std::string_view text, std::string_view typeName, const std::string* zone,
                  const Currency& currency, CellFormatError& error);

// Why a cell does not read by its format.
enum class FormattedCellError : uint8_t {
  None,
  Mismatch,        // not written in the format
  NoSuchDay,       // written in the format, but no day of the calendar (02/30/2017)
  NoSuchTime,      // written in the format, but no time of a day (25:00): FormattedDate::problem
  TooManyDecimals, // money past four decimals
  OutOfRange,      // money past its range
};

struct FormattedDate {
  int32_t day = 0;
  FormattedCellError error = FormattedCellError::None;
  std::string problem; // NoSuchTime: which part, and its clock's limit ("hour 25 is past 23")
};
struct FormattedNumber {
  double value = 0; // money in units of 1/10,000 (support/Money.h)
  FormattedCellError error = FormattedCellError::None;
};

// A trimmed cell read by a date format.
FormattedDate readDateCell(const CellFormat& format, std::string_view text);
// The value of a number's plain digits (`1234.5`: digits and at most one `.`, no sign) as a cell
// of `typeName`, or nullopt: a count must be whole, and `percent` divides by 100 (rather than
// multiplying by 0.01, so `65%` is exactly the double nearest 0.65). The one reader of a number
// cell's digits: plain cells (runtime/data/Cells.cpp) and formatted ones (readNumberCell).
std::optional<double> decimalCellValue(std::string_view digits, bool negative,
                                       std::string_view typeName, bool percent);

// A trimmed cell read by a number format, as a value of `typeName` (money, number, count, percent).
FormattedNumber readNumberCell(const CellFormat& format, std::string_view text,
                               std::string_view typeName);

} // namespace fulcrum
