// Formatting load issues and summaries for people.
#include "runtime/data/Loader.h"

#include <fmt/format.h>

namespace fulcrum::runtime {

std::string formatIssue(const LoadIssue& issue) {
  if (issue.row != 0 && !issue.key.empty())
    return fmt::format("{}: row {} ({}): error: {}", issue.file, issue.row, issue.key,
                       issue.message);
  if (issue.row != 0)
    return fmt::format("{}: row {}: error: {}", issue.file, issue.row, issue.message);
  if (issue.line == 0)
    return fmt::format("{}: error: {}", issue.file, issue.message);
  if (issue.column == 0)
    return fmt::format("{}:{}: error: {}", issue.file, issue.line, issue.message);
  return fmt::format("{}:{}:{}: error: {}", issue.file, issue.line, issue.column, issue.message);
}

std::string formatSummary(const LoadSummary& summary) {
  if (summary.stoppedAtLimit)
    return fmt::format("{}: not loaded, stopped at the memory limit", summary.table);
  std::string detected;
  if (summary.detectedDelimiter != 0)
    detected = fmt::format(" (delimiter {} detected from the header)",
                           summary.detectedDelimiter == '\t'
                               ? std::string("tab")
                               : fmt::format("`{}`", summary.detectedDelimiter));
  return fmt::format("{}: {} rows, {} loaded, {} rejected{}", summary.table, summary.rowsInFile,
                     summary.loaded, summary.rejected, detected);
}

const Table* LoadResult::table(std::string_view name) const {
  for (const Table& t : tables)
    if (t.schema.name == name)
      return &t;
  return nullptr;
}

Table* LoadResult::table(std::string_view name) {
  return const_cast<Table*>(static_cast<const LoadResult&>(*this).table(name));
}

} // namespace fulcrum::runtime
