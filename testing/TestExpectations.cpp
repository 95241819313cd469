// Matching a test's expectations against a run's results, and two engines' results against each
// other. Values are shown as the table format shows them (language.md, "How values are shown").
#include "testing/TestExpectations.h"

#include "runtime/output/ResultFormat.h"
#include "support/Calendar.h"
#include "support/Money.h"
#include "testing/TestData.h"

#include <cmath>
#include <cstring>
#include <fmt/format.h>
#include <set>

namespace fulcrum::testing {

namespace {

using runtime::ResultTable;
using runtime::ValueType;

// The subject a test names: `"Ann"` (or a number key).
std::string keyText(const ast::Expr& expr) {
  if (expr.is<ast::StringLit>())
    return expr.as<ast::StringLit>().plainText();
  if (auto number = ast::numericLiteral(expr))
    return fmt::format("{}", *number);
  return "";
}

// A literal under an optional minus: the literal, and whether it is negated.
const ast::Expr& unsignedLiteral(const ast::Expr& expr, bool& negated) {
  negated = false;
  if (expr.is<ast::UnaryExpr>() && expr.as<ast::UnaryExpr>().op == ast::UnaryOp::Negate) {
    negated = true;
    return *expr.as<ast::UnaryExpr>().operand;
  }
  return expr;
}

std::string withoutUnderscores(std::string text) {
  std::erase(text, '_');
  return text;
}

// An expected number as people read it: `166%`, `$1,234.50`, `1.93`.
std::string shownNumber(const ast::Expr& expr, const std::string& written,
                        std::string_view currencySign) {
  bool negated = false;
  const ast::Expr& literal = unsignedLiteral(expr, negated);
  if (literal.is<ast::MoneyLit>())
    return shownMoney((negated ? -1 : 1) * literal.as<ast::MoneyLit>().units, currencySign);
  if (literal.is<ast::PercentLit>()) {
    const std::string shown = runtime::shownValue(
        ValueType::Percent, (negated ? -1 : 1) * literal.as<ast::PercentLit>().fraction, true, {});
    const size_t dot = written.find('.');
    // More decimals than the table format shows: as written.
    if (dot != std::string::npos && written.size() - dot > 3)
      return withoutUnderscores(written);
    return shown;
  }
  return withoutUnderscores(written);
}

std::string shownExpected(const ast::ExpectedValue& expected, std::string_view currencySign) {
  const ast::Expr& value = *expected.value;
  std::string text;
  if (value.is<ast::MissingLit>())
    text = "-";
  else if (value.is<ast::StringLit>())
    text = fmt::format("\"{}\"", value.as<ast::StringLit>().plainText());
  else if (value.is<ast::BoolLit>())
    text = value.as<ast::BoolLit>().value ? "true" : "false";
  else if (value.is<ast::DateLit>())
    text = formatDate(value.as<ast::DateLit>().day);
  else if (value.is<ast::PeriodLitExpr>())
    text = formatPeriod(value.as<ast::PeriodLitExpr>().period);
  else
    text = shownNumber(value, expected.written, currencySign);
  if (expected.tolerance) {
    bool negated = false;
    const ast::Expr& tolerance = unsignedLiteral(*expected.tolerance, negated);
    std::string written;
    if (tolerance.is<ast::NumberLit>())
      written = fmt::format("{}", tolerance.as<ast::NumberLit>().value);
    text += " \u00b1 " + shownNumber(*expected.tolerance, written, currencySign);
  }
  return text;
}

// A present cell's value in plain units: money in dollars, a percent as a fraction.
double plainValue(const ResultTable& table, size_t column, size_t subject) {
  const double value = table.value(column, subject);
  return table.columns[column].kind == ValueType::Money ? moneyDollars(value) : value;
}

bool isNumberKind(ValueType kind) {
  return kind == ValueType::Number || kind == ValueType::Count || kind == ValueType::Money ||
         kind == ValueType::Percent || kind == ValueType::Duration ||
         kind == ValueType::MonthDuration;
}

std::string shownGot(const ResultTable& table, size_t column, size_t subject) {
  if (table.present(column, subject) && table.columns[column].kind == ValueType::Text)
    return fmt::format("\"{}\"", runtime::humanValue(table, column, subject));
  return runtime::humanValue(table, column, subject);
}

bool valueMatches(const ast::ExpectedValue& expected, const ResultTable& table, size_t column,
                  size_t subject) {
  const ast::Expr& value = *expected.value;
  const bool present = table.present(column, subject);
  if (value.is<ast::MissingLit>())
    return !present;
  if (!present)
    return false;
  const ValueType kind = table.columns[column].kind;
  const double got = table.value(column, subject);
  if (value.is<ast::StringLit>())
    return kind == ValueType::Text &&
           table.strings[static_cast<size_t>(got)] == value.as<ast::StringLit>().plainText();
  if (value.is<ast::BoolLit>())
    return kind == ValueType::Bool && (got != 0) == value.as<ast::BoolLit>().value;
  if (value.is<ast::DateLit>())
    return kind == ValueType::Date && got == value.as<ast::DateLit>().day;
  if (value.is<ast::PeriodLitExpr>())
    return kind == ValueType::Period &&
           runtime::rawValue(kind, got, table.strings, table.fiscalStart) ==
               formatPeriod(value.as<ast::PeriodLitExpr>().period);
  const auto number = ast::numericLiteral(value);
  if (!number || !isNumberKind(kind))
    return false;
  std::optional<double> tolerance;
  if (expected.tolerance)
    tolerance = ast::numericLiteral(*expected.tolerance);
  return numberMatches(plainValue(table, column, subject), *number, expected.written, tolerance);
}

// Every output of one subject, for the line under a failure.
std::string subjectValues(const ResultTable& table, size_t subject) {
  std::string text = table.keys[subject] + ":";
  for (size_t c = 0; c < table.columns.size(); ++c)
    text +=
        fmt::format("{} {} {}", c ? "," : "", table.columns[c].name, shownGot(table, c, subject));
  return text;
}

std::optional<size_t> subjectIndex(const ResultTable& table, const std::string& key) {
  for (size_t s = 0; s < table.keys.size(); ++s)
    if (table.keys[s] == key)
      return s;
  return std::nullopt;
}

std::string violationText(const runtime::CheckViolation& v) {
  std::string values;
  for (const auto& [name, shown] : v.values)
    values += fmt::format("{}{} = {}", values.empty() ? "" : ", ", name, shown);
  return fmt::format("\"{}\" for {}{}{}", v.check, v.subject, values.empty() ? "" : ": ", values);
}

std::string alertText(const runtime::AlertRecord& a) {
  return fmt::format("{}{}{}", a.alert, a.date ? " dated " : "", a.date ? formatDate(*a.date) : "");
}

void checkOutcome(const ast::TestOutcome& outcome, const runtime::RunResult& result,
                  const SourceManager& sources, std::vector<TestFailure>& failures) {
  const std::string where = locationOf(outcome.range, sources);
  const ResultTable& table = result.table;
  const std::string key = outcome.subjectKey ? keyText(*outcome.subjectKey) : "";
  const auto subject = outcome.subjectKey ? subjectIndex(table, key) : std::nullopt;
  const std::string detail = subject ? subjectValues(table, *subject) : "";
  switch (outcome.kind) {
  case ast::OutcomeKind::NoViolation:
    for (const runtime::CheckViolation& v : result.violations)
      failures.push_back({where, "expected no violation, got " + violationText(v), ""});
    return;
  case ast::OutcomeKind::Violation: {
    for (const runtime::CheckViolation& v : result.violations)
      if (v.check == outcome.name.name && v.subject == key)
        return;
    std::string got;
    for (const runtime::CheckViolation& v : result.violations)
      if (v.subject == key)
        got += (got.empty() ? "" : "; ") + violationText(v);
    failures.push_back({where,
                        fmt::format("{}: expected violation \"{}\", got {}", key, outcome.name.name,
                                    got.empty() ? "none" : got),
                        detail});
    return;
  }
  case ast::OutcomeKind::Alert: {
    std::optional<DayNumber> dated;
    if (outcome.dated && outcome.dated->is<ast::DateLit>())
      dated = outcome.dated->as<ast::DateLit>().day;
    std::string got;
    for (const runtime::AlertRecord& a : result.alerts) {
      if (a.subject != key)
        continue;
      if (a.alert == outcome.name.name && (!dated || a.date == dated))
        return;
      got += (got.empty() ? "" : ", ") + alertText(a);
    }
    failures.push_back({where,
                        fmt::format("{}: expected alert {}{}{}, got {}", key, outcome.name.name,
                                    dated ? " dated " : "", dated ? formatDate(*dated) : "",
                                    got.empty() ? "none" : got),
                        detail});
    return;
  }
  }
}

} // namespace

bool numberMatches(double got, double expected, const std::string& written,
                   std::optional<double> tolerance) {
  if (!std::isfinite(got))
    return false;
  if (tolerance) {
    const double slack = std::fabs(*tolerance);
    return std::fabs(got - expected) <= slack * (1 + 1e-12);
  }
  // Half a unit of the last digit written: `166%` -> 0.5% (0.005), `$1.2M` -> $50k, `42` -> 0.5.
  double unit = 1;
  std::string digits = withoutUnderscores(written);
  if (!digits.empty() && (digits.back() == '%')) {
    unit = 0.01;
    digits.pop_back();
  } else if (!digits.empty() && std::strchr("kKmMbB", digits.back())) {
    const char suffix = static_cast<char>(std::tolower(digits.back()));
    unit = suffix == 'k' ? 1e3 : suffix == 'm' ? 1e6 : 1e9;
    digits.pop_back();
  }
  if (const size_t dot = digits.find('.'); dot != std::string::npos)
    unit *= std::pow(10.0, -static_cast<double>(digits.size() - dot - 1));
  const double half = unit / 2;
  // The bounds carry the rounding of `expected` and `half`: a value within a billionth of the
  // unit of a bound is on it ([lower, upper): lower in, upper out).
  const double slack = unit * 1e-9;
  const double lower = expected - half, upper = expected + half;
  return got >= lower - slack && got < upper - slack;
}

std::vector<TestFailure> checkExpectations(const ast::TestDecl& test,
                                           const runtime::RunResult& result,
                                           const SourceManager& sources) {
  std::vector<TestFailure> failures;
  const ResultTable& table = result.table;
  for (const ast::TestExpect& expect : test.expects) {
    const std::string key = keyText(*expect.subjectKey);
    const auto subject = subjectIndex(table, key);
    if (!subject) {
      failures.push_back(
          {locationOf(expect.range, sources),
           fmt::format("no subject \"{}\" in the results ({} subjects)", key, table.subjects()),
           ""});
      continue;
    }
    for (const ast::ExpectedValue& expected : expect.values) {
      size_t column = 0;
      while (column < table.columns.size() && table.columns[column].name != expected.field.name)
        ++column;
      if (column == table.columns.size())
        continue; // the checker reports an unknown output
      if (valueMatches(expected, table, column, *subject))
        continue;
      std::string got = shownGot(table, column, *subject);
      const std::string want = shownExpected(expected, table.currencySign);
      if (got == want || got == want.substr(0, want.find(" \u00b1 ")))
        got += fmt::format(" ({})", runtime::rawValue(table.columns[column].kind,
                                                      table.value(column, *subject), table.strings,
                                                      table.fiscalStart));
      failures.push_back(
          {locationOf(expected.range, sources),
           fmt::format("{} {}: expected {}, got {}", key, expected.field.name, want, got),
           subjectValues(table, *subject)});
    }
  }
  for (const ast::TestOutcome& outcome : test.outcomes)
    checkOutcome(outcome, result, sources, failures);
  // The values behind a subject's failures, shown once, under its first.
  std::set<std::string> shown;
  for (TestFailure& failure : failures)
    if (!failure.detail.empty() && !shown.insert(failure.detail).second)
      failure.detail.clear();
  return failures;
}

std::optional<std::string> engineDisagreement(const runtime::RunResult& jit,
                                              const runtime::RunResult& interp) {
  const ResultTable &a = jit.table, &b = interp.table;
  if (a.keys != b.keys || a.columns.size() != b.columns.size())
    return fmt::format("the jit has {} subjects and {} outputs, the interpreter {} and {}",
                       a.subjects(), a.columns.size(), b.subjects(), b.columns.size());
  for (size_t c = 0; c < a.columns.size(); ++c)
    for (size_t s = 0; s < a.subjects(); ++s) {
      const bool same =
          a.present(c, s) == b.present(c, s) &&
          (!a.present(c, s) ||
           runtime::rawValue(a.columns[c].kind, a.value(c, s), a.strings, a.fiscalStart) ==
               runtime::rawValue(b.columns[c].kind, b.value(c, s), b.strings, b.fiscalStart));
      if (!same)
        return fmt::format("{} {}: jit {}, interp {}", a.keys[s], a.columns[c].name,
                           a.present(c, s) ? runtime::rawValue(a.columns[c].kind, a.value(c, s),
                                                               a.strings, a.fiscalStart)
                                           : "-",
                           b.present(c, s) ? runtime::rawValue(b.columns[c].kind, b.value(c, s),
                                                               b.strings, b.fiscalStart)
                                           : "-");
    }
  std::string jitViolations, interpViolations;
  for (const auto& v : jit.violations)
    jitViolations += violationText(v) + "; ";
  for (const auto& v : interp.violations)
    interpViolations += violationText(v) + "; ";
  if (jitViolations != interpViolations)
    return fmt::format("violations: jit {}, interp {}", jitViolations, interpViolations);
  std::string jitAlerts, interpAlerts;
  for (const auto& alert : jit.alerts)
    jitAlerts += alert.subject + " " + alertText(alert) + " " + alert.message + "; ";
  for (const auto& alert : interp.alerts)
    interpAlerts += alert.subject + " " + alertText(alert) + " " + alert.message + "; ";
  if (jitAlerts != interpAlerts)
    return fmt::format("alerts: jit {}, interp {}", jitAlerts, interpAlerts);
  return std::nullopt;
}

} // namespace fulcrum::testing
