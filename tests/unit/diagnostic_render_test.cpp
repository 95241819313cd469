// Rendering: the text form's caret spans and hints, the JSON form's fields and escaping, and
// a registry whose names are unique.
#include "compiler/diag/Diagnostic.h"

#include <gtest/gtest.h>
#include <set>

namespace fulcrum {
namespace {

TEST(DiagnosticRender, TextHasPositionSourceLineCaretSpanAndHint) {
  SourceManager sources;
  const FileId file = sources.add("a.fulcrum", "metric x = deals.valeu\n");
  const Diagnostic d{
      DiagKind::UnknownField, Severity::Error,         SourceRange{file, {1, 18}, {1, 23}},
      "no field `valeu`",     "did you mean `value`?", "value"};
  EXPECT_EQ(renderText(d, sources), "a.fulcrum:1:18: error: no field `valeu` [UnknownField]\n"
                                    "  metric x = deals.valeu\n"
                                    "                   ^~~~~\n"
                                    "  hint: did you mean `value`?\n");
}

TEST(DiagnosticRender, TabsBeforeTheSpanKeepTheCaretAligned) {
  SourceManager sources;
  const FileId file = sources.add("t.fulcrum", "\tmetric x = 1\n");
  const Diagnostic d{
      DiagKind::SyntaxError, Severity::Error, SourceRange{file, {1, 9}, {1, 10}}, "m", "", ""};
  EXPECT_EQ(renderText(d, sources), "t.fulcrum:1:9: error: m [SyntaxError]\n"
                                    "  \tmetric x = 1\n"
                                    "  \t       ^\n");
}

// Malformed UTF-8 (a Latin-1 byte, a character cut short) shows as U+FFFD and control characters
// as Control Pictures, one column each: the caret stays under `x` and no byte reaches the
// terminal raw.
TEST(DiagnosticRender, InvalidBytesAndControlsShowAsOneCharacterEach) {
  SourceManager sources;
  const FileId file = sources.add("c.fulcrum", "r\xE9 \xE2\x82 \x1B[1m\x7F\xC2\x9B x\n");
  const Diagnostic d{DiagKind::SyntaxError, Severity::Error, SourceRange{file, {1, 13}, {1, 14}},
                     "bad \x1B[2J",         "\x07",          ""};
  EXPECT_EQ(renderText(d, sources), "c.fulcrum:1:13: error: bad \u241B[2J [SyntaxError]\n"
                                    "  r\uFFFD \uFFFD \u241B[1m\u2421\uFFFD x\n"
                                    "              ^\n"
                                    "  hint: \u2407\n");
}

TEST(DiagnosticRender, JsonHasEveryFieldAndEscapes) {
  SourceManager sources;
  const FileId file = sources.add("dir/\"q\".fulcrum", "x\n");
  const Diagnostic d{DiagKind::BandMissingArm,
                     Severity::Warning,
                     SourceRange{file, {1, 1}, {1, 2}},
                     "say \"hi\"",
                     "",
                     ""};
  EXPECT_EQ(renderJson({d}, sources),
            "[\n  {\"file\": \"dir/\\\"q\\\".fulcrum\", \"line\": 1, \"column\": 1, \"end\": "
            "{\"line\": 1, \"column\": 2}, \"severity\": \"warning\", \"code\": "
            "\"BandMissingArm\", \"message\": \"say \\\"hi\\\"\", \"hint\": null}\n]\n");
  EXPECT_EQ(renderJson({}, sources), "[]\n");
}

TEST(DiagnosticRegistry, NamesAreUniqueAndSummarised) {
  std::set<std::string_view> names;
  for (DiagKind kind : allDiagKinds()) {
    const DiagKindInfo& info = diagKindInfo(kind);
    EXPECT_TRUE(names.insert(info.name).second) << info.name;
    EXPECT_FALSE(info.summary.empty()) << info.name;
  }
  EXPECT_GE(names.size(), 30u);
}

} // namespace
} // namespace fulcrum
