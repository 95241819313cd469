// The differential fuzzer's generator: from a stream of random choices, one well-typed `.fulcrum`
// program (entities, tables, params, functions and one framework) and CSV data for every table
// it declares, plus a few runs (period, as-of date, params) to evaluate it for. Units and types
// are tracked as the checker does (language.md, "Units are checked"), so the program is meant
// to check clean: a diagnostic error is a bug in the generator or in the checker.
#pragma once

#include "fuzz/ByteSource.h"

#include <map>
#include <string>
#include <vector>

namespace fulcrum::fuzz {

// One CSV file: the table or entity it holds and its text (header first).
struct DataFile {
  std::string table;
  std::string fileName; // as the program's `from` names it
  std::string csv;
};

// One evaluation of the program over the data.
struct RunSpec {
  std::string period;                        // fits the framework's cadence
  std::string asOf;                          // empty: the period's last day
  std::map<std::string, std::string> params; // `--param NAME=VALUE`
  bool skipBadRows = false;                  // `--on-error skip`
  unsigned threads = 1;
};

struct RandomCase {
  std::string source;    // the program's text
  std::string framework; // the framework to run
  std::vector<DataFile> files;
  std::vector<RunSpec> runs;
  bool hasBadRows = false; // some files hold rows the loader must reject
  // The bytes the program's source gave the program: when program and data come from one
  // source, the data's draws start there, so bytes past it change the data, never the program.
  size_t programBytes = 0;
};

// Draws one case. Deterministic: the same bytes give the same case.
RandomCase generateCase(ByteSource& random);
// The same, with the program drawn from `program` and its data and runs from `data`: one
// program's text, over data of the caller's choosing.
RandomCase generateCase(ByteSource& program, ByteSource& data);
// generateCase(random).programBytes, without drawing the data: what a mutator that keeps the
// program needs, at a fraction of the cost.
size_t programBytes(ByteSource& random);

} // namespace fulcrum::fuzz
