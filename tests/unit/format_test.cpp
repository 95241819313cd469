// The formatter (compiler/format/): each layout rule on a small snippet, the result compared with
// the text a person would write; idempotence; comments and literals kept as written; a file
// that does not parse gives no text.
#include "compiler/format/Format.h"

#include <gtest/gtest.h>
#include <string>

namespace fulcrum::format {
namespace {

// `text` formatted; fails the test when it does not parse or the formatter rejects its result.
std::string formatted(const std::string& text) {
  SourceManager sources;
  const FileId file = sources.add("snippet.fulcrum", text);
  DiagnosticSink sink;
  const Formatted result = formatFile(sources, file, sink);
  EXPECT_TRUE(result.parsed) << text;
  EXPECT_EQ(result.internalError, "") << text;
  return result.text;
}

// Formats, and checks that formatting again changes nothing.
std::string canonical(const std::string& text) {
  const std::string once = formatted(text);
  EXPECT_EQ(formatted(once), once) << "not idempotent for:\n" << text;
  return once;
}

TEST(Format, SpacesAroundOperatorsNoneInsideBrackets) {
  EXPECT_EQ(canonical("fn f ( a : number , b : number ) : number=-a+b*(a-b)^2/max(a,b)"),
            "fn f(a: number, b: number): number = -a + b * (a - b) ^ 2 / max(a, b)\n");
  EXPECT_EQ(canonical("param p:date?=missing"), "param p: date? = missing\n");
}

TEST(Format, RangesBindToTheirBounds) {
  EXPECT_EQ(canonical("table t { a: number in -5 .. 5  b: percent in 0%..  c: count in .. 3 }"),
            "table t {\n  a: number in -5..5\n  b: percent in 0%..\n  c: count in ..3\n}\n");
}

TEST(Format, OneMemberALineAndABlankLineBetweenDeclarations) {
  EXPECT_EQ(canonical("entity rep { key name: text manager: text }\nparam q: money = $1\n"
                      "group team of rep by manager"),
            "entity rep {\n  key name: text\n  manager: text\n}\n\nparam q: money = $1\n\n"
            "group team of rep by manager\n");
}

TEST(Format, OneLineDeclarationsOfOneKindStayGrouped) {
  // Together as written (a comment between them too), apart when the source had a blank line.
  EXPECT_EQ(canonical("import \"a\"\nimport \"b\"\nparam q: money = $1 // q\n// r\n"
                      "param r: money = $2\n\nparam s: money = $3"),
            "import \"a\"\nimport \"b\"\n\nparam q: money = $1 // q\n// r\n"
            "param r: money = $2\n\nparam s: money = $3\n");
}

TEST(Format, LiteralsAsWritten) {
  EXPECT_EQ(canonical("param a: money = $1_200_000\nparam b: money = $1.2M\n"
                      "param c: percent = 166%\nparam d: duration = 14   days"),
            "param a: money = $1_200_000\nparam b: money = $1.2M\nparam c: percent = 166%\n"
            "param d: duration = 14   days\n");
}

TEST(Format, CaseArrowsAlign) {
  EXPECT_EQ(canonical("fn f(x: number): text = case { x is missing => \"none\" x >= 10 => "
                      "\"big\"\n else => \"small\" }"),
            "fn f(x: number): text = case {\n"
            "  x is missing => \"none\"\n"
            "  x >= 10      => \"big\"\n"
            "  else         => \"small\"\n"
            "}\n");
}

TEST(Format, ColumnsCountCharactersNotBytes) {
  // `é` is two bytes and one column: both `=>` land in one column on screen.
  EXPECT_EQ(canonical("fn f(x: text): number = case { x == \"é\" => 1 x == \"e\" => 2 }"),
            "fn f(x: text): number = case {\n"
            "  x == \"é\" => 1\n"
            "  x == \"e\" => 2\n"
            "}\n");
}

TEST(Format, ScoreWeightsAlign) {
  const std::string text = "framework f { subject rep cadence quarter score s out of 5 {\n"
                           "results 40% = 1  leadership 60% = 0 } }";
  EXPECT_EQ(canonical(text), "framework f {\n  subject rep\n  cadence quarter\n"
                             "  score s out of 5 {\n"
                             "    results    40% = 1\n"
                             "    leadership 60% = 0\n"
                             "  }\n}\n");
}

TEST(Format, LineBreaksInsideAnExpressionAreKeptAndIndentedByDepth) {
  EXPECT_EQ(canonical("fn f(a: number): number =\nleast(\na,\n      greatest(a,\n a))"),
            "fn f(a: number): number =\n  least(\n    a,\n    greatest(a,\n      a))\n");
}

TEST(Format, CommentsStayWhereTheyWere) {
  EXPECT_EQ(canonical("// head\n\n\n// about q\nparam q: money = $1 // trailing\n"
                      "entity e { // after brace\n  key k: text /* inline */\n  // last\n}\n"
                      "// end"),
            "// head\n\n// about q\nparam q: money = $1 // trailing\n\n"
            "entity e { // after brace\n  key k: text /* inline */\n  // last\n}\n\n// end\n");
}

TEST(Format, TestRowsKeepInlineBraces) {
  EXPECT_EQ(canonical("test \"t\" for f { period 2017-Q2 rep {name:\"Ann\",x:1} "
                      "expect \"Ann\" {} }"),
            "test \"t\" for f {\n  period 2017-Q2\n  rep { name: \"Ann\", x: 1 }\n"
            "  expect \"Ann\" {}\n}\n");
}

TEST(Format, AFileThatDoesNotParseGivesNoText) {
  SourceManager sources;
  const FileId file = sources.add("bad.fulcrum", "param q: money = = 1\n");
  DiagnosticSink sink;
  const Formatted result = formatFile(sources, file, sink);
  EXPECT_FALSE(result.parsed);
  EXPECT_TRUE(sink.hasErrors());
  EXPECT_EQ(result.text, "");
}

TEST(Format, AnEmptyFileStaysEmpty) {
  EXPECT_EQ(canonical(""), "");
  EXPECT_EQ(canonical("\n\n// only a comment\n\n"), "// only a comment\n");
}

TEST(Format, DumpWithoutPositionsDropsOnlyPositions) {
  EXPECT_EQ(dumpWithoutPositions("module x\n  param q: money @1:1\n    string \"a @2:3\" @4:5\n"),
            "module x\n  param q: money\n    string \"a @2:3\"\n");
}

} // namespace
} // namespace fulcrum::format
