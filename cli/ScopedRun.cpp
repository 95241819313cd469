// `--only EXPR`: the result cut down to the subjects whose condition holds.
#include "cli/ScopedRun.h"

#include "compiler/driver/SubjectFilter.h"

#include <algorithm>

namespace fulcrum::cli {

namespace {

std::optional<size_t> conditionColumn(const runtime::ResultTable& table) {
  const auto found =
      std::find_if(table.columns.begin(), table.columns.end(),
                   [](const runtime::OutputColumn& c) { return c.name == kOnlyOutput; });
  if (found == table.columns.end())
    return std::nullopt;
  return static_cast<size_t>(found - table.columns.begin());
}

} // namespace

std::optional<std::set<std::string>> subjectsInScope(const runtime::RunResult& result) {
  const runtime::ResultTable& table = result.table;
  const auto only = conditionColumn(table);
  if (!only)
    return std::nullopt;
  std::set<std::string> keys;
  for (size_t s = 0; s < table.subjects(); ++s)
    if (table.present(*only, s) && table.value(*only, s) != 0)
      keys.insert(table.keys[s]);
  return keys;
}

void keepSubjects(runtime::RunResult& result, const std::set<std::string>& keys) {
  runtime::ResultTable& table = result.table;
  const auto only = conditionColumn(table);
  if (!only)
    return;
  // The table is filtered in place (column-major cells), so every other member stays as it was.
  std::vector<size_t> kept;
  for (size_t s = 0; s < table.subjects(); ++s)
    if (keys.count(table.keys[s]) != 0)
      kept.push_back(s);
  std::vector<double> values;
  std::vector<uint8_t> valid;
  values.reserve(kept.size() * (table.columns.size() - 1));
  valid.reserve(values.capacity());
  for (size_t c = 0; c < table.columns.size(); ++c) {
    if (c == *only)
      continue;
    for (size_t s : kept) {
      values.push_back(table.values[c * table.subjects() + s]);
      valid.push_back(table.valid[c * table.subjects() + s]);
    }
  }
  std::vector<std::string> keptKeys;
  keptKeys.reserve(kept.size());
  for (size_t s : kept)
    keptKeys.push_back(std::move(table.keys[s]));
  table.keys = std::move(keptKeys);
  table.values = std::move(values);
  table.valid = std::move(valid);
  table.columns.erase(table.columns.begin() + static_cast<std::ptrdiff_t>(*only));
  if (table.orderColumn >= 0 && static_cast<size_t>(table.orderColumn) > *only)
    --table.orderColumn;
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

void keepOnlySubjects(runtime::RunResult& result) {
  if (auto keys = subjectsInScope(result))
    keepSubjects(result, *keys);
}

} // namespace fulcrum::cli
