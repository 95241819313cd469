// Writing the rejects file.
#include "runtime/data/Rejects.h"

#include "support/AtomicFile.h"

#include <algorithm>
#include <numeric>

namespace fulcrum::runtime {

std::string csvQuote(std::string_view text) {
  if (text.find_first_of(",\"\r\n") == std::string_view::npos)
    return std::string(text);
  std::string out = "\"";
  for (char c : text) {
    if (c == '"')
      out += '"';
    out += c;
  }
  out += '"';
  return out;
}

bool writeRejects(const std::string& path, const std::vector<ParsedTable>& tables,
                  std::string& error) {
  std::string out = "table,file,line,reason,record\n";
  for (const ParsedTable& table : tables) {
    if (table.unusable)
      continue;
    // Issue indexes by row, each row's issues in the order they were found.
    std::vector<size_t> order(table.issues.size());
    std::iota(order.begin(), order.end(), size_t{0});
    std::stable_sort(order.begin(), order.end(),
                     [&](size_t a, size_t b) { return table.issueRows[a] < table.issueRows[b]; });
    for (size_t i = 0; i < order.size();) {
      const int32_t row = table.issueRows[order[i]];
      std::string reason;
      for (; i < order.size() && table.issueRows[order[i]] == row; ++i) {
        if (!reason.empty())
          reason += "; ";
        const LoadIssue& issue = table.issues[order[i]];
        reason += issue.column ? "column " + std::to_string(issue.column) + ": " : "";
        reason += issue.message;
      }
      if (row < 0)
        continue;
      const auto r = static_cast<size_t>(row);
      out += csvQuote(table.schema->name) + ',' + csvQuote(table.schema->path) + ',' +
             std::to_string(table.table.lines[r]) + ',' + csvQuote(reason) + ',' +
             csvQuote(table.raw(r)) + '\n';
    }
  }
  return writeFileAtomically(path, out, AtomicFile::Access::Output, error);
}

} // namespace fulcrum::runtime
