// Connecting, describing the source's columns, and reading them with binary COPY.
#include "runtime/postgres/PostgresTable.h"

#include "runtime/data/HostRows.h"
#include "runtime/data/ShownText.h"
#include "runtime/data/TableParser.h"
#include "runtime/postgres/CopyBinary.h"
#include "runtime/postgres/PgTypes.h"
#include "support/MemorySize.h"
#include "support/PostgresUri.h"
#include "support/Text.h"

#include <cctype>
#include <fmt/format.h>
#include <libpq-fe.h>
#include <memory>

namespace fulcrum::runtime::postgres {
namespace {

struct ConnectionCloser {
  void operator()(PGconn* connection) const { PQfinish(connection); }
};
struct ResultClearer {
  void operator()(PGresult* result) const { PQclear(result); }
};
using Connection = std::unique_ptr<PGconn, ConnectionCloser>;
using Result = std::unique_ptr<PGresult, ResultClearer>;

// `text` on one line (libpq's messages run over lines and tabs).
std::string oneLine(const std::string& text) {
  std::string line;
  for (char c : text) {
    const bool space = c == ' ' || c == '\n' || c == '\t' || c == '\r';
    if (space && (line.empty() || line.back() == ' '))
      continue;
    line += space ? ' ' : c;
  }
  while (!line.empty() && line.back() == ' ')
    line.pop_back();
  return line;
}

// A message from libpq or the server with each secret that stands as a whole token (not inside
// a longer word: a password `e` leaves `the` alone) replaced by `***`, on one line. Only what
// libpq and the server say passes through here; Fulcrum's own text never holds the password.
std::string redacted(std::string text, const std::vector<std::string>& secrets) {
  const auto wordChar = [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' ||
           static_cast<unsigned char>(c) >= 0x80;
  };
  for (const std::string& secret : secrets) {
    if (secret.empty())
      continue;
    for (size_t at = text.find(secret); at != std::string::npos;) {
      const size_t end = at + secret.size();
      const bool whole = (at == 0 || !wordChar(text[at - 1]) || !wordChar(secret.front())) &&
                         (end == text.size() || !wordChar(text[end]) || !wordChar(secret.back()));
      if (whole) {
        text.replace(at, secret.size(), "***");
        at = text.find(secret, at + 3);
      } else {
        at = text.find(secret, at + 1);
      }
    }
  }
  return oneLine(text);
}

// The password of a URI as written (`user:PASSWORD@`, `password=`), raw and decoded, so that no
// message libpq makes can show it.
std::vector<std::string> passwordsOf(const std::string& uri) {
  std::vector<std::string> secrets;
  const size_t start = uri.find("://");
  if (start != std::string::npos) {
    const size_t end = uri.find_first_of("/?", start + 3);
    const std::string authority =
        uri.substr(start + 3, end == std::string::npos ? end : end - start - 3);
    const size_t at = authority.rfind('@');
    if (at != std::string::npos) {
      const size_t colon = authority.find(':');
      if (colon != std::string::npos && colon < at)
        secrets.push_back(authority.substr(colon + 1, at - colon - 1));
    }
  }
  for (size_t at = uri.find("password="); at != std::string::npos;
       at = uri.find("password=", at + 1)) {
    const size_t end = uri.find('&', at);
    secrets.push_back(uri.substr(at + 9, end == std::string::npos ? end : end - at - 9));
  }
  char* error = nullptr;
  if (PQconninfoOption* options = PQconninfoParse(uri.c_str(), &error)) {
    for (PQconninfoOption* option = options; option->keyword; ++option)
      if (std::string_view(option->keyword) == "password" && option->val)
        secrets.push_back(option->val);
    PQconninfoFree(options);
  }
  PQfreemem(error);
  return secrets;
}

class Reader {
public:
  Reader(const std::string& uri, const TableSchema& schema, ParsedTable& out, MemoryBudget* budget,
         const std::atomic<bool>* cancel)
      : uri_(uri), schema_(schema), out_(out), secrets_(passwordsOf(uri)), budget_(budget),
        cancel_(cancel) {}
  void read();

private:
  void fatal(std::string message) {
    out_.addFatal(LoadIssue{schema_.path, 0, 0, schema_.name, "", "", oneLine(message), true});
  }
  void emptyTable();
  // Charges the budget up to `held` bytes in all; false (and the table one fatal issue, as a
  // CSV file's over the limit) when the limit does not allow it.
  bool charge(size_t held);
  bool cancelled() const { return cancel_ && cancel_->load(std::memory_order_relaxed); }
  // Gives back what the table held of the budget (its rows are dropped) and, with a message,
  // makes it the table's fatal issue.
  void emptyAfterStop(const std::string& message = {}) {
    if (budget_)
      budget_->give(charged_);
    charged_ = 0;
    if (!message.empty())
      fatal(message);
  }
  // The server's message (its primary text, detail and hint, without the query's excerpt), or
  // libpq's for a failure without a result.
  std::string serverMessage(const PGresult* result) const {
    const char* primary = result ? PQresultErrorField(result, PG_DIAG_MESSAGE_PRIMARY) : nullptr;
    if (!primary)
      return redacted(result ? PQresultErrorMessage(result) : PQerrorMessage(connection_.get()),
                      secrets_);
    std::string message = primary;
    if (const char* detail = PQresultErrorField(result, PG_DIAG_MESSAGE_DETAIL))
      message += fmt::format(" ({})", detail);
    if (const char* hint = PQresultErrorField(result, PG_DIAG_MESSAGE_HINT))
      message += fmt::format(" (the server's hint: {})", hint);
    return redacted(std::move(message), secrets_);
  }
  // `"schema"."table"` or `(query) AS fulcrum_source`.
  bool sourceSql(std::string& sql);
  std::string typeName(uint32_t oid);

