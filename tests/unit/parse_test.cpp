// The parse phase on hostile and unusual input: nesting limits, every syntax error in one run,
// positions with a BOM, CRLF and string holes, bytes that are not UTF-8.
#include "compiler/driver/Compilation.h"

#include <gtest/gtest.h>
#include <string>
#include <thread>

namespace fulcrum {
namespace {

std::vector<std::string> kindsOf(const Compilation& c) {
  std::vector<std::string> kinds;
  for (const Diagnostic& d : c.diagnostics.diagnostics())
    kinds.emplace_back(diagKindInfo(d.kind).name);
  return kinds;
}

std::string frameworkWith(const std::string& metric) {
  return "framework f {\n  subject rep\n  cadence quarter\n  metric x = " + metric + "\n}\n";
}

TEST(Parse, DeepParenthesesStopAtTheLimitWithoutCrashing) {
  const std::string deep = std::string(100000, '(') + "1" + std::string(100000, ')');
  auto c = compileSource("deep.fulcrum", frameworkWith(deep));
  EXPECT_EQ(kindsOf(*c), std::vector<std::string>{"NestingTooDeep"});
}

TEST(Parse, DeepPrefixOperatorsStopAtTheLimit) {
  std::string nots;
  for (int i = 0; i < 50000; ++i)
    nots += "not ";
  auto c = compileSource("nots.fulcrum", frameworkWith(nots + "true"));
  EXPECT_EQ(kindsOf(*c), std::vector<std::string>{"NestingTooDeep"});
}

TEST(Parse, LongOperatorChainsStopAtTheLimit) {
  std::string chain = "1";
  for (int i = 0; i < 100000; ++i)
    chain += " + 1";
  auto c = compileSource("chain.fulcrum", frameworkWith(chain));
  EXPECT_EQ(kindsOf(*c), std::vector<std::string>{"NestingTooDeep"});
}

TEST(Parse, NestingJustUnderTheLimitIsAccepted) {
  const std::string source = "entity rep from \"r.csv\" {\n  key name: text\n}\n" +
                             frameworkWith(std::string(200, '(') + "1" + std::string(200, ')'));
  auto c = compileSource("ok.fulcrum", source);
  EXPECT_TRUE(c->ok()) << (c->diagnostics.diagnostics().empty()
                               ? ""
                               : c->diagnostics.diagnostics()[0].message);
}

TEST(Parse, EverySyntaxErrorOfAFileIsReported) {
  const std::string source = "framework f {\n"
                             "  metric a = 1 +\n"
                             "  metric b = (2\n"
                             "  metric c = if x then 1\n"
                             "}\n";
  auto c = compileSource("errors.fulcrum", source);
  ASSERT_GE(c->diagnostics.errorCount(), 3u);
  std::set<uint32_t> lines;
  for (const Diagnostic& d : c->diagnostics.diagnostics()) {
    EXPECT_EQ(d.kind, DiagKind::SyntaxError);
    lines.insert(d.range.begin.line);
  }
  EXPECT_GE(lines.size(), 3u);
}

TEST(Parse, PositionsSurviveABomAndCrlf) {
  const std::string source = "\xEF\xBB\xBF"
                             "framework f {\r\n  subject rep\r\n  metric x = @\r\n}\r\n";
  auto c = compileSource("crlf.fulcrum", source);
  ASSERT_EQ(c->diagnostics.diagnostics().size(), 1u);
  const Diagnostic& d = c->diagnostics.diagnostics()[0];
  EXPECT_EQ(d.kind, DiagKind::InvalidCharacter);
  EXPECT_EQ(d.range.begin.line, 3u);
  EXPECT_EQ(d.range.begin.column, 14u);
}

TEST(Parse, SeveralThreadsCompileAtOnce) {
  const std::string wrong = frameworkWith("count(deals where stgae == \"Won\")");
  const std::string right = std::string(FULCRUM_SOURCE_DIR) + "/examples/llr/llr.fulcrum";
  const size_t expected = compileSource("bad.fulcrum", wrong)->diagnostics.diagnostics().size();
  ASSERT_GT(expected, 0u);
  std::vector<std::thread> threads;
  std::vector<int> agreed(4, 0);
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < 10; ++i) {
        auto good = compileFile(right);
        auto bad = compileSource("bad.fulcrum", wrong);
        agreed[t] += good->ok() && bad->diagnostics.diagnostics().size() == expected;
      }
    });
  for (std::thread& thread : threads)
    thread.join();
  EXPECT_EQ(agreed, std::vector<int>(4, 10));
}

TEST(Parse, AByteOrderMarkTakesNoColumn) {
  auto c = compileSource("bom.fulcrum", "\xEF\xBB\xBF@");
  ASSERT_EQ(c->diagnostics.diagnostics().size(), 1u);
  EXPECT_EQ(c->diagnostics.diagnostics()[0].range.begin.column, 1u);
}

TEST(Parse, HoleErrorsPointIntoTheString) {
  const std::string source = "entity rep from \"r.csv\" {\n  key name: text\n}\n"
                             "framework f {\n  subject rep\n  cadence quarter\n"
                             "  metric m = \"hello {nmae}\"\n}\n";
  auto c = compileSource("hole.fulcrum", source);
  ASSERT_EQ(c->diagnostics.diagnostics().size(), 1u);
  const Diagnostic& d = c->diagnostics.diagnostics()[0];
  EXPECT_EQ(d.kind, DiagKind::UnknownName);
  EXPECT_EQ(d.range.begin.line, 7u);
  EXPECT_EQ(d.range.begin.column, 22u);
  EXPECT_EQ(d.range.end.column, 26u);
  EXPECT_EQ(d.hint, "did you mean `name`?");
}

TEST(Parse, BytesThatAreNotUtf8AreAnErrorWithAPosition) {
  auto c = compileSource("bad.fulcrum", "param x: number = 1\nparam y: text = \"\xff\"\n");
  ASSERT_EQ(c->diagnostics.diagnostics().size(), 1u);
  const Diagnostic& d = c->diagnostics.diagnostics()[0];
  EXPECT_EQ(d.kind, DiagKind::InvalidCharacter);
  EXPECT_EQ(d.range.begin.line, 2u);
  EXPECT_EQ(d.range.begin.column, 18u);
}

TEST(Parse, ImpossibleLiteralsAreReported) {
  auto c = compileSource("lit.fulcrum", "param d: date = 2017-02-30\nparam p: period = 2017-Q5\n");
  EXPECT_EQ(kindsOf(*c), (std::vector<std::string>{"InvalidLiteral", "InvalidLiteral"}));
}

} // namespace
} // namespace fulcrum
