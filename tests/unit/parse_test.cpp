// The parse phase on hostile and unusual input: size, line, nesting and error limits, every
// syntax error in one run, positions with a BOM, CRLF and string holes, bytes that are not UTF-8.
#include "compiler/driver/Compilation.h"
#include "compiler/source/Limits.h"
#include "support/Currency.h"

#include <fmt/format.h>
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

// Deep input spread over lines of 100 characters, so it is the depth (not the line length,
// kMaxLineBytes) that stops it.
std::string repeatedOverLines(const std::string& piece, int times) {
  std::string text;
  for (int i = 0; i < times; ++i)
    text += piece + (i % 100 == 99 ? "\n" : "");
  return text;
}

// Every currency of support/Currency.h can be declared and written: its sign is one of the
// grammar's MONEY token signs (a row added to the table without the grammar fails here), and
// the literal compiles clean in a program of that currency.
TEST(Parse, EveryCurrencysSignIsAMoneyLiteral) {
  for (const Currency& currency : currencies()) {
    const std::string text =
        fmt::format("currency {}\nparam bonus: money = {}40\n", currency.code, currency.sign);
    auto c = compileSource("currency.fulcrum", text);
    EXPECT_FALSE(c->diagnostics.hasErrors()) << text << testing::PrintToString(kindsOf(*c));
  }
}

TEST(Parse, DeepParenthesesStopAtTheLimitWithoutCrashing) {
  const std::string deep = repeatedOverLines("(", 100000) + "1" + repeatedOverLines(")", 100000);
  auto c = compileSource("deep.fulcrum", frameworkWith(deep));
  EXPECT_EQ(kindsOf(*c), std::vector<std::string>{"NestingTooDeep"});
}

TEST(Parse, DeepPrefixOperatorsStopAtTheLimit) {
  auto c = compileSource("nots.fulcrum", frameworkWith(repeatedOverLines("not ", 50000) + "true"));
  EXPECT_EQ(kindsOf(*c), std::vector<std::string>{"NestingTooDeep"});
}

TEST(Parse, LongOperatorChainsStopAtTheLimit) {
  auto c = compileSource("chain.fulcrum", frameworkWith("1" + repeatedOverLines(" + 1", 100000)));
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

TEST(Parse, LinesOverTheLimitAreRefusedBeforeLexing) {
  const std::string line(kMaxLineBytes + 1, 'x');
  auto c = compileSource("wide.fulcrum", "param p: number = 1\n" + line + "\n");
  ASSERT_EQ(kindsOf(*c), std::vector<std::string>{"LineTooLong"});
  EXPECT_EQ(c->diagnostics.diagnostics()[0].range.begin.line, 2u);
}

TEST(Parse, FilesOverTheSizeLimitAreRefused) {
  std::string text;
  while (text.size() <= kMaxSourceBytes)
    text += "param p: number = 1\n";
  auto c = compileSource("big.fulcrum", text);
  EXPECT_EQ(kindsOf(*c), std::vector<std::string>{"SourceTooLarge"});
}

TEST(Parse, ErrorsStopAtTheLimit) {
  // Every `@` is a lexical error and every `metric @` a syntax error: reporting stops at the limit.
  auto c = compileSource("garbage.fulcrum", repeatedOverLines("metric @ ", 100000));
  EXPECT_EQ(c->diagnostics.errorCount(), kMaxSyntaxErrors + 1);
  EXPECT_EQ(kindsOf(*c).back(), "TooManyErrors");
}

TEST(Parse, IllFormedUtf8IsAnErrorNotAnAntlrException) {
  // Overlong, surrogate and out-of-range sequences pass a naive length check; ANTLR's decoder
  // throws on them (found by check_fuzz).
  for (const std::string bytes :
       {"\xC0\xAF", "\xE0\x80\xAF", "\xED\xA0\x80", "\xF4\x90\x80\x80", "\xF5\x80\x80\x80"}) {
    auto c = compileSource("bad.fulcrum", "param p: number = 1 // " + bytes + "\n");
    EXPECT_EQ(kindsOf(*c), std::vector<std::string>{"InvalidCharacter"});
  }
}

} // namespace
} // namespace fulcrum
