// The loader gives the same tables, issues and rejects whatever the number of threads: files of
// many shapes (quoted line breaks near split points, CRLF, lone CR, BOM, errors and duplicate
// keys in several ranges, references, and the bad-data corpus's shapes: cut-off records, other
// separators, unterminated quotes, invalid UTF-8, wide headers, huge cells, binary files) loaded
// on one thread and split into tiny ranges, and through every CSV scan level the CPU runs.
#include "TempPaths.h"
#include "runtime/data/ByteScan.h"
#include "runtime/data/Loader.h"

#include <bit>
#include <cstdint>
#include <cstdio>
#include <fmt/format.h>
#include <fstream>
#include <gtest/gtest.h>
#include <random>
#include <sstream>
#include <string>
#include <vector>

namespace fulcrum::runtime {
namespace {

FieldSchema field(std::string name, ValueKind kind, std::string typeName, bool optional = false) {
  std::string referenced = kind == ValueKind::Reference ? typeName : "";
  std::string column = name;
  return FieldSchema{std::move(name), std::move(column),   kind,
                     optional,        std::move(typeName), std::move(referenced)};
}

std::string readText(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

void write(const std::string& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

// Every observable part of a column, cell by cell (text through the dictionary).
std::string describe(const Column& column) {
  std::ostringstream out;
  out << column.size() << " missing " << column.missing << ":";
  for (size_t row = 0; row < column.size(); ++row) {
    out << ' ' << int(column.valid[row]) << '/';
    switch (column.kind) {
    case ValueKind::Number: // every bit: a last-bit difference between thread counts shows
      out << fmt::format("{}={:016x}", column.numbers[row],
                         std::bit_cast<uint64_t>(column.numbers[row]));
      break;
    case ValueKind::Bool:
      out << int(column.bools[row]);
      break;
    case ValueKind::Text:
      out << (column.valid[row] ? column.text(row) : "-");
      break;
    case ValueKind::Date:
      out << column.days[row];
      break;
    case ValueKind::Period:
      out << column.periodFirst[row] << ".." << column.periodLast[row];
      break;
    case ValueKind::Reference:
      out << column.rows[row];
      break;
    }
  }
  return out.str();
}

std::string describe(const LoadResult& result, const std::string& rejects) {
  std::ostringstream out;
  out << "ok " << result.ok << "\n";
  for (const Table& table : result.tables) {
    out << table.schema.name << " rows " << table.rowCount << "\nlines";
    for (uint32_t line : table.lines.all())
      out << ' ' << line;
    out << "\n";
    for (const Column& column : table.columns)
      out << describe(column) << "\n";
    for (size_t i = 0; i < table.keyIndex.size(); ++i)
      out << table.keyIndex.key(i) << "=" << table.keyIndex.row(i) << ' ';
    out << "\n";
  }
  for (const LoadIssue& issue : result.issues)
    out << formatIssue(issue) << " | " << issue.table << " " << issue.field << " `" << issue.value
        << "` " << issue.fatal << "\n";
  for (const LoadSummary& summary : result.summaries)
    out << formatSummary(summary) << "\n";
  if (!rejects.empty())
    out << readText(rejects);
  return out.str();
}

class ParallelLoad : public ::testing::Test {
protected:
  // Per test: ctest runs tests as processes side by side.
  const std::string prefix = tempPath("parallel_" + currentTestName());
  const std::string owners = prefix + "_owners.csv";
  const std::string items = prefix + "_items.csv";
  const std::string rejects = prefix + "_rejects.csv";

  void TearDown() override {
    std::remove(owners.c_str());
    std::remove(items.c_str());
    std::remove(rejects.c_str());
  }

  std::vector<TableSchema> schemas() const {
    return {TableSchema{"owner",
                        owners,
                        true,
                        0,
                        {field("id", ValueKind::Text, "text"),
                         field("boss", ValueKind::Reference, "owner", true)}},
            TableSchema{"item",
                        items,
                        true,
                        1,
                        {field("note", ValueKind::Text, "text", true),
                         field("code", ValueKind::Number, "count"),
                         field("owner", ValueKind::Reference, "owner"),
                         field("day", ValueKind::Date, "date", true),
                         field("value", ValueKind::Number, "money", true),
                         field("span", ValueKind::Period, "period", true)}}};
  }

  // Loads with one thread, then with 2..8 threads in tiny ranges: all the same.
  void expectSameForAnyThreads(bool skip) {
    LoadOptions one;
    one.threads = 1;
    one.skipBadRows = skip;
    one.rejectsPath = skip ? rejects : "";
    const std::string expected = describe(loadTables(schemas(), one), one.rejectsPath);
    // Every CSV scan level this CPU runs, the portable byte loop included, reads the same.
    const ScanLevel initial = activeScanLevel();
    for (ScanLevel level : {ScanLevel::Portable, ScanLevel::Sse2, ScanLevel::Avx2}) {
      if (level > bestScanLevel())
        continue;
      setScanLevel(level);
      SCOPED_TRACE(testing::Message() << "scan level " << scanLevelName(level));
      for (unsigned threads : {1u, 3u}) {
        LoadOptions split = one;
        split.threads = threads;
        split.minBytesPerRange = 7;
        const std::string read = describe(loadTables(schemas(), split), split.rejectsPath);
        setScanLevel(initial);
        ASSERT_EQ(read, expected);
        setScanLevel(level);
      }
    }
    setScanLevel(initial);
    for (unsigned threads = 2; threads <= 8; ++threads) {
      for (size_t minBytes : {size_t{1}, size_t{7}, size_t{40}}) {
        LoadOptions split = one;
        split.threads = threads;
        split.minBytesPerRange = minBytes;
        SCOPED_TRACE(testing::Message() << threads << " threads, ranges of " << minBytes);
        ASSERT_EQ(describe(loadTables(schemas(), split), split.rejectsPath), expected);
      }
    }
  }
};

TEST_F(ParallelLoad, CleanFilesWithReferences) {
  write(owners, "id,boss\nA,\nB,A\nC,B\nD,C\n");
  write(items, "note,code,owner,day,value,span\n"
               "n1,1,A,2017-01-02,5,2017-Q1\n"
               "n2,2,B,2017-01-31,-3.25,2017-05\n"
               "n3,3,C,2017-02-29,$7,2017-W18\n"
               "n4,4,D,,,\n"
               "n5,5,A,2020-02-29,1e5,2017\n");
  expectSameForAnyThreads(false);
  expectSameForAnyThreads(true);
}

TEST_F(ParallelLoad, QuotedLineBreaksCrlfLoneCrAndBom) {
  write(owners, "\xEF\xBB\xBFid,boss\r\nA,\r\nB,A\r\n\r\nC,\"B\"\r\n");
  write(items, "\xEF\xBB\xBFnote,code,owner,day,value,span\r\n"
               "\"multi\r\nline\nnote\",1,A,2017-01-02,5,2017-Q1\r\n"
               "\"a \"\"quoted\"\" word\",2,B,,,\r"
               "plain,3,C,2017-03-01,,\r"
               "\"x\ny\",4,A,,,\n"
               "\n\n"
               "\"\n\n\n\",5,B,,,\n"
               "last,6,C,2017-03-02,1,2017\n");
  expectSameForAnyThreads(false);
  expectSameForAnyThreads(true);
}

TEST_F(ParallelLoad, ErrorsAndDuplicateKeysInManyRanges) {
  write(owners, "id,boss\nA,\nB,Z\nC,B\nA,\n");
  std::string text = "note,code,owner,day,value,span\n";
  for (int i = 0; i < 60; ++i) {
    const std::string code = std::to_string(i % 17);
    switch (i % 7) {
    case 0:
      text += "n" + code + "," + code + ",A,2017-01-0" + std::to_string(i % 9 + 1) + ",1,\n";
      break;
    case 1:
      text += "bad day," + code + ",B,2017-13-01,x,2017-Q5\n";
      break;
    case 2:
      text += "\"open quote," + code + ",C,,,\n";
      break;
    case 3:
      text += "few," + code + "\n";
      break;
    case 4:
      text += "\"q\"x," + code + ",Q,,,\n";
      break;
    case 5:
      text += "," + code + ".5,A, 2017-01-01 ,  $4 ,2017-05\n";
      break;
    default:
      text += "\xC3\xA9t\xC3\xA9,,C,,-,\n";
      break;
    }
  }
  write(items, text);
  expectSameForAnyThreads(false);
  expectSameForAnyThreads(true);
}

// The shapes of tests/golden/run/baddata/, each as an `item` file: every one gives the same
// issues, summaries and rejects on any number of threads.
TEST_F(ParallelLoad, BadDataShapes) {
  using namespace std::string_literals;
  const std::string header = "note,code,owner,day,value,span\n";
  const std::string good = "n1,1,A,2017-01-02,5,2017-Q1\nn2,2,B,,,\n";
  std::string wide;
  for (int i = 0; i < 10000; ++i)
    wide += (i == 0 ? "" : ",") + (i == 9999 ? std::string("span") : "x" + std::to_string(i));
  const std::vector<std::pair<const char*, std::string>> shapes = {
      {"cut short", header + good + "n3,3,A\n"},
      {"cut short, no final line break", header + good + "n3,3,A,2017-0"},
      {"no final line break", header + good + "n3,3,A,,,"},
      {"semicolons", "note;code;owner;day;value;span\nn1;1;A;;;\n"},
      {"tabs", "note\tcode\towner\tday\tvalue\tspan\nn1\t1\tA\t\t\t\n"},
      {"embedded line breaks", header + "\"a\nb\r\nc\",1,A,,,\n" + good + "n3,x,A,,,\n"},
      {"unterminated quote", header + good + "n3,3,\"A,,,\nn4,4,B,,,\n"},
      {"unterminated quote at the end", header + good + "n3,3,A,,,\"x"},
      {"invalid UTF-8", header + "caf\xE9,1,A,,,\nok,2,B\xFF,,,\n\xC0\xAF,3,A,,1\xE9,\n" + good},
      {"NUL in a cell", header + "a\0b,1,A,,,\n"s + good},
      {"BOM", "\xEF\xBB\xBF" + header + good},
      {"CRLF", "note,code,owner,day,value,span\r\nn1,1,A,,,\r\n\"x\r\ny\",2,B,,,\r\n"},
      {"10,000 columns, one missing", wide + "\n" + std::string(9999, ',') + "\n"},
      {"huge cell", header + good + "\"" + std::string((1 << 20) + 5, 'y') + "\",3,A,,,\n" +
                        "n4,4,A,,," + std::string((1 << 20) + 1, '1') + ",\n"},
      {"duplicate header", "note,code,owner,day,value,span,code\nn1,1,A,,,,1\n"},
      {"empty", ""},
      {"blank lines", "\n\r\n\n"},
      {"header only", header},
      {"UTF-16", "\xFF\xFEn\0o\0t\0e\0\n\0"s},
      {"binary", "no\0te\x01\x02,\"\n\xFF\xFE\n,,\r\x80"s},
  };
  write(owners, "id,boss\nA,\nB,A\n");
  for (const auto& [name, text] : shapes) {
    SCOPED_TRACE(name);
    write(items, text);
    expectSameForAnyThreads(false);
    expectSameForAnyThreads(true);
  }
}

TEST_F(ParallelLoad, RandomFiles) {
  std::mt19937 random(11);
  const std::vector<std::string> atoms = {"a",          "A",    "B",        ",",   "\"",
                                          "\n",         "\r\n", "\r",       "1",   " ",
                                          "2017-01-01", "$5",   "\xC3\xA9", ",A,", "2,"};
  write(owners, "id,boss\nA,\nB,A\n");
  for (int iteration = 0; iteration < 60; ++iteration) {
    std::string text = iteration % 3 == 0 ? "\xEF\xBB\xBFnote,code,owner,day,value,span\n"
                                          : "note,code,owner,day,value,span\n";
    for (unsigned i = random() % 120; i > 0; --i)
      text += atoms[random() % atoms.size()];
    write(items, text);
    SCOPED_TRACE(text);
    expectSameForAnyThreads(iteration % 2 == 0);
  }
}

} // namespace
} // namespace fulcrum::runtime
