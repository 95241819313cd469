// The few helpers every part of the report page writes with: text made safe for HTML, JSON made
// safe inside a <script>, and numbers for SVG coordinates that print the same on every machine.
#pragma once

#include "support/Text.h"

#include <string>
#include <string_view>
#include <vector>

namespace fulcrum::cli::report {

// Text from the data (an account's name, a band's label) as HTML text or an attribute's value:
// support/Text.h's markupEscaped (& < > " ' escaped, control characters made safe), one escaping
// for every page and XML file the CLI writes.
using fulcrum::markupEscaped;
// A JSON string for a <script> element: `<` written as \u003c, so no value can close the script
// (`</script>`) or open a comment.
std::string scriptJson(std::string_view text);
// The colour class of a band's label, the `index`th of its chart: the standard library's grades
// (stdlib/okr.fulcrum: "on track", "at risk", "off track") in the colours people read them by
// (green, amber, red), any other label the index's place in the palette (`seg0`..`seg5`).
std::string bandColourClass(const std::string& label, size_t index);
// The plain table behind a chart (for screen readers and print): a closed "As a table" details
// holding a table.chart-data with one column per header (escaped here) and `rows`, its <tr>s.
std::string chartDataTable(const std::vector<std::string>& headers, const std::string& rows);
// A coordinate or length in an SVG: one decimal, no exponent, `-0` as `0`.
std::string svgNumber(double value);

} // namespace fulcrum::cli::report
