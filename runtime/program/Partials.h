// A run split in two for a cluster (docs/scaling.md): each partition of a fact table is scanned
// on its own (scanPartial: every subject's finalized aggregates over that table's rows), and one
// run over the whole entity tables puts the partials in place of its own scans of the
// partitioned tables and runs the formula stages, peer steps and ranks over all subjects
// (evaluateFromPartials). Each partition holds whole subjects, so a subject's aggregates over a
// table come from one partition, finalized there exactly as one process finalizes them; a
// subject with rows in two partitions of one table is an error.
//
// A partial is JSON text (what a cluster ships): the framework, the table, the partition's
// name, the subject count, the aggregates of the table's scans, and per subject seen its index,
// key and each aggregate's value (null: missing; a text as its text, not a pool code).
#pragma once

#include "runtime/Program.h"
#include "runtime/program/LoadedData.h"

#include <string>
#include <vector>

namespace fulcrum::runtime {

struct PartialOutcome {
  RunStatus status = RunStatus::Ok;
  std::vector<std::string> errors;
  std::string partial; // the JSON text, when Ok
};

// The partial of `data`'s rows of table `table` (a table the framework scans), for `request`'s
// period and params; `partition` names it in errors (its file). Other tables' rows are read as
// loaded (whole tables) and their aggregates are not shipped.
PartialOutcome scanPartial(const Program& program, const RunRequest& request,
                           const LoadedData& data, const std::string& table,
                           const std::string& partition);

// The run over `data` (the entity tables whole, the partitioned tables empty) with each
// partial's aggregates in place: what Program::evaluate gives over all partitions loaded at once,
// whatever the partials' order.
RunResult evaluateFromPartials(const Program& program, const RunRequest& request,
                               const LoadedData& data, const std::vector<std::string>& partials);

} // namespace fulcrum::runtime
