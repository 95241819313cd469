// Parsing one CSV cell into a typed value, and the canonical text of a key.
#pragma once

#include "runtime/data/Schema.h"

#include <optional>
#include <string>
#include <string_view>

namespace fulcrum::runtime {

// `text` without surrounding spaces and tabs.
std::string_view trimSpaces(std::string_view text);

// A number: optional `-`, digits with at most one `.`; money also takes a leading `$` (`-$5`,
// `$-5`), a percent a trailing `%` (`65%` is 0.65, `0.65` is 0.65), a count must be whole, a
// duration may say `days` or `weeks` (in days). `text` is already trimmed.
std::optional<double> parseNumberCell(std::string_view text, std::string_view typeName);

// true/false (any case) or 1/0.
std::optional<bool> parseBoolCell(std::string_view text);

// What a cell of this field must look like, for messages: "a date YYYY-MM-DD".
std::string expectedForm(const FieldSchema& field);

// The text two keys are compared by: numbers, dates, periods and bools by value (`7` and
// `7.0` are one key), text and references as written (trimmed). nullopt if malformed.
std::optional<std::string> canonicalKey(ValueKind kind, std::string_view typeName,
                                        std::string_view text);

} // namespace fulcrum::runtime
