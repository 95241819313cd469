// A PostgreSQL data source as a table's path: a libpq connection URI naming a table or a query
// (`postgresql:///crm?table=sales_pipeline`, `postgres://user@host/db?query=SELECT...`). Parsed
// here, without libpq, so the compiler keeps such a `from` as written and messages can name the
// source without its password (runtime/postgres/ connects).
#pragma once

#include <string>
#include <string_view>

namespace fulcrum {

// The URI schemes libpq takes: `postgresql://` and `postgres://`.
bool isPostgresUri(std::string_view path);

struct PostgresSource {
  std::string connection; // the URI without `table=` and `query=`, for libpq (may hold a password)
  std::string table;      // `table=`: a table or view, `schema.table` allowed; or
  std::string query;      // `query=`: a SELECT whose rows are the table's
  std::string label;      // for messages, never the password: `postgresql:sales_pipeline`
};

// Splits `uri` (isPostgresUri); false with `error` when it names neither or both of a table and a
// query, or a parameter is not percent-encoded properly. The error never holds the password.
bool parsePostgresUri(std::string_view uri, PostgresSource& source, std::string& error);

// `uri` without its password (`user:PASSWORD@` becomes `user@`, a `password=` parameter goes),
// for a record of what a run read (provenance): rerun from the record, libpq takes the password
// from PGPASSWORD or ~/.pgpass. Any other path as it is.
std::string withoutPassword(std::string_view uri);

// What messages show for a table's path: a PostgreSQL URI as its label (postgresql:TABLE), any
// other path as it is.
std::string dataSourceLabel(std::string_view path);

} // namespace fulcrum
