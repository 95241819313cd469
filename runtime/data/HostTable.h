// A table a host program hands over in memory instead of a file (runtime/arrow/ makes them from
// Arrow arrays): the loader takes its rows from it, then applies the same steps as to a parsed
// file (keys, references, rejected rows), so a host table obeys the rules a CSV file does.
#pragma once

#include <map>
#include <memory>
#include <string>

namespace fulcrum::runtime {

struct TableSchema;
struct ParsedTable;

class HostTable {
public:
  virtual ~HostTable() = default;
  // Fills `out` as parseTable fills it from a file: every row (bad ones rejected with an issue
  // naming the 1-based row), references pending, the key index. `out.schema` is `schema`.
  virtual void parse(const TableSchema& schema, ParsedTable& out) const = 0;
};

// Table name -> its rows in memory. Shared: loads made from it keep it alive.
using HostTables = std::map<std::string, std::shared_ptr<const HostTable>>;

// The stand-in for a host table's file in messages (`arrow:deals`).
inline std::string hostTableLabel(const std::string& table) {
  return "arrow:" + table;
}

} // namespace fulcrum::runtime
