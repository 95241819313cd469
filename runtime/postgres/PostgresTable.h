// A table read from PostgreSQL (a `postgresql://...?table=` or `?query=` source, support/
// PostgresUri.h): only the columns the schema reads, through `COPY (SELECT ...) TO STDOUT (FORMAT
// binary)`, each value turned into the text a CSV cell would hold (PgTypes.h) and converted by the
// loader's own cell rules, so types, missing values, keys, references and rejections are a CSV
// file's. A connection or SQL failure is one fatal issue with libpq's message and a hint.
#pragma once

#include "runtime/data/HostTable.h"

#include <string>

namespace fulcrum::runtime::postgres {

class PostgresTable : public HostTable {
public:
  explicit PostgresTable(std::string uri) : uri_(std::move(uri)) {}
  void parse(const TableSchema& schema, ParsedTable& out) const override;
  // What the rows hold while they are read (their cells' texts, kept for the rejects file, and
  // the cell list) is charged to `budget`; `cancel` is checked between the server's chunks.
  void load(const TableSchema& schema, ParsedTable& out, MemoryBudget* budget,
            const std::atomic<bool>* cancel) const override;

private:
  std::string uri_; // holds the password, if any: never put in a message
};

} // namespace fulcrum::runtime::postgres
