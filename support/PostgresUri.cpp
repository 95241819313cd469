// Splitting a PostgreSQL source URI into libpq's connection URI and the table or query it names.
#include "support/PostgresUri.h"

#include <algorithm>
#include <fmt/format.h>

namespace fulcrum {
namespace {

int hexValue(char c) {
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

// `%XX` escapes decoded, as libpq decodes a URI's parameters (`+` stays `+`).
bool percentDecode(std::string_view text, std::string& out) {
  out.clear();
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '%') {
      out += text[i];
      continue;
    }
    if (i + 2 >= text.size())
      return false;
    const int high = hexValue(text[i + 1]);
    const int low = hexValue(text[i + 2]);
    if (high < 0 || low < 0)
      return false;
    out += static_cast<char>(high * 16 + low);
    i += 2;
  }
  return true;
}

// The query's first line and at most 60 characters of it, for a label.
std::string shortQuery(std::string_view query) {
  std::string out;
  for (char c : query) {
    if (out.size() >= 60) {
      out += "...";
      break;
    }
    out += (c == '\n' || c == '\r' || c == '\t') ? ' ' : c;
  }
  return out;
}

} // namespace

bool isPostgresUri(std::string_view path) {
  return path.starts_with("postgresql://") || path.starts_with("postgres://");
}

bool parsePostgresUri(std::string_view uri, PostgresSource& source, std::string& error) {
  source = PostgresSource{};
  const size_t mark = uri.find('?');
  std::string connection(uri.substr(0, mark));
  std::string kept;
  bool hasTable = false, hasQuery = false;
  if (mark != std::string_view::npos) {
    std::string_view rest = uri.substr(mark + 1);
    while (true) {
      const size_t amp = rest.find('&');
      const std::string_view pair = rest.substr(0, amp);
      const size_t eq = pair.find('=');
      const std::string_view name = pair.substr(0, eq);
      if (name == "table" || name == "query") {
        std::string value;
        if (eq == std::string_view::npos || !percentDecode(pair.substr(eq + 1), value)) {
          error = fmt::format("the `{}=` parameter of a PostgreSQL source is not a percent-encoded "
                              "value (write `%26` for `&`, `%25` for `%`)",
                              name);
          return false;
        }
        if ((name == "table" ? hasTable : hasQuery)) {
          error = fmt::format("a PostgreSQL source gives `{}=` twice", name);
          return false;
        }
        (name == "table" ? hasTable : hasQuery) = true;
        (name == "table" ? source.table : source.query) = std::move(value);
      } else if (!pair.empty()) {
        kept += kept.empty() ? "?" : "&";
        kept += pair;
      }
      if (amp == std::string_view::npos)
        break;
      rest.remove_prefix(amp + 1);
    }
  }
  source.connection = connection + kept;
  if (hasTable == hasQuery || (hasTable && source.table.empty()) ||
      (hasQuery && source.query.empty())) {
    error = hasTable && hasQuery
                ? "a PostgreSQL source names a table or a query, not both"
                : "a PostgreSQL source needs `?table=NAME` or `?query=SELECT...` after the "
                  "database (postgresql:///crm?table=sales_pipeline)";
    return false;
  }
  source.label =
      hasTable ? "postgresql:" + source.table : "postgresql:(" + shortQuery(source.query) + ")";
  return true;
}

std::string withoutPassword(std::string_view uri) {
  std::string out(uri);
  if (!isPostgresUri(uri))
    return out;
  const size_t start = out.find("://") + 3;
  const size_t end = std::min(out.find_first_of("/?", start), out.size());
  const size_t at = out.rfind('@', end);
  if (at != std::string::npos && at >= start) {
    const size_t colon = out.find(':', start);
    if (colon < at)
      out.erase(colon, at - colon); // `user:secret@` -> `user@`
  }
  // Each `password=` parameter with its separator: `?a=1&password=x&b=2` -> `?a=1&b=2`.
  for (size_t key = out.find("password=", start); key != std::string::npos;
       key = out.find("password=", key)) {
    if (out[key - 1] != '?' && out[key - 1] != '&') {
      ++key;
      continue;
    }
    const size_t stop = out.find('&', key);
    if (stop != std::string::npos)
      out.erase(key, stop + 1 - key); // the next parameter takes its place
    else
      out.erase(key - 1); // the last one: its `?` or `&` goes too
  }
  return out;
}

std::string dataSourceLabel(std::string_view path) {
  if (!isPostgresUri(path))
    return std::string(path);
  PostgresSource source;
  std::string error;
  return parsePostgresUri(path, source, error) ? source.label : "postgresql:(a malformed URI)";
}

} // namespace fulcrum
