// Small text helpers shared by every phase: spelling suggestions, JSON string escaping and UTF-8
// validation.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace fulcrum {

// Edit distance (adjacent swaps count once), bounded: limit + 1 once it exceeds limit.
size_t editDistance(std::string_view a, std::string_view b, size_t limit);

// The candidate closest to `name` when it is close enough to be a likely typo; empty otherwise.
std::string closestMatch(std::string_view name, const std::vector<std::string>& candidates);

// "did you mean `x`?" for the closest candidate, or empty when none is close.
std::string didYouMean(std::string_view name, const std::vector<std::string>& candidates);

// A whole number with a comma between each group of three digits: `-1,234,567`.
std::string withThousands(long long whole);

// `text` as HTML or XML text or an attribute's value (the report's page, JUnit XML): &, <, >, "
// and ' as entities, so no text can open a tag or end an attribute, and the control characters
// XML 1.0 cannot hold at all (all below U+0020 but tab and line breaks) as U+FFFD.
std::string markupEscaped(std::string_view text);

// `text` as a JSON string literal, quotes included.
std::string jsonQuote(std::string_view text);

// The length in bytes of the well-formed UTF-8 character starting at text[i] (RFC 3629: no
// overlong forms, no surrogates, nothing past U+10FFFF; NUL is a character), or 0 when the bytes
// there are not one. `i` must be inside `text`.
size_t utf8CharacterLength(std::string_view text, size_t i);

} // namespace fulcrum
