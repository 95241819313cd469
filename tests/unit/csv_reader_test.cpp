// The CSV reader: RFC 4180 quoting, line endings, BOM, positions, and recovery after errors.
#include "runtime/data/CsvReader.h"

#include <gtest/gtest.h>
#include <string>
#include <vector>

namespace fulcrum::runtime {
namespace {

struct Field {
  std::string text;
  uint32_t line, column;
};

struct Record {
  std::vector<Field> fields;
  std::vector<CsvError> errors;
  std::string raw;
  uint32_t line;
};

std::vector<Record> readAll(std::string_view text) {
  CsvReader reader(text);
  CsvRecord record;
  std::vector<Record> out;
  while (reader.next(record)) {
    Record copy{{}, record.errors, std::string(record.raw), record.line};
    for (const CsvField& field : record.fields)
      copy.fields.push_back({std::string(field.text), field.line, field.column});
    out.push_back(std::move(copy));
  }
  return out;
}

std::vector<std::string> texts(const Record& record) {
  std::vector<std::string> out;
  for (const Field& field : record.fields)
    out.push_back(field.text);
  return out;
}

using Texts = std::vector<std::string>;

TEST(CsvReader, PlainRecordsWithPositions) {
  const auto records = readAll("id,name,amount\n1,Anna,100\n22,Bob,2000\n");
  ASSERT_EQ(records.size(), 3u);
  EXPECT_EQ(texts(records[0]), (Texts{"id", "name", "amount"}));
  EXPECT_EQ(texts(records[2]), (Texts{"22", "Bob", "2000"}));
  EXPECT_EQ(records[2].line, 3u);
  EXPECT_EQ(records[2].fields[1].line, 3u);
  EXPECT_EQ(records[2].fields[1].column, 4u);
  EXPECT_EQ(records[2].fields[2].column, 8u);
  EXPECT_EQ(records[2].raw, "22,Bob,2000");
  for (const Record& record : records)
    EXPECT_TRUE(record.errors.empty());
}

TEST(CsvReader, CrlfAndMissingFinalLineBreak) {
  const auto records = readAll("a,b\r\n1,2\r\n3,4");
  ASSERT_EQ(records.size(), 3u);
  EXPECT_EQ(texts(records[1]), (Texts{"1", "2"}));
  EXPECT_EQ(texts(records[2]), (Texts{"3", "4"}));
  EXPECT_EQ(records[2].line, 3u);
  EXPECT_EQ(records[1].raw, "1,2");
}

TEST(CsvReader, LoneCarriageReturnEndsALine) {
  const auto records = readAll("a,b\r1,2\r");
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(texts(records[1]), (Texts{"1", "2"}));
  EXPECT_EQ(records[1].line, 2u);
}

TEST(CsvReader, QuotedFieldsWithCommasAndDoubledQuotes) {
  const auto records = readAll("a,b,c\n\"x, y\",\"say \"\"hi\"\"\",\"\"\n");
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(texts(records[1]), (Texts{"x, y", "say \"hi\"", ""}));
  EXPECT_EQ(records[1].fields[1].column, 8u); // where the opening quote is
  EXPECT_EQ(records[1].fields[2].column, 21u);
  EXPECT_TRUE(records[1].errors.empty());
}

TEST(CsvReader, EmbeddedLineBreaksKeepEachFieldsLine) {
  const auto records = readAll("a,b,c\n1,\"two\nlines\",3\r\n4,\"x\r\ny\r\nz\",\"\"\"q\"\n5,6,7\n");
  ASSERT_EQ(records.size(), 4u);
  EXPECT_EQ(texts(records[1]), (Texts{"1", "two\nlines", "3"}));
  EXPECT_EQ(records[1].line, 2u);
  EXPECT_EQ(records[1].fields[1].line, 2u);
  EXPECT_EQ(records[1].fields[1].column, 3u);
  EXPECT_EQ(records[1].fields[2].line, 3u);
  EXPECT_EQ(records[1].fields[2].column, 8u);
  EXPECT_EQ(texts(records[2]), (Texts{"4", "x\r\ny\r\nz", "\"q"}));
  EXPECT_EQ(records[2].line, 4u);
  EXPECT_EQ(records[2].fields[2].line, 6u);
  EXPECT_EQ(records[2].fields[2].column, 4u);
  EXPECT_EQ(records[2].raw, "4,\"x\r\ny\r\nz\",\"\"\"q\"");
  EXPECT_EQ(records[3].line, 7u);
  EXPECT_EQ(records[3].fields[2].column, 5u);
}

TEST(CsvReader, BomIsSkippedAndColumnsCountCharacters) {
  const auto records = readAll("\xEF\xBB\xBFname,city\nZo\xC3\xAB,K\xC3\xB8"
                               "benhavn,x\n");
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0].fields[0].text, "name");
  EXPECT_EQ(records[0].fields[0].column, 1u);
  EXPECT_EQ(records[0].fields[1].column, 6u);
  // "Zoë" is 3 characters (4 bytes): the next field starts at column 5, the third at 15.
  EXPECT_EQ(records[1].fields[1].column, 5u);
  EXPECT_EQ(records[1].fields[2].column, 15u);
  ASSERT_EQ(records[1].errors.size(), 1u); // three fields, the header has two
  EXPECT_EQ(records[1].errors[0].line, 2u);
  EXPECT_EQ(records[1].errors[0].column, 15u);
}

