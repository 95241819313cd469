// `--only EXPR` after the run: what the run shows is cut down to the subjects whose condition
// (the output column kOnlyOutput, compiler/driver/SubjectFilter.h) is true. The run itself saw
// every subject, so peer aggregates, group aggregates, medians and ranks keep their whole-company
// values; only the rows, alerts and violations of the other subjects are left out.
#pragma once

#include "runtime/Program.h"

#include <optional>
#include <set>
#include <string>

namespace fulcrum::cli {

// The keys of the subjects whose condition is true (a missing one is false, as in `where`);
// nullopt when the run had no condition (no --only).
std::optional<std::set<std::string>> subjectsInScope(const runtime::RunResult& result);

// Drops the condition's column and keeps the rows of `result.table` whose key is in `keys`, and
// the alerts, violations and traces of those subjects. Everything else in the result is kept as
// it is. Without the condition's column (no --only) leaves the result as it is.
void keepSubjects(runtime::RunResult& result, const std::set<std::string>& keys);

// keepSubjects with the run's own subjectsInScope: `fulcrum run|alerts|report --only`. `diff`
// cuts both versions to the union of the two sets instead (a subject whose condition flips is in
// both sides of the diff).
void keepOnlySubjects(runtime::RunResult& result);

} // namespace fulcrum::cli
