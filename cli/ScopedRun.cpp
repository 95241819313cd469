// `--only EXPR`: the result cut down to the subjects whose condition holds.
#include "cli/ScopedRun.h"

#include "compiler/driver/SubjectFilter.h"

#include <algorithm>
#include <set>

namespace fulcrum::cli {

void keepOnlySubjects(runtime::RunResult& result) {
  runtime::ResultTable& table = result.table;
  const auto found =
      std::find_if(table.columns.begin(), table.columns.end(),
                   [](const runtime::OutputColumn& c) { return c.name == kOnlyOutput; });
  if (found == table.columns.end())
    return;
  const auto only = static_cast<size_t>(found - table.columns.begin());
  std::vector<size_t> kept;
  std::set<std::string> keys;
  for (size_t s = 0; s < table.subjects(); ++s)
    if (table.present(only, s) && table.value(only, s) != 0) {
      kept.push_back(s);
      keys.insert(table.keys[s]);
    }
  runtime::ResultTable cut;
  cut.keyName = table.keyName;
  cut.strings = table.strings;
  cut.fiscalStart = table.fiscalStart;
  cut.orderColumn = table.orderColumn < 0 || static_cast<size_t>(table.orderColumn) < only
                        ? table.orderColumn
                        : table.orderColumn - 1;
  for (size_t s : kept)
    cut.keys.push_back(table.keys[s]);
  for (size_t c = 0; c < table.columns.size(); ++c) {
    if (c == only)
      continue;
    cut.columns.push_back(table.columns[c]);
    for (size_t s : kept) {
      cut.values.push_back(table.value(c, s));
      cut.valid.push_back(table.present(c, s) ? 1 : 0);
    }
  }
  table = std::move(cut);
  std::erase_if(result.alerts,
                [&](const runtime::AlertRecord& a) { return keys.count(a.subject) == 0; });
  std::erase_if(result.violations,
                [&](const runtime::CheckViolation& v) { return keys.count(v.subject) == 0; });
  std::erase_if(result.traces,
                [&](const runtime::SubjectTrace& t) { return keys.count(t.key) == 0; });
  // A kept trace's index into the table: its position among the kept rows.
  for (runtime::SubjectTrace& trace : result.traces)
    trace.subject = static_cast<size_t>(std::find(table.keys.begin(), table.keys.end(), trace.key) -
                                        table.keys.begin());
}

} // namespace fulcrum::cli
