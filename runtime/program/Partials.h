// A run split in two for a cluster (docs/scaling.md): each partition of a fact table is scanned
// on its own (scanPartial: every subject's mergeable aggregate states over that partition's
// rows, runtime/program/PartialStates.h), and one run over the whole entity tables merges the
// states of each subject from every partition, finalizes them as its own scans would, and runs
// the formula stages, peer steps and ranks over all subjects (evaluateFromPartials). A
// subject's rows may be spread over the partitions of a table (a team's or the company's rows
// across a partitioning by rep): sums and averages are exact in any order, median and count
// distinct ship their values, first and last merge in the order of the partitions' names. Only
// what needs the subject's every row in one place (a second-pass aggregate, first/last ordered
// by a text) makes a subject in two partitions an error.
//
// A partial is JSON text (what a cluster ships): the framework, the table, the partition's
// name, the subject count, the aggregates of the table's scans, per subject seen its index, key
// and each aggregate's state, and a keyed table's row keys with their lines.
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
// period and params; `partition` names it in errors (its file, or a database source's label,
// never its URI) and orders it among the table's partitions. Other tables' rows are read as
// loaded (whole tables) and their aggregates are not shipped.
PartialOutcome scanPartial(const Program& program, const RunRequest& request,
                           const LoadedData& data, const std::string& table,
                           const std::string& partition);

// The run over `data` (the entity tables whole, the partitioned tables empty) with the partials'
// states merged in place of its own scans of the partitioned tables: what Program::evaluate
// gives over each table's partitions concatenated in the order of their names, whatever the
// partials' order.
RunResult evaluateFromPartials(const Program& program, const RunRequest& request,
                               const LoadedData& data, const std::vector<std::string>& partials);

} // namespace fulcrum::runtime
