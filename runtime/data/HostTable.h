// A table a host program hands over in memory instead of a file (runtime/arrow/ makes them from
// Arrow arrays): the loader takes its rows from it, then applies the same steps as to a parsed
// file (keys, references, rejected rows), so a host table obeys the rules a CSV file does.
#pragma once

#include "runtime/data/MemoryBudget.h"

#include <atomic>
#include <map>
#include <memory>
#include <string>
#include <string_view>

namespace fulcrum::runtime {

struct TableSchema;
struct ParsedTable;

class HostTable {
public:
  virtual ~HostTable() = default;
  // Fills `out` as parseTable fills it from a file: every row (bad ones rejected with an issue
  // naming the 1-based row), references pending, the key index. `out.schema` is `schema`.
  virtual void parse(const TableSchema& schema, ParsedTable& out) const = 0;
  // The same under a run's memory budget and cancel flag (Loader.h), as the loader calls it: a
  // table that reads its rows from elsewhere charges what it holds to `budget` (null: no limit)
  // and stops when `cancel` is set. By default the rows are parsed as they are (an embedder's
  // rows are in its memory already).
  virtual void load(const TableSchema& schema, ParsedTable& out, MemoryBudget* /*budget*/,
                    const std::atomic<bool>* /*cancel*/) const {
    parse(schema, out);
  }
};

// Table name -> its rows in memory. Shared: loads made from it keep it alive.
using HostTables = std::map<std::string, std::shared_ptr<const HostTable>>;

// The stand-in for a host table's file in messages (`arrow:deals`).
inline std::string hostTableLabel(const std::string& table) {
  return "arrow:" + table;
}

// Whether a load issue's place is a source that is not a file: a host table's label (above) or
// a database source's (`postgresql:TABLE`, support/PostgresUri.h). Its rows are named `row N`,
// never a line, and it has no URI to point at.
inline bool isTableSourceLabel(std::string_view place) {
  for (std::string_view prefix : {std::string_view("arrow:"), std::string_view("postgresql:")})
    if (place.substr(0, prefix.size()) == prefix)
      return true;
  return false;
}

} // namespace fulcrum::runtime
