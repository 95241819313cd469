// `--only EXPR` after the run: what the run shows is cut down to the subjects whose condition
// (the output column kOnlyOutput, compiler/driver/SubjectFilter.h) is true. The run itself saw
// every subject, so peer aggregates, group aggregates, medians and ranks keep their whole-company
// values; only the rows, alerts and violations of the other subjects are left out.
#pragma once

#include "runtime/Program.h"

namespace fulcrum::cli {

// Keeps the rows of `result.table` whose condition is true (a missing one is false, as in
// `where`), and the alerts and violations of those subjects; drops the condition's column.
// Without that column (no --only) leaves the result as it is.
void keepOnlySubjects(runtime::RunResult& result);

} // namespace fulcrum::cli
