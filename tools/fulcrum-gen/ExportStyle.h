// `--style`: the same data set written as a CRM would export it (tools/fulcrum-gen/README.md).
// Each file is generated as ISO CSV (nothing quoted, `YYYY-MM-DD` dates, plain amounts) and
// rewritten block by block on its way to the disk, so the generators know nothing of styles and
// every style holds the same values as the ISO files.
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

// Rewrites one file's header and rows in a style.
class StyledFile {
public:
  StyledFile(ExportStyle style, std::string_view header);

  // The header line with its line break, and a BOM first when the style writes one.
  const std::string& head() const { return head_; }
  // Appends ISO rows (whole lines, each ending in `\n`) to `out` in the style.
  void restyle(std::string_view rows, std::string& out) const;

private:
  enum class Kind { Text, Date, Money, Number };
  void cell(Kind kind, std::string_view text, std::string& out) const;

  ExportStyle style_;
  std::vector<Kind> kinds_;
  std::string head_;
};

} // namespace fulcrum::gen
