// PostgreSQL sources without a server: the URI's split, each binary type's cell text (numeric
// from hand-made base-10,000 digits: exact, never a double), and the binary COPY stream read in
// any chunking. tests/postgres/ runs them against a real server.
#include "runtime/postgres/CopyBinary.h"
#include "runtime/postgres/PgTypes.h"
#include "support/PostgresUri.h"

#include <cstring>
#include <gtest/gtest.h>
#include <limits>

using namespace fulcrum;
using namespace fulcrum::runtime::postgres;

namespace {

std::string be16(int value) {
  return {static_cast<char>((value >> 8) & 0xFF), static_cast<char>(value & 0xFF)};
}
std::string be32(int64_t value) {
  std::string out;
  for (int shift = 24; shift >= 0; shift -= 8)
    out += static_cast<char>((value >> shift) & 0xFF);
  return out;
}
std::string be64(int64_t value) {
  return be32(value >> 32) + be32(value & 0xFFFFFFFF);
}

// numeric's binary form: ndigits, weight, sign, dscale, base-10,000 digits.
std::string numeric(int weight, int sign, int dscale, std::vector<int> digits) {
  std::string out =
      be16(static_cast<int>(digits.size())) + be16(weight) + be16(sign) + be16(dscale);
  for (int digit : digits)
    out += be16(digit);
  return out;
}

std::string text(uint32_t oid, const std::string& bytes) {
  std::string out;
  EXPECT_TRUE(pgType(oid)->toText(bytes, out)) << oid;
  return out;
}

TEST(PostgresUri, SplitsTableAndQueryFromTheConnection) {
  PostgresSource source;
  std::string error;
  ASSERT_TRUE(parsePostgresUri("postgresql:///crm?table=sales_pipeline", source, error));
  EXPECT_EQ(source.connection, "postgresql:///crm");
  EXPECT_EQ(source.table, "sales_pipeline");
  EXPECT_EQ(source.label, "postgresql:sales_pipeline");
  ASSERT_TRUE(parsePostgresUri("postgres://ann:pw%40x@db:5433/crm?sslmode=require&query=SELECT%20a"
                               "%2C%20b%20FROM%20t%20WHERE%20c%20%3D%20%27x%26y%27&host=/tmp",
                               source, error));
  EXPECT_EQ(source.connection, "postgres://ann:pw%40x@db:5433/crm?sslmode=require&host=/tmp");
  EXPECT_EQ(source.query, "SELECT a, b FROM t WHERE c = 'x&y'");
  EXPECT_EQ(source.label, "postgresql:(SELECT a, b FROM t WHERE c = 'x&y')");
  EXPECT_EQ(dataSourceLabel("postgresql://u:secret@h/db?table=s.deals"), "postgresql:s.deals");
  EXPECT_EQ(dataSourceLabel("data/deals.csv"), "data/deals.csv");
  EXPECT_FALSE(isPostgresUri("postgresql.csv"));
}

TEST(PostgresUri, WithoutPasswordKeepsTheRest) {
  EXPECT_EQ(withoutPassword("postgresql://u:s3cret@db.example/crm?table=deals"),
            "postgresql://u@db.example/crm?table=deals");
  EXPECT_EQ(withoutPassword("postgresql:///crm?password=x&table=deals"),
            "postgresql:///crm?table=deals");
  EXPECT_EQ(withoutPassword("postgresql:///crm?table=deals&password=x"),
            "postgresql:///crm?table=deals");
  EXPECT_EQ(withoutPassword("postgres://u:p@h/crm?sslmode=require&password=x&table=t"),
            "postgres://u@h/crm?sslmode=require&table=t");
  // A query that mentions `password=` is the query's, not a parameter.
  EXPECT_EQ(withoutPassword("postgresql:///crm?query=SELECT%20'password=1'"),
            "postgresql:///crm?query=SELECT%20'password=1'");
  EXPECT_EQ(withoutPassword("deals.csv"), "deals.csv");
}

TEST(PostgresUri, RefusesNeitherOrBothAndBadEscapes) {
  PostgresSource source;
  std::string error;
  EXPECT_FALSE(parsePostgresUri("postgresql://u:secret@/crm", source, error));
  EXPECT_NE(error.find("needs `?table=NAME`"), std::string::npos) << error;
  EXPECT_EQ(error.find("secret"), std::string::npos) << error; // the URI's password is not shown
  EXPECT_FALSE(
      parsePostgresUri("postgresql://u:secret@/crm?password=secret&table=a%2", source, error));
  EXPECT_NE(error.find("percent-encoded"), std::string::npos) << error;
  EXPECT_EQ(error.find("secret"), std::string::npos) << error;
  EXPECT_FALSE(parsePostgresUri("postgresql:///crm?table=a&query=SELECT 1", source, error));
  EXPECT_NE(error.find("not both"), std::string::npos) << error;
  EXPECT_FALSE(parsePostgresUri("postgresql:///crm?table=a%2", source, error));
  EXPECT_NE(error.find("percent-encoded"), std::string::npos) << error;
  EXPECT_FALSE(parsePostgresUri("postgresql:///crm?table=", source, error));
  EXPECT_NE(error.find("needs `?table=NAME`"), std::string::npos) << error;
}

TEST(PgTypes, NumericIsItsDecimalDigits) {
  // 1234567890.1234: weight 2, digits 12 3456 7890 . 1234
  EXPECT_EQ(text(1700, numeric(2, 0, 4, {12, 3456, 7890, 1234})), "1234567890.1234");
  EXPECT_EQ(text(1700, numeric(-1, 0, 4, {1})), "0.0001");
  EXPECT_EQ(text(1700, numeric(-2, 0, 8, {5})), "0.00000005");
  EXPECT_EQ(text(1700, numeric(0, 0x4000, 2, {5, 5000})), "-5.5"); // -5.50
  EXPECT_EQ(text(1700, numeric(1, 0, 0, {1})), "10000");
  EXPECT_EQ(text(1700, numeric(0, 0, 2, {100})), "100"); // 100.00
  EXPECT_EQ(text(1700, numeric(0, 0, 0, {})), "0");
  EXPECT_EQ(text(1700, numeric(0, 0x4000, 3, {})), "0"); // -0.000
  EXPECT_EQ(text(1700, numeric(3, 0, 6, {900, 7199, 2547, 4099, 1012, 3400})),
            "900719925474099.101234"); // digits past a double's, kept
  EXPECT_EQ(text(1700, numeric(0, 0xC000, 0, {})), "NaN");
  std::string out;
  EXPECT_FALSE(pgType(1700)->toText(numeric(0, 0, 0, {10000}), out)); // not a base-10,000 digit
  EXPECT_FALSE(pgType(1700)->toText(be16(1) + be16(0), out));         // cut short
}

TEST(PgTypes, NumbersDatesAndTexts) {
  EXPECT_EQ(text(21, be16(-2)), "-2");
  EXPECT_EQ(text(23, be32(-2147483648LL)), "-2147483648");
  EXPECT_EQ(text(20, be64(9007199254740993LL)), "9007199254740993");
  auto float8 = [](double value) {
    uint64_t bits = 0;
    std::memcpy(&bits, &value, sizeof bits);
    return be64(static_cast<int64_t>(bits));
  };
  EXPECT_EQ(text(701, float8(0.1)), "0.1");
  EXPECT_EQ(text(701, float8(1e20)), "100000000000000000000");
  EXPECT_EQ(text(701, float8(-1.5e-7)), "-0.00000015");
  EXPECT_EQ(text(701, float8(123.456)), "123.456");
  float quarter = 0.25f;
  uint32_t bits = 0;
  std::memcpy(&bits, &quarter, sizeof bits);
  EXPECT_EQ(text(700, be32(bits)), "0.25");
  EXPECT_EQ(text(16, std::string(1, '\1')), "true");
  EXPECT_EQ(text(1082, be32(0)), "2000-01-01");
  EXPECT_EQ(text(1082, be32(-1)), "1999-12-31");
  EXPECT_EQ(text(1082, be32(6269)), "2017-03-01");
  const int64_t day = int64_t{86400} * 1000000;
  EXPECT_EQ(text(1114, be64(6269 * day + day - 1)), "2017-03-01"); // 23:59:59.999999
  EXPECT_EQ(text(1184, be64(-1)), "1999-12-31");
  // PostgreSQL's infinities and NaN keep its spelling, so a rejected cell shows what it holds.
  EXPECT_EQ(text(1082, be32(0x7FFFFFFF)), "infinity");
  EXPECT_EQ(text(1082, be32(-2147483648LL)), "-infinity");
  EXPECT_EQ(text(1184, be64(INT64_MAX)), "infinity");
  EXPECT_EQ(text(1114, be64(INT64_MIN)), "-infinity");
  EXPECT_EQ(text(1082, be32(3000000)), "a date outside the years 0000-9999");
  EXPECT_EQ(text(701, float8(std::numeric_limits<double>::infinity())), "Infinity");
  EXPECT_EQ(text(701, float8(-std::numeric_limits<double>::infinity())), "-Infinity");
  EXPECT_EQ(text(701, float8(std::numeric_limits<double>::quiet_NaN())), "NaN");
  EXPECT_EQ(text(1043, "Anna \xC3\xA9"), "Anna \xC3\xA9");
  EXPECT_EQ(text(1042, "North   "), "North"); // character(8): its padding is not the value's
  EXPECT_EQ(pgType(114), nullptr);            // json: no field reads it
}

TEST(PgTypes, FieldsReadTheirFamilies) {
  runtime::FieldSchema money;
  money.kind = runtime::ValueKind::Number;
  money.typeName = "money";
  std::string accepted;
  EXPECT_TRUE(fieldReads(money, PgFamily::Numeric, accepted));
  EXPECT_TRUE(fieldReads(money, PgFamily::Integer, accepted));
  EXPECT_FALSE(fieldReads(money, PgFamily::Float, accepted));
  EXPECT_EQ(accepted, "numeric or an integer type (a float is not exact money)");
  EXPECT_FALSE(fieldReads(money, PgFamily::Text, accepted)); // the float remark is for floats
  EXPECT_EQ(accepted, "numeric or an integer type");
  runtime::FieldSchema date;
  date.kind = runtime::ValueKind::Date;
  EXPECT_TRUE(fieldReads(date, PgFamily::Timestamp, accepted));
  EXPECT_FALSE(fieldReads(date, PgFamily::Text, accepted));
}

std::string stream(const std::vector<std::vector<std::optional<std::string>>>& rows) {
  std::string out("PGCOPY\n\377\r\n\0", 11);
  out += be32(0) + be32(0);
  for (const auto& row : rows) {
    out += be16(static_cast<int>(row.size()));
    for (const auto& field : row)
      out += field ? be32(static_cast<int64_t>(field->size())) + *field : be32(-1);
  }
  return out + be16(-1);
}

std::vector<std::string> readAll(const std::string& bytes, size_t chunk, size_t fields,
                                 std::string& error) {
  std::vector<std::string> rows;
  CopyBinaryReader reader(fields, [&](const auto& values, std::string&) {
    std::string row;
    for (const auto& value : values)
      row += (value ? std::string(*value) : "NULL") + "|";
    rows.push_back(row);
    return true;
  });
  bool ok = true;
  for (size_t at = 0; ok && at < bytes.size(); at += chunk)
    ok = reader.feed(std::string_view(bytes).substr(at, chunk));
  ok = ok && reader.finish();
  error = ok ? "" : reader.error();
  return rows;
}

TEST(CopyBinary, RowsAndNullsInAnyChunking) {
  const std::string bytes =
      stream({{"abc", std::nullopt}, {"", "x"}, {std::string(300, 'z'), std::string("\0", 1)}});
  for (size_t chunk : {size_t{1}, size_t{2}, size_t{7}, size_t{64}, bytes.size()}) {
    std::string error;
    const auto rows = readAll(bytes, chunk, 2, error);
    EXPECT_EQ(error, "") << chunk;
    ASSERT_EQ(rows.size(), 3u) << chunk;
    EXPECT_EQ(rows[0], "abc|NULL|");
    EXPECT_EQ(rows[1], "|x|");
    EXPECT_EQ(rows[2], std::string(300, 'z') + "|" + std::string("\0", 1) + "|");
  }
}

TEST(CopyBinary, MalformedStreamsAreErrors) {
  std::string error;
  readAll("PGCOPY\nXXXXXXXXXXXXXXXXXXXX", 64, 1, error);
  EXPECT_NE(error.find("signature"), std::string::npos) << error;
  const std::string good = stream({{"a"}});
  readAll(good.substr(0, good.size() - 2), 64, 1, error);
  EXPECT_NE(error.find("before its trailer"), std::string::npos) << error;
  readAll(good, 64, 2, error);
  EXPECT_NE(error.find("has 1 fields, 2 were asked for"), std::string::npos) << error;
  readAll(good + "x", 64, 1, error);
  EXPECT_NE(error.find("after its trailer"), std::string::npos) << error;
}

} // namespace
