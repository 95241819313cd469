// Which files a plan reads: the loader's schemas for the plan's tables and, transitively, the
// entities their references point at, with `from` paths resolved and `--data` overrides applied.
#pragma once

#include "runtime/data/Schema.h"
#include "runtime/plan/Plan.h"

#include <map>
#include <string>
#include <vector>

namespace fulcrum::runtime {

struct DataSources {
  std::vector<TableSchema> schemas;
  std::vector<std::string> errors;      // e.g. a table with no file; empty when all is well
  std::vector<std::string> usageErrors; // `--data` naming no declared table (exit status 64)
};

// `overrides`: table name -> path, from `--data TABLE=PATH` (relative to the working directory).
DataSources dataSourcesFor(const Plan& plan, const std::map<std::string, std::string>& overrides);

// The loader's schema for one declared table or entity (`path` already resolved).
TableSchema schemaFor(const PlanTable& table, std::string path);

// Marks `presenceOnly` each field of a table (not an entity) whose values the plan never reads:
// no bound column, holiday list, text literal's warning or group reads it, and it is not the
// key, a reference or a ranged field (whose values the loader itself checks). Entities keep all
// their fields (subject filters and reports read them; they are small).
void markFieldsRead(const Plan& plan, TableSchema& schema);

} // namespace fulcrum::runtime