TEST(CsvReader, EmptyFieldsAndBlankLines) {
  const auto records = readAll("a,b,c\n\n,,\n\r\n1,,\"\"\n\n");
  ASSERT_EQ(records.size(), 3u);
  EXPECT_EQ(texts(records[1]), (Texts{"", "", ""}));
  EXPECT_EQ(records[1].line, 3u);
  EXPECT_EQ(records[1].fields[2].column, 3u);
  EXPECT_EQ(texts(records[2]), (Texts{"1", "", ""}));
  EXPECT_EQ(records[2].line, 5u);
  for (const Record& record : records)
    EXPECT_TRUE(record.errors.empty());
}

TEST(CsvReader, EmptyInputHasNoRecords) {
  EXPECT_TRUE(readAll("").empty());
  EXPECT_TRUE(readAll("\xEF\xBB\xBF").empty());
  EXPECT_TRUE(readAll("\n\r\n").empty());
}

TEST(CsvReader, TooManyAndTooFewFields) {
  const auto records = readAll("a,b,c\n1,2,3,4,5\n1,2\n7,8,9\n");
  ASSERT_EQ(records.size(), 4u);
  ASSERT_EQ(records[1].errors.size(), 1u);
  EXPECT_EQ(records[1].errors[0].line, 2u);
  EXPECT_EQ(records[1].errors[0].column, 7u); // the first extra field
  EXPECT_EQ(records[1].errors[0].message,
            "expected 3 fields as in the header, found 5: `1,2,3,4,5`");
  ASSERT_EQ(records[2].errors.size(), 1u);
  EXPECT_EQ(records[2].errors[0].line, 3u);
  EXPECT_EQ(records[2].errors[0].column, 4u); // just past the end of the record
  EXPECT_EQ(records[2].errors[0].message, "expected 3 fields as in the header, found 2: `1,2`");
  EXPECT_TRUE(records[3].errors.empty());
  EXPECT_EQ(texts(records[3]), (Texts{"7", "8", "9"}));
}

TEST(CsvReader, CharactersAfterAClosingQuote) {
  const auto records = readAll("a,b\n\"ab\"cd,2\n\"ok\",3\n");
  ASSERT_EQ(records.size(), 3u);
  ASSERT_EQ(records[1].errors.size(), 1u);
  EXPECT_EQ(records[1].errors[0].line, 2u);
  EXPECT_EQ(records[1].errors[0].column, 5u);
  EXPECT_NE(records[1].errors[0].message.find("after the closing quote"), std::string::npos);
  EXPECT_EQ(texts(records[1]), (Texts{"ab", "2"})); // the record still has its fields
  EXPECT_TRUE(records[2].errors.empty());
  EXPECT_EQ(texts(records[2]), (Texts{"ok", "3"}));
}

TEST(CsvReader, CharactersAfterAClosingQuoteOnALaterLine) {
  const auto records = readAll("a,b\n1,\"x\ny\"z\n2,3\n");
  ASSERT_EQ(records.size(), 3u);
  ASSERT_EQ(records[1].errors.size(), 1u);
  EXPECT_EQ(records[1].errors[0].line, 3u);
  EXPECT_EQ(records[1].errors[0].column, 3u);
  EXPECT_EQ(records[2].line, 4u);
}

TEST(CsvReader, UnterminatedQuoteResumesOnTheNextLine) {
  const auto records = readAll("a,b\n1,2\n3,\"oops\n4,5\n6,7");
  ASSERT_EQ(records.size(), 5u);
  ASSERT_EQ(records[2].errors.size(), 1u);
  EXPECT_EQ(records[2].errors[0].line, 3u);
  EXPECT_EQ(records[2].errors[0].column, 3u);
  EXPECT_NE(records[2].errors[0].message.find("unterminated"), std::string::npos);
  EXPECT_EQ(records[2].raw, "3,\"oops");
  EXPECT_EQ(texts(records[3]), (Texts{"4", "5"}));
  EXPECT_EQ(records[3].line, 4u);
  EXPECT_EQ(records[3].fields[1].column, 3u);
  EXPECT_EQ(texts(records[4]), (Texts{"6", "7"}));
  EXPECT_TRUE(records[4].errors.empty());
}

TEST(CsvReader, UnterminatedQuoteOnTheLastLine) {
  const auto records = readAll("a,b\n1,\"never closed");
  ASSERT_EQ(records.size(), 2u);
  ASSERT_EQ(records[1].errors.size(), 1u);
  EXPECT_EQ(records[1].errors[0].line, 2u);
  EXPECT_EQ(records[1].errors[0].column, 3u);
}

TEST(CsvReader, QuoteInsideAnUnquotedFieldIsLiteral) {
  const auto records = readAll("a,b\n5\" screen,2\n");
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(texts(records[1]), (Texts{"5\" screen", "2"}));
  EXPECT_TRUE(records[1].errors.empty());
}

TEST(CsvReader, ManyRecordsReuseOneRecord) {
  std::string text = "k,v\n";
  for (int i = 0; i < 10000; ++i)
    text += std::to_string(i) + ",\"v" + std::to_string(i) + "\"\"\"\n";
  CsvReader reader(text);
  CsvRecord record;
  size_t count = 0;
  while (reader.next(record)) {
    if (count > 0) {
      std::string expected = "v";
      expected.append(std::to_string(count - 1)).append("\"");
      ASSERT_EQ(record.fields[1].text, expected);
      ASSERT_EQ(record.line, count + 1);
    }
    ++count;
  }
  EXPECT_EQ(count, 10001u);
}

} // namespace
} // namespace fulcrum::runtime