  const std::string& uri_;
  const TableSchema& schema_;
  ParsedTable& out_;
  std::vector<std::string> secrets_;
  MemoryBudget* budget_;
  const std::atomic<bool>* cancel_;
  size_t charged_ = 0; // what this table holds of the budget
  PostgresSource source_;
  Connection connection_;
};

void Reader::emptyTable() {
  out_.schema = &schema_;
  out_.table.schema = schema_;
  out_.table.columns.clear();
  for (size_t f = 0; f < schema_.fields.size(); ++f) {
    out_.table.columns.emplace_back(schema_.fields[f].kind);
    if (schema_.fields[f].kind == ValueKind::Reference)
      out_.references.push_back(PendingReference{f, {}});
  }
  out_.hostCell = [](size_t, size_t) { return std::string(); };
}

bool Reader::sourceSql(std::string& sql) {
  if (!source_.query.empty()) {
    std::string query = source_.query;
    while (!query.empty() && (query.back() == ';' || query.back() == ' ' || query.back() == '\n' ||
                              query.back() == '\t' || query.back() == '\r'))
      query.pop_back();
    sql = "(" + query + "\n) AS fulcrum_source"; // a query may end in a `--` comment
    return true;
  }
  sql.clear();
  std::string_view rest = source_.table;
  while (true) { // `schema.table`: each part quoted as an identifier
    const size_t dot = rest.find('.');
    const std::string part(rest.substr(0, dot));
    char* quoted = PQescapeIdentifier(connection_.get(), part.data(), part.size());
    if (!quoted) {
      fatal(fmt::format("the table name `{}` cannot be quoted: {}", shown(source_.table),
                        serverMessage(nullptr)));
      return false;
    }
    sql += (sql.empty() ? "" : ".") + std::string(quoted);
    PQfreemem(quoted);
    if (dot == std::string_view::npos)
      return true;
    rest.remove_prefix(dot + 1);
  }
}

std::string Reader::typeName(uint32_t oid) {
  if (const PgType* type = pgType(oid))
    return type->name;
  if (oid == kMoneyOid) // its text depends on the server's lc_monetary: not read, cast instead
    return "PostgreSQL's `money` type (its text follows the server's locale; select it as "
           "`col::numeric AS col`)";
  const std::string value = std::to_string(oid);
  const char* values[] = {value.c_str()};
  Result result(PQexecParams(connection_.get(), "SELECT format_type($1::oid, NULL)", 1, nullptr,
                             values, nullptr, nullptr, 0));
  if (PQresultStatus(result.get()) == PGRES_TUPLES_OK && PQntuples(result.get()) == 1)
    return PQgetvalue(result.get(), 0, 0);
  return "type " + value;
}

bool Reader::charge(size_t held) {
  if (!budget_ || held <= charged_)
    return true;
  if (budget_->take(held - charged_)) {
    charged_ = held;
    return true;
  }
  budget_->give(charged_);
  charged_ = 0;
  out_.stoppedAtLimit = true;
  fatal(fmt::format("the rows of {} need more than the memory limit allows (--memory-limit {}); "
                    "nothing of the table is loaded",
                    schema_.name, formatMemorySize(budget_->limit())));
  return false;
}

void Reader::read() {
  emptyTable();
  std::string problem;
  if (!parsePostgresUri(uri_, source_, problem))
    return fatal(problem);
  connection_.reset(PQconnectdb(source_.connection.c_str()));
  if (PQstatus(connection_.get()) != CONNECTION_OK)
    return fatal(fmt::format("cannot connect to the PostgreSQL server: {} (hint: is the server "
                             "running, and do the URI's host, port, database, user and password "
                             "hold? `psql` takes the same URI without `table=` or `query=`)",
                             serverMessage(nullptr)));
  if (PQsetClientEncoding(connection_.get(), "UTF8") != 0)
    return fatal(
        fmt::format("the PostgreSQL server cannot send UTF-8: {}", serverMessage(nullptr)));
  std::string from;
  if (!sourceSql(from))
    return;
  // The source's columns and their types, without reading a row.
  Result described(PQexec(connection_.get(), ("SELECT * FROM " + from + " LIMIT 0").c_str()));
  if (PQresultStatus(described.get()) != PGRES_TUPLES_OK)
    return fatal(fmt::format(
        "the PostgreSQL server refused to read {}: {} (hint: {})",
        source_.query.empty() ? "the table" : "the query", serverMessage(described.get()),
        source_.query.empty() ? "check the table's name and that the user may read it"
                              : "run the query in `psql` to see what it says"));
  const int columns = PQnfields(described.get());
  std::vector<std::string> names;
  for (int c = 0; c < columns; ++c)
    names.emplace_back(PQfname(described.get(), c));
  // Per field: its place among the selected columns.
  std::vector<int> selectedOf(schema_.fields.size(), -1);
  // Source column indexes, in SELECT order; a field whose values the plan never reads
  // (`presenceOnly`) selects only whether its column is NULL.
  struct SelectedColumn {
    int column;
    bool presenceOnly;
    bool operator==(const SelectedColumn&) const = default;
  };
  std::vector<SelectedColumn> selected;
  std::vector<const PgType*> types; // per selected column
  std::vector<std::string> problems;
  for (size_t f = 0; f < schema_.fields.size(); ++f) {
    const FieldSchema& field = schema_.fields[f];
    int column = -1;
    int twice = -1;
    for (int c = 0; c < columns; ++c)
      if (names[static_cast<size_t>(c)] == field.column) {
        if (column >= 0)
          twice = c;
        else
          column = c;
      }
    if (twice >= 0) {
      problems.push_back(fmt::format("two columns are named `{}` (columns {} and {}), which the "
                                     "field {} reads",
                                     shown(field.column), column + 1, twice + 1,
                                     describeField(field)));
      continue;
    }
    if (column < 0) {
      // Fatal for optional fields too, as a CSV file's missing column is: a missing column is a
      // mistake in the source, not a column of empty cells.
      std::string message = fmt::format("no column `{}` for the field {} ({})", shown(field.column),
                                        describeField(field), typeLabel(field));
      if (const std::string suggestion = closestMatch(field.column, names); !suggestion.empty())
        message += fmt::format(" (did you mean `{}`?)", shown(suggestion));
      problems.push_back(std::move(message));
      continue;
    }
    const auto oid = static_cast<uint32_t>(PQftype(described.get(), column));
    const PgType* type = pgType(oid);
    std::string accepted;
    if (!type || !fieldReads(field, type->family, accepted)) {
      if (!type)
        fieldReads(field, PgFamily::Text, accepted); // sets `accepted` whatever the family
      problems.push_back(fmt::format("column `{}` is {}, but {} is {}: expected {}",
                                     shown(field.column), typeName(oid), describeField(field),
                                     typeLabel(field), accepted));
      continue;
    }
    const SelectedColumn wanted{column, field.presenceOnly};
    for (size_t s = 0; s < selected.size(); ++s)
      if (selected[s] == wanted)
        selectedOf[f] = static_cast<int>(s);
    if (selectedOf[f] < 0) {
      selectedOf[f] = static_cast<int>(selected.size());
      selected.push_back(wanted);
      types.push_back(field.presenceOnly ? pgType(kBooleanOid) : type);
    }
  }
  if (!problems.empty())
    return fatal(fmt::format("{} (the {} has the columns {})", fmt::join(problems, "; "),
                             source_.query.empty() ? "table" : "query",
                             shown(fmt::format("{}", fmt::join(names, ", ")), 300)));

  std::string list;
  for (const SelectedColumn& column : selected) {
    const std::string& name = names[static_cast<size_t>(column.column)];
    char* quoted = PQescapeIdentifier(connection_.get(), name.data(), name.size());
    const std::string identifier = quoted ? quoted : "";
    PQfreemem(quoted);
    // `true` when present, NULL when not: one byte a row instead of the value.
    list += (list.empty() ? "" : ", ") +
            (column.presenceOnly ? fmt::format("NULLIF({} IS NOT NULL, false)", identifier)
                                 : identifier);
  }
  const std::string copy =
      fmt::format("COPY (SELECT {} FROM {}) TO STDOUT (FORMAT binary)", list, from);
  Result started(PQexec(connection_.get(), copy.c_str()));
  if (PQresultStatus(started.get()) != PGRES_COPY_OUT)
    return fatal(fmt::format("the PostgreSQL server refused to copy the rows: {}",
                             serverMessage(started.get())));

  // Every cell's text in one buffer (a NULL is an empty cell, as in a file); `ends[i]` is where
  // cell i ends, cells row-major in the schema's field order.
  auto texts = std::make_shared<std::pair<std::string, std::vector<size_t>>>();
  std::string& arena = texts->first;
  std::vector<size_t>& ends = texts->second;
  const size_t fields = schema_.fields.size();
  size_t rows = 0;
  std::string cell;
  std::vector<std::string> cellOfSelected(selected.size());
  CopyBinaryReader reader(selected.size(), [&](const auto& values, std::string& error) {
    for (size_t s = 0; s < values.size(); ++s) {
      cellOfSelected[s].clear();
      if (values[s] && !types[s]->toText(*values[s], cellOfSelected[s])) {
        error =
            fmt::format("row {}: a value of column `{}` is not {} in the binary format", rows + 1,
                        names[static_cast<size_t>(selected[s].column)], types[s]->name);
        return false;
      }
    }
    for (size_t f = 0; f < fields; ++f) {
      if (selectedOf[f] >= 0)
        arena += cellOfSelected[static_cast<size_t>(selectedOf[f])];
      ends.push_back(arena.size());
    }
    ++rows;
    // The held texts and cell ends, checked every 4,096 rows (a row's cells are a few bytes).
    if (rows % 4096 == 0 && !charge(arena.capacity() + ends.capacity() * sizeof(size_t))) {
      error = "over the memory limit";
      return false;
    }
    return true;
  });
  while (true) {
    char* chunk = nullptr;
    const int size = PQgetCopyData(connection_.get(), &chunk, 0);
    if (size < 0)
      break;
    const bool ok = reader.feed(std::string_view(chunk, static_cast<size_t>(size)));
    PQfreemem(chunk);
    if (out_.stoppedAtLimit)
      return emptyAfterStop();
    if (cancelled()) {
      out_.cancelled = true;
      return emptyAfterStop("the load was cancelled");
    }
    if (!ok) // the connection closes mid-copy; the server drops the rest
      return fatal(
          fmt::format("the rows from the PostgreSQL server cannot be read: {}", reader.error()));
  }
  bool failed = false;
  std::string failure;
  while (PGresult* raw = PQgetResult(connection_.get())) {
    Result result(raw);
    if (PQresultStatus(raw) != PGRES_COMMAND_OK && !failed) {
      failed = true;
      failure = serverMessage(raw);
    }
  }
  if (failed)
    return fatal(fmt::format("the PostgreSQL server stopped sending the rows: {}", failure));
  if (!reader.finish())
    return fatal(
        fmt::format("the rows from the PostgreSQL server cannot be read: {}", reader.error()));

  // The cell list lives until the rows are converted; the texts stay (for the rejects file).
  const size_t held = arena.capacity() + ends.capacity() * sizeof(size_t);
  if (!charge(held + ends.size() * sizeof(std::string_view)))
    return emptyAfterStop();
  std::vector<std::string_view> cells;
  cells.reserve(ends.size());
  for (size_t i = 0; i < ends.size(); ++i) {
    const size_t begin = i == 0 ? 0 : ends[i - 1];
    cells.emplace_back(arena.data() + begin, ends[i] - begin);
  }
  out_.references.clear();
  out_.issuesNameKeys = true;
  out_.hostCell = [texts, fields](size_t row, size_t field) {
    const size_t i = row * fields + field;
    const size_t begin = i == 0 ? 0 : texts->second[i - 1];
    return texts->first.substr(begin, texts->second[i] - begin);
  };
  parseHostCells(schema_, cells, out_);
  std::vector<std::string_view>().swap(cells);
  if (budget_ && charged_ > held) {
    budget_->give(charged_ - held);
    charged_ = held;
  }
}

} // namespace

void PostgresTable::parse(const TableSchema& schema, ParsedTable& out) const {
  load(schema, out, nullptr, nullptr);
}

void PostgresTable::load(const TableSchema& schema, ParsedTable& out, MemoryBudget* budget,
                         const std::atomic<bool>* cancel) const {
  Reader(uri_, schema, out, budget, cancel).read();
}

} // namespace fulcrum::runtime::postgres
