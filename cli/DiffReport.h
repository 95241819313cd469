// A diff of two versions' results as text: table, CSV, JSON or markdown. Values print as `run`
// prints them in the same format (runtime/output/ResultFormat.h).
#pragma once

#include "cli/ResultDiff.h"

#include <string>

namespace fulcrum::cli {

enum class DiffFormat { Table, Csv, Json, Markdown };

// What the report says the two versions are, for the markdown heading.
struct DiffTitle {
  std::string framework, oldName, newName, when; // `when`: `2017-Q2`, `as of 2017-05-20`
};

// CSV: `subject,output,old,new`, one row per changed value, no summary. The other formats: the
// changes, then the summary.
std::string formatDiff(const ResultDiff& diff, const DiffSummary& summary, DiffFormat format,
                       const DiffTitle& title);

} // namespace fulcrum::cli
