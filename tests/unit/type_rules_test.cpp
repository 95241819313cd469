// The type and unit rules as a table: an expression inside a framework -> its type, or the
// diagnostic it must produce. Each row is checked through the whole front end.
#include "compiler/driver/Compilation.h"

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <string>

namespace fulcrum {
namespace {

// A small world to write expressions in: reps, deals with money, dates and counts, a quota.
const char* const kPrelude = R"(
entity rep from "reps.csv" {
  key name: text
  manager: text
  started: date
}
table deals from "deals.csv" {
  key id: text
  owner: rep
  stage: text
  value: money?
  seats: count
  closed: date?
  discount: percent?
}
param quota: money = 600000
param target_deals: count = 40
param growth: percent = 10%
param cutoff: date = 2017-06-30
framework f {
  subject rep
  cadence quarter
  metric won: money = sum(deals.value where stage == "Won")
  metric n: count = count(deals)
  metric ratio: number = 0.5
)";

struct Row {
  const char* expr;
  const char* expected; // a type (`money?`) or a diagnostic kind in brackets (`[UnitMismatch]`)
};

std::string typeOrError(const std::string& expr) {
  const std::string source = std::string(kPrelude) + "  metric probe = " + expr + "\n}\n";
  auto compilation = compileSource("probe.fulcrum", source);
  for (const Diagnostic& d : compilation->diagnostics.diagnostics())
    if (d.severity == Severity::Error)
      return fmt::format("[{}]", diagKindInfo(d.kind).name);
  for (const auto& decl : compilation->modules.front()->decls)
    if (decl->is<ast::FrameworkDecl>())
      for (const auto& member : decl->as<ast::FrameworkDecl>().members)
        if (member->name.name == "probe")
          return ast::typeName(member->as<ast::MetricMember>().type);
  return "<no probe>";
}

const Row kRows[] = {
    // Money adds to money, never to counts or numbers.
    {"won + won", "money"},
    {"won - $500", "money"},
    {"won + 100", "money"},
    {"won + n", "[UnitMismatch]"},
    {"won + ratio", "[UnitMismatch]"},
    {"won - growth", "[UnitMismatch]"},
    // Money scales by dimensionless values; money / money is a number.
    {"won * 2", "money"},
    {"won * growth", "money"},
    {"n * $40", "money"},
    {"won * won", "[UnitMismatch]"},
    {"won / quota", "number?"},
    {"won / n", "money?"},
    {"won / 4", "money"},
    {"quota / won", "number?"},
    // Counts, numbers and percents mix freely.
    {"n + 1", "count"},
    {"n + ratio", "number"},
    {"n * growth", "number"},
    {"n / target_deals", "number?"},
    {"growth + 5%", "percent"},
    {"40%", "percent"},
    {"n ^ 2", "number"},
    {"won ^ 2", "[UnitMismatch]"},
    // Comparisons: units must agree; a bare literal takes the other side's unit.
    {"won > 3000", "bool"},
    {"won > $3k", "bool"},
    {"won > n", "[UnitMismatch]"},
    {"n >= 10 and ratio < 1", "bool"},
    {"\"a\" < \"b\"", "[TypeMismatch]"},
    {"won == missing", "[TypeMismatch]"},
    // Missing flows through; `??` removes it; `is missing` is never missing.
    {"avg(deals.value)", "money?"},
    {"avg(deals.value) ?? $0", "money"},
    {"avg(deals.value) ?? n", "[UnitMismatch]"},
    {"avg(deals.value) is missing", "bool"},
    {"max(deals.closed)", "date?"},
    {"sum(deals.seats)", "count"},
    {"count(deals.value)", "count"},
    {"count(distinct deals.stage)", "count"},
    {"sum(deals.stage)", "[TypeMismatch]"},
    // Dates, durations and periods.
    {"cutoff + 14 days", "date"},
    {"cutoff - started", "duration"},
    {"days_since(started)", "count"},
    {"working_days(period)", "count"},
    {"period.start", "date"},
    {"cutoff in period", "bool"},
    {"n in period", "[TypeMismatch]"},
    {"cutoff in last 14 days", "bool"},
    {"cutoff + n", "[TypeMismatch]"},
    // Conditions are booleans.
    {"if n > 3 then won else $0", "money"},
    {"if n then won else $0", "[NotBoolean]"},
    {"if n > 3 then won else n", "[UnitMismatch]"},
    {"if n > 3 then \"big\" else missing", "text?"},
    {"not n", "[NotBoolean]"},
    {"n > 1 implies ratio > 0", "bool"},
    {"case { n > 10 => \"many\" else => \"few\" }", "text"},
    {"case { n > 10 => \"many\" }", "text?"},
    {"stage", "[UnknownName]"},
    {"clamp(won / quota, 0, 1)", "number?"},
    {"clamp(won, 0)", "[WrongArgumentCount]"},
    {"min(n, 3)", "count"},
    {"deals.value", "[NotAValue]"},
};

class TypeRules : public testing::TestWithParam<Row> {};

TEST_P(TypeRules, ExpressionHasType) {
  const Row& row = GetParam();
  EXPECT_EQ(typeOrError(row.expr), row.expected) << "expression: " << row.expr;
}

INSTANTIATE_TEST_SUITE_P(Table, TypeRules, testing::ValuesIn(kRows));

} // namespace
} // namespace fulcrum
