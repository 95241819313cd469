// `--style`: the same data set written as a CRM would export it (tools/fulcrum-gen/README.md).
// Each file is generated as ISO CSV (`YYYY-MM-DD` dates, plain amounts, quoted only where a cell
// needs it) and rewritten block by block on its way to the disk, so the generators know nothing
// of styles and every style holds the same values as the ISO files. A style is one row of the
// table in ExportStyle.cpp.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace fulcrum::gen {

enum class ExportStyle {
  Iso,        // the plain files
  Salesforce, // every field quoted, CRLF, dates M/D/YYYY, amounts $1,234.56
  Hubspot,    // UTF-8 BOM, headers in Title Case with spaces, dates as UTC timestamps taken in
              // the evening in America/Los_Angeles (the next day in UTC), plain amounts
  European,   // UTF-8 BOM, CRLF, `;` between fields, dates DD.MM.YYYY, amounts 1.234,56 €,
              // decimal commas
};

std::optional<ExportStyle> exportStyleNamed(std::string_view name);
// "iso, salesforce, hubspot or european", for messages.
std::string exportStyleNames();

struct StyleRow;

// What a generated column holds, by its ISO header name: how a style rewrites it.
enum class ColumnKind { Text, Date, Money, Decimal };

// Rewrites one file's header and rows in a style.
class StyledFile {
public:
  StyledFile(ExportStyle style, std::string_view header);

  // The header line with its line break, and a BOM first when the style writes one.
  const std::string& head() const { return head_; }
  // Appends ISO rows (whole records, each ending in `\n`) to `out` in the style. A date column's
  // cell that is no ISO date is a std::runtime_error naming it, never a made-up date.
  void restyle(std::string_view rows, std::string& out) const;

private:
  void cell(size_t column, std::string_view text, std::string& out) const;

  const StyleRow& style_;
  std::vector<ColumnKind> kinds_;
  std::vector<std::string> names_; // the ISO header's, for messages
  std::string head_;
};

} // namespace fulcrum::gen
