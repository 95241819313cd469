// Whether a test's expectations hold for a run's results: `expect SUBJECT { output: value }`,
// `expect violation "CHECK" for SUBJECT`, `expect no violation`, `expect alert NAME for SUBJECT
// [dated D]`; and whether two engines' results agree.
#pragma once

#include "compiler/ast/Ast.h"
#include "runtime/Program.h"
#include "testing/TestResults.h"

#include <optional>
#include <string>
#include <vector>

namespace fulcrum::testing {

// One failure per expectation that does not hold.
std::vector<TestFailure> checkExpectations(const ast::TestDecl& test,
                                           const runtime::RunResult& result,
                                           const SourceManager& sources);

// The first difference between two engines' results (outputs, violations, alerts), as
// `Ann won: jit $1, interp $2`; nullopt when they are the same.
std::optional<std::string> engineDisagreement(const runtime::RunResult& jit,
                                              const runtime::RunResult& interp);

// Whether a number `got` matches `expected` written as `written` (`166%`, `$1,234.56`, `1.93`):
// within half a unit of its last written digit, [expected - h, expected + h), or within
// `tolerance` either side when one is given. Values are plain: money in dollars, a percent as a
// fraction.
bool numberMatches(double got, double expected, const std::string& written,
                   std::optional<double> tolerance);

} // namespace fulcrum::testing
