// Files that are not the CSV they should be: UTF-8 checks and shown values (ShownText.h), and
// the loader's messages for other encodings, archives, separators, cut-off records and huge
// cells (the end-to-end corpus is tests/golden/run/baddata/).
#include "TempPaths.h"
#include "runtime/data/Loader.h"
#include "runtime/data/ShownText.h"

#include <cstdio>
#include <fstream>
#include <gtest/gtest.h>
#include <string>
#include <vector>

namespace fulcrum::runtime {
namespace {

using namespace std::string_literals;
constexpr size_t kClean = std::string_view::npos;

TEST(ShownText, BadTextByteFindsTheFirstByteThatIsNotUtf8) {
  EXPECT_EQ(badTextByte(""), kClean);
  EXPECT_EQ(badTextByte("plain ascii, longer than one word"), kClean);
  EXPECT_EQ(badTextByte("caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80"), kClean); // é € 😀
  EXPECT_EQ(badTextByte("caf\xE9"), 3u);                                       // Latin-1 é
  EXPECT_EQ(badTextByte("0123456789abcdef\xFF"), 16u); // after the word-at-a-time loop
  EXPECT_EQ(badTextByte("01234567\xC3"), 8u);          // cut inside a character
  EXPECT_EQ(badTextByte("\xC0\xAF"), 0u);              // an overlong `/`
  EXPECT_EQ(badTextByte("\xE0\x80\xAF"), 0u);          // overlong in three bytes
  EXPECT_EQ(badTextByte("\xED\xA0\x80"), 0u);          // a UTF-16 surrogate
  EXPECT_EQ(badTextByte("\xF4\x90\x80\x80"), 0u);      // past U+10FFFF
  EXPECT_EQ(badTextByte("\xE2\x82"), 0u);              // a three-byte character cut short
  EXPECT_EQ(badTextByte("abcdefg\0h"s), 7u);           // NUL is not text
  EXPECT_EQ(badTextByte("\x80"), 0u);                  // a lone continuation byte
}

TEST(ShownText, ShownEscapesAndShortens) {
  EXPECT_EQ(shown("Won"), "Won");
  EXPECT_EQ(shown("caf\xC3\xA9"), "caf\xC3\xA9");
  EXPECT_EQ(shown("caf\xE9"), "caf\\xE9");
  EXPECT_EQ(shown("a\nb\r\tc\0d\x7F"s), "a\\nb\\r\\tc\\x00d\\x7F");
  const std::string huge(10 << 20, 'x');
  EXPECT_EQ(shown(huge), std::string(60, 'x') + "… (10485760 bytes)");
  // Cut after 3 characters, never inside one.
  EXPECT_EQ(shown("\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9", 3), "\xC3\xA9\xC3\xA9\xC3\xA9… (8 bytes)");
  EXPECT_EQ(shown("abc", 3), "abc");
}

class BadData : public ::testing::Test {
protected:
  const std::string path = tempPath("bad_data_" + currentTestName() + ".csv");

  void TearDown() override { std::remove(path.c_str()); }

  // Loads `text` as a table of three fields (a text key, a number, a text) on one thread and on
  // three in tiny ranges, which must agree; every row is accounted for.
  LoadResult load(const std::string& text, char delimiter = ',') {
    std::ofstream(path, std::ios::binary) << text;
    std::vector<TableSchema> schemas{
        TableSchema{"t",
                    path,
                    true,
                    0,
                    {FieldSchema{"id", "id", ValueKind::Text, false, "text", ""},
                     FieldSchema{"n", "n", ValueKind::Number, true, "number", ""},
                     FieldSchema{"note", "note", ValueKind::Text, true, "text", ""}}}};
    schemas[0].delimiter = delimiter;
    LoadOptions one;
    one.threads = 1;
    LoadResult result = loadTables(schemas, one);
    LoadOptions split;
    split.threads = 3;
    split.minBytesPerRange = 1;
    const LoadResult three = loadTables(schemas, split);
    EXPECT_EQ(three.issues.size(), result.issues.size());
    for (size_t i = 0; i < three.issues.size() && i < result.issues.size(); ++i)
      EXPECT_EQ(formatIssue(three.issues[i]), formatIssue(result.issues[i]));
    const LoadSummary& summary = result.summaries.at(0);
    EXPECT_EQ(summary.loaded + summary.rejected, summary.rowsInFile);
    EXPECT_EQ(formatSummary(three.summaries.at(0)), formatSummary(summary));
    return result;
  }

