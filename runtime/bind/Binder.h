// Binds loaded tables to a plan: the column arrays kernels read (text re-coded into the run's
// string pool, periods as period codes), the row -> subject maps, and the subjects' keys.
#pragma once

#include "runtime/data/Loader.h"
#include "runtime/plan/Plan.h"

#include <map>
#include <string>
#include <vector>

namespace fulcrum::runtime {

struct BoundData {
  std::vector<const void*> columnValues; // per Plan::columns
  std::vector<const uint8_t*> columnValid;
  std::vector<const int32_t*> rowSubjects; // per Plan::rowSubjects: row -> subject, -1 for none
  std::vector<size_t> tableRows;           // per Plan::tables
  std::vector<int32_t> subjectRows;        // subject -> row of tables[0] (identity)
  std::vector<std::string> subjectKeys;
  // The run's string pool: the plan's literals first (same codes), then every text cell's.
  std::vector<std::string> strings;
  StringCodes stringCodes;

  // Storage that the arrays above point into when the loader's own vectors do not fit.
  std::vector<std::vector<int32_t>> ownedCodes;
  std::vector<std::vector<int32_t>> ownedRowSubjects;
  std::vector<std::vector<double>> ownedNumbers;
  std::vector<std::vector<uint8_t>> ownedValid;
  // A group subject: member row -> group index (-1 when the member names no group).
  std::vector<int32_t> memberGroup;
};

// `loaded` must hold every plan table (by name). Its text columns are re-coded in place into
// the run's pool (their dictionaries follow, so text(row) still reads the same); references
// that lead straight to the subject are used as the row -> subject map as they are. Both keep
// a run from holding a second copy of its largest columns.
// `feedRows`: the number of subjects of each framework the plan reads (Plan::feeds).
BoundData bind(const Plan& plan, LoadResult& loaded, const std::vector<size_t>& feedRows = {});

} // namespace fulcrum::runtime