  // The one issue of a load, as printed, without the file's path.
  std::string onlyIssue(const LoadResult& result) {
    EXPECT_EQ(result.issues.size(), 1u);
    if (result.issues.empty())
      return "";
    const std::string text = formatIssue(result.issues[0]);
    return text.starts_with(path) ? text.substr(path.size()) : text;
  }
};

TEST_F(BadData, ArchivesAndOtherEncodingsAreNamed) {
  EXPECT_EQ(onlyIssue(load("PK\x03\x04\x14\0\0\0"s)),
            ":1:1: error: the file of t is a zip archive (an Excel .xlsx workbook is one), not a "
            "CSV file: export the sheet as CSV UTF-8");
  EXPECT_EQ(onlyIssue(load("\x1F\x8B\x08\0"s)),
            ":1:1: error: the file of t is gzip-compressed: decompress it first");
  EXPECT_EQ(onlyIssue(load("\xFE\xFF\0i\0d"s)),
            ":1:1: error: the file of t is UTF-16 text (it starts with a UTF-16 byte order "
            "mark); expected UTF-8: save or export it as CSV UTF-8");
  const LoadResult binary = load("id,n,note\na,1,\nb\0,2,\n"s);
  EXPECT_EQ(onlyIssue(binary), ":3:2: error: the file of t is not text: it holds a NUL byte "
                               "(0x00), which no CSV text has; expected a CSV file in UTF-8");
  EXPECT_TRUE(binary.issues[0].fatal);
  EXPECT_EQ(formatSummary(binary.summaries[0]), "t: 2 rows, 0 loaded, 2 rejected");
}

TEST_F(BadData, ANulPastTheFirst64KiBIsABadCell) {
  std::string text = "id,n,note\n";
  while (text.size() < (64 << 10))
    text += "k" + std::to_string(text.size()) + ",1,plain\n";
  text += "z,2,a\0b\n"s;
  const LoadResult result = load(text);
  ASSERT_EQ(result.issues.size(), 1u);
  EXPECT_FALSE(result.issues[0].fatal);
  EXPECT_EQ(result.issues[0].column, 5u);
  EXPECT_EQ(result.issues[0].message,
            "`note`: expected text, found a NUL byte (byte 2 of the cell): `a\\x00b`");
}

TEST_F(BadData, OtherSeparatorsAreOneIssue) {
  EXPECT_EQ(onlyIssue(load("id|n|note\na|1|x\n")),
            ":1:1: error: the header is one column, `id|n|note`: the file seems to be separated "
            "by bars (|), but CSV files are read with commas between fields (RFC 4180) unless "
            "the table declares `delimiter \"|\"` (or `delimiter auto`); expected the columns "
            "id, n, note");
  // Declared (`delimiter "|"`), the same file loads, on one thread and on three alike.
  EXPECT_TRUE(load("id|n|note\na|1|x\nb|2|\"y|z\"\n", '|').ok);
  // One column holding a semicolon, but every field found: not a separator problem.
  EXPECT_TRUE(load("id,n,note\n\"a;b\",1,x\n").ok);
}

TEST_F(BadData, InvalidUtf8InAKeyRejectsTheRow) {
  const LoadResult result = load("id,n,note\nk\xE9,1,\nok,2,\n");
  ASSERT_EQ(result.issues.size(), 1u);
  EXPECT_EQ(result.issues[0].line, 2u);
  EXPECT_EQ(result.issues[0].column, 1u);
  EXPECT_EQ(result.issues[0].value, "k\xE9");
  EXPECT_EQ(formatSummary(result.summaries[0]), "t: 2 rows, 1 loaded, 1 rejected");
}

TEST_F(BadData, ACutOffLastRecordSaysSo) {
  EXPECT_EQ(onlyIssue(load("id,n,note\na,1,x\nb,2")),
            ":3:4: error: expected 3 fields as in the header, found 2: `b,2` (the file ends "
            "inside this record, without a line break: was it cut short?)");
  EXPECT_EQ(onlyIssue(load("id,n,note\nb,2\na,1,x")),
            ":2:4: error: expected 3 fields as in the header, found 2: `b,2`");
}

TEST_F(BadData, AHugeCellSpanningLinesAsksAboutAQuote) {
  std::string big = "\"start";
  while (big.size() <= kMaxCellBytes)
    big += "\nline,with,commas";
  const LoadResult result = load("id,n,note\na,1," + big + "\"\nb,2,\n");
  ASSERT_EQ(result.issues.size(), 1u);
  EXPECT_EQ(result.issues[0].line, 2u);
  EXPECT_EQ(result.issues[0].column, 5u);
  EXPECT_LT(result.issues[0].message.size(), 300u);
  EXPECT_NE(result.issues[0].message.find("lines, more than a cell may hold (1048576 bytes, 1 "
                                          "MiB); it starts `start\\nline,with,commas"),
            std::string::npos)
      << result.issues[0].message;
  EXPECT_TRUE(result.issues[0].message.ends_with("(is a quote left open?)"));
  EXPECT_EQ(result.tables[0].rowCount, 1u);
  EXPECT_EQ(result.tables[0].lines.all(),
            std::vector<uint32_t>(1, static_cast<uint32_t>(big.size() / 17 + 3)));
}

TEST_F(BadData, AWideHeaderIsListedShort) {
  std::string header = "id,note";
  for (int i = 0; i < 10000; ++i)
    header += ",c" + std::to_string(i);
  const std::string issue = onlyIssue(load(header + "\na,x\n"));
  EXPECT_NE(issue.find("no column `n` for `n` of t; the file has columns: id, note, c0, c1,"),
            std::string::npos);
  EXPECT_TRUE(issue.ends_with(", c17 and 9982 more")) << issue;
}

// Found by load_fuzz: twenty long names of control bytes, each shown escaped (four bytes a
// byte), made a 5 KB message. The list stops at a few hundred bytes.
TEST_F(BadData, LongEscapedColumnNamesAreListedShort) {
  std::string header = "id,note";
  for (int i = 0; i < 20; ++i)
    header += "," + std::string(60, '\x0C') + std::to_string(i);
  const std::string issue = onlyIssue(load(header + "\na,x\n"));
  EXPECT_LT(issue.size(), 600u) << issue;
  EXPECT_NE(issue.find("the file has columns: id, note, \\x0C\\x0C"), std::string::npos) << issue;
  EXPECT_TRUE(issue.ends_with("… (61 bytes) and 19 more")) << issue;
}

} // namespace
} // namespace fulcrum::runtime
