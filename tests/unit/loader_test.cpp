// The data loader: typed columns, references, every load error with its position, skip mode
// accounting and the rejects file, and the real Maven CRM data set.
#include "TempPaths.h"
#include "runtime/data/CsvReader.h"
#include "runtime/data/Loader.h"
#include "support/Calendar.h"

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <gtest/gtest.h>
#include <iostream>
#include <map>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace fulcrum::runtime {
namespace {

const std::string kFixtures = FULCRUM_SOURCE_DIR "/tests/data/loader/";
const std::string kMaven = FULCRUM_SHARED_DIR "/datasets/maven-crm/";

FieldSchema field(std::string name, std::string column, ValueKind kind, std::string typeName,
                  bool optional = false) {
  std::string referenced = kind == ValueKind::Reference ? typeName : "";
  return FieldSchema{std::move(name), std::move(column),   kind,
                     optional,        std::move(typeName), std::move(referenced)};
}

FieldSchema ref(std::string name, std::string column, std::string entity, bool optional = false) {
  return field(std::move(name), std::move(column), ValueKind::Reference, std::move(entity),
               optional);
}

TableSchema repSchema(const std::string& file) {
  return TableSchema{"rep",
                     kFixtures + file,
                     true,
                     0,
                     {field("name", "sales_agent", ValueKind::Text, "text"),
                      field("manager", "manager", ValueKind::Text, "text"),
                      field("office", "regional_office", ValueKind::Text, "text"),
                      field("quota", "quota", ValueKind::Number, "money", true),
                      field("active", "active", ValueKind::Bool, "bool"),
                      field("started", "started", ValueKind::Date, "date"),
                      field("cohort", "cohort", ValueKind::Period, "period"),
                      field("rate", "win_rate", ValueKind::Number, "percent", true)}};
}

TableSchema dealSchema(const std::string& file) {
  return TableSchema{"deals",
                     kFixtures + file,
                     false,
                     1,
                     {field("note", "note", ValueKind::Text, "text", true),
                      field("id", "id", ValueKind::Text, "text"), ref("owner", "owner", "rep"),
                      field("amount", "amount", ValueKind::Number, "money", true),
                      field("closed", "closed", ValueKind::Date, "date", true),
                      field("won", "won", ValueKind::Bool, "bool"),
                      field("quarter", "quarter", ValueKind::Period, "period")}};
}

TableSchema accountTreeSchema() {
  return TableSchema{"account",
                     kFixtures + "accounts_tree.csv",
                     true,
                     0,
                     {field("name", "account", ValueKind::Text, "text"),
                      ref("parent", "subsidiary_of", "account", true),
                      field("size", "employees", ValueKind::Number, "count")}};
}

// `--on-error skip`, rejected rows written to `rejects` (none when empty).
LoadOptions skipping(std::string rejects) {
  LoadOptions options;
  options.skipBadRows = true;
  options.rejectsPath = std::move(rejects);
  return options;
}

struct Expected {
  uint32_t line, column;
  std::string value;
  std::string field;
};

void expectIssues(const std::vector<LoadIssue>& issues, const std::string& file,
                  const std::vector<Expected>& expected) {
  ASSERT_EQ(issues.size(), expected.size());
  for (size_t i = 0; i < issues.size(); ++i) {
    SCOPED_TRACE(formatIssue(issues[i]));
    EXPECT_EQ(issues[i].file, file);
    EXPECT_EQ(issues[i].line, expected[i].line);
    EXPECT_EQ(issues[i].column, expected[i].column);
    EXPECT_EQ(issues[i].value, expected[i].value);
    EXPECT_EQ(issues[i].field, expected[i].field);
    EXPECT_FALSE(issues[i].message.empty());
  }
}

// Every row of every file is loaded or rejected, and the tables hold exactly the loaded rows.
void expectAccounted(const LoadResult& result) {
  ASSERT_EQ(result.summaries.size(), result.tables.size());
  for (size_t i = 0; i < result.tables.size(); ++i) {
    const LoadSummary& summary = result.summaries[i];
    EXPECT_EQ(summary.loaded + summary.rejected, summary.rowsInFile) << summary.table;
    EXPECT_EQ(result.tables[i].rowCount, summary.loaded) << summary.table;
    EXPECT_EQ(result.tables[i].lines.size(), summary.loaded) << summary.table;
    for (const Column& column : result.tables[i].columns)
      EXPECT_EQ(column.size(), summary.loaded) << summary.table;
  }
}

std::string readText(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

TEST(Loader, TypedColumnsFromAnyColumnOrder) {
  const LoadResult result = loadTables({repSchema("reps.csv")}, {});
  ASSERT_TRUE(result.ok) << (result.issues.empty() ? "" : formatIssue(result.issues[0]));
  expectAccounted(result);
  const Table& reps = *result.table("rep");
  ASSERT_EQ(reps.rowCount, 3u);
  EXPECT_EQ(reps.lines.all(), (std::vector<uint32_t>{2, 3, 4}));
  EXPECT_EQ(reps.column("name")->text(2), "Chen, Li");
  EXPECT_EQ(reps.column("office")->text(1), "West");
  const Column& quota = *reps.column("quota");
  // Money is held in units of 1/10,000 (support/Money.h).
  EXPECT_EQ(quota.numbers, (std::vector<double>{12'000'000, -35'000, 0}));
  const Column& rate = *reps.column("rate");
  EXPECT_EQ(rate.numbers[0], 0.65); // `65%`
  EXPECT_EQ(rate.numbers[1], 0.65); // `0.65`
  EXPECT_EQ(rate.valid, (std::vector<uint8_t>{1, 1, 0}));
  EXPECT_EQ(rate.missing, 1u);
  EXPECT_EQ(reps.column("active")->bools, (std::vector<uint8_t>{1, 0, 1}));
  EXPECT_EQ(reps.column("started")->days[1], *parseDate("2016-02-29"));
  const Column& cohort = *reps.column("cohort");
  EXPECT_EQ(cohort.periodFirst[0], *parseDate("2016-01-01"));
  EXPECT_EQ(cohort.periodLast[0], *parseDate("2016-03-31"));
  EXPECT_EQ(cohort.periodFirst[1], *parseDate("2016-05-01"));
  EXPECT_EQ(cohort.periodLast[1], *parseDate("2016-05-31"));
  EXPECT_EQ(cohort.periodFirst[2], *parseDate("2017-05-01")); // 2017-W18 is May 1..7
  EXPECT_EQ(cohort.periodLast[2], *parseDate("2017-05-07"));
  // Text is dictionary-encoded: equal strings share a code; unknown strings look up as -1.
  const Column& manager = *reps.column("manager");
  EXPECT_EQ(manager.codes[0], manager.codes[1]);
  EXPECT_EQ(manager.dictionary.size(), 2u);
  EXPECT_EQ(manager.dictionary.lookup("Cara"), manager.codes[2]);
  EXPECT_EQ(manager.dictionary.lookup("Nobody"), -1);
  EXPECT_EQ(reps.findRow("Chen, Li"), 2);
  EXPECT_EQ(reps.findRow("Zed"), -1);
  EXPECT_EQ(formatSummary(result.summaries[0]), "rep: 3 rows, 3 loaded, 0 rejected");
}

TEST(Loader, EveryRowErrorNamesFileLineColumnAndValue) {
  // deals come first: references resolve after every file is read, whatever the order.
  const LoadResult result = loadTables({dealSchema("deals.csv"), repSchema("reps.csv")}, {});
  EXPECT_FALSE(result.ok);
  expectAccounted(result);
  const std::string file = kFixtures + "deals.csv";
  expectIssues(result.issues, file,
               {{3, 4, "Zed", "owner"},
                {4, 4, "", "owner"},
                {5, 8, "12x", "amount"},
                {6, 12, "2017/03/05", "closed"},
                {7, 22, "yes", "won"},
                {8, 27, "2017-Q5", "quarter"},
                {9, 1, "D1", "id"},
                {10, 26, "D9,Bob,90,2017-03-09,true", ""},
                {14, 23, "", "won"}});
  EXPECT_EQ(formatIssue(result.issues[0]), file + ":3:4: error: `owner`: unknown rep `Zed`: " +
                                               kFixtures + "reps.csv has no rep with name `Zed`");
  EXPECT_EQ(result.issues[1].message,
            "empty `owner`: expected a key of rep (declare it `rep?` if it may be missing)");
  EXPECT_EQ(result.issues[2].message,
            "`amount`: expected an amount of money (like 1200, -3.50 or $1200), found `12x`");
  EXPECT_EQ(result.issues[3].message,
            "`closed`: expected a date YYYY-MM-DD (like 2017-03-01), found `2017/03/05`");
  EXPECT_EQ(result.issues[4].message, "`won`: expected a bool (true, false, 1 or 0), found `yes`");
  EXPECT_NE(result.issues[5].message.find("expected a period"), std::string::npos);
  EXPECT_EQ(result.issues[6].message,
            "duplicate key `D1` in `id`: the first deals row with it is at line 2");
  EXPECT_EQ(result.issues[7].message,
            "expected 7 fields as in the header, found 5: `D9,Bob,90,2017-03-09,true`");
  for (const LoadIssue& issue : result.issues) {
    EXPECT_EQ(issue.table, "deals");
    EXPECT_FALSE(issue.fatal);
  }
  EXPECT_EQ(formatSummary(result.summaries[0]), "deals: 12 rows, 3 loaded, 9 rejected");
  EXPECT_EQ(formatSummary(result.summaries[1]), "rep: 3 rows, 3 loaded, 0 rejected");
}

TEST(Loader, GoodRowsLoadWithResolvedReferences) {
  const LoadResult result =
      loadTables({dealSchema("deals.csv"), repSchema("reps.csv")}, skipping(""));
  EXPECT_TRUE(result.ok);
  expectAccounted(result);
  const Table& deals = *result.table("deals");
  ASSERT_EQ(deals.rowCount, 3u);
  EXPECT_EQ(deals.lines.all(), (std::vector<uint32_t>{2, 11, 13}));
  EXPECT_EQ(deals.column("owner")->rows, (std::vector<int32_t>{0, 2, 0}));
  EXPECT_EQ(deals.column("note")->text(1), "multi\nline note");
  EXPECT_EQ(deals.column("note")->dictionary.lookup("bad amount"), -1); // only loaded rows
  const Column& amount = *deals.column("amount");
  EXPECT_EQ(amount.numbers[1], 10'000'000); // `  1000 `: spaces trimmed; money in units
  EXPECT_EQ(amount.valid, (std::vector<uint8_t>{1, 1, 0}));
  EXPECT_EQ(deals.column("closed")->valid, (std::vector<uint8_t>{1, 0, 1}));
  EXPECT_EQ(deals.column("won")->bools, (std::vector<uint8_t>{1, 1, 0}));
  const Column& quarter = *deals.column("quarter");
  EXPECT_EQ(quarter.periodFirst[2], *parseDate("2017-01-01")); // `2017`: the year
  EXPECT_EQ(quarter.periodLast[2], *parseDate("2017-12-31"));
  EXPECT_EQ(deals.findRow("D10"), 1);
  EXPECT_EQ(deals.findRow("D2"), -1);
}

TEST(Loader, SkipModeWritesEveryRejectedRowWithItsReason) {
  const std::string rejects = tempPath("loader_rejects.csv");
  std::remove(rejects.c_str());
  const LoadResult result =
      loadTables({repSchema("reps.csv"), dealSchema("deals.csv")}, skipping(rejects));
  EXPECT_TRUE(result.ok);
  expectAccounted(result);
  EXPECT_EQ(result.summaries[1].rejected, 9u);
  EXPECT_EQ(result.issues.size(), 9u); // still reported

  const std::string text = readText(rejects);
  CsvReader reader(text);
  CsvRecord record;
  ASSERT_TRUE(reader.next(record));
  ASSERT_EQ(record.fields.size(), 5u);
  EXPECT_EQ(record.raw, "table,file,line,reason,record");
  std::vector<std::string> lines;
  std::map<std::string, std::pair<std::string, std::string>> byLine; // line -> reason, record
  while (reader.next(record)) {
    ASSERT_TRUE(record.ok());
    EXPECT_EQ(record.fields[0].text, "deals");
    EXPECT_EQ(record.fields[1].text, kFixtures + "deals.csv");
    lines.emplace_back(record.fields[2].text);
    byLine[lines.back()] = {std::string(record.fields[3].text), std::string(record.fields[4].text)};
  }
  EXPECT_EQ(lines, (std::vector<std::string>{"3", "4", "5", "6", "7", "8", "9", "10", "14"}));
  EXPECT_EQ(byLine["3"].second, "D2,Zed,200,2017-03-02,false,2017-Q1,unknown owner");
  EXPECT_NE(byLine["3"].first.find("column 4: `owner`: unknown rep `Zed`"), std::string::npos);
  EXPECT_EQ(byLine["10"].second, "D9,Bob,90,2017-03-09,true");
  EXPECT_NE(byLine["10"].first.find("expected 7 fields"), std::string::npos);
  EXPECT_NE(byLine["9"].first.find("first deals row with it is at line 2"), std::string::npos);
  std::remove(rejects.c_str());
}

TEST(Loader, RowsReferringToRejectedRowsAreRejected) {
  const std::string rejects = tempPath("loader_cascade.csv");
  const LoadResult result =
      loadTables({dealSchema("deals_small.csv"), repSchema("reps_bad.csv")}, skipping(rejects));
  EXPECT_TRUE(result.ok);
  expectAccounted(result);
  EXPECT_EQ(formatSummary(result.summaries[0]), "deals: 3 rows, 2 loaded, 1 rejected");
  EXPECT_EQ(formatSummary(result.summaries[1]), "rep: 3 rows, 1 loaded, 2 rejected");
  ASSERT_EQ(result.issues.size(), 3u);
  // Issues come by table (in schema order), then position.
  const LoadIssue& cascade = result.issues[0];
  EXPECT_EQ(cascade.file, kFixtures + "deals_small.csv");
  EXPECT_EQ(cascade.line, 3u);
  EXPECT_EQ(cascade.column, 4u);
  EXPECT_EQ(cascade.value, "Bob");
  EXPECT_EQ(cascade.message, "`owner`: rep `Bob` (" + kFixtures +
                                 "reps_bad.csv:3) has errors, so this row cannot be loaded either");
  expectIssues({result.issues[1], result.issues[2]}, kFixtures + "reps_bad.csv",
               {{3, 17, "lots", "quota"}, {4, 1, "Anna", "name"}});
  EXPECT_EQ(result.issues[2].message,
            "duplicate key `Anna` in `name` (column `sales_agent`): the first rep row with it is "
            "at line 2");
  const Table& deals = *result.table("deals");
  EXPECT_EQ(deals.column("owner")->rows, (std::vector<int32_t>{0, 0}));
  const std::string text = readText(rejects);
  CsvReader reader(text);
  CsvRecord record;
  std::vector<std::string> rows; // table:line
  while (reader.next(record))
    if (record.index > 0)
      rows.push_back(std::string(record.fields[0].text) + ":" + std::string(record.fields[2].text));
  EXPECT_EQ(rows, (std::vector<std::string>{"deals:3", "rep:3", "rep:4"}));
  std::remove(rejects.c_str());
}

TEST(Loader, SelfReferencesResolveInAnyOrderAndCascade) {
  const LoadResult result = loadTables({accountTreeSchema()}, skipping(""));
  EXPECT_TRUE(result.ok);
  expectAccounted(result);
  const std::string file = kFixtures + "accounts_tree.csv";
  expectIssues(result.issues, file,
               {{5, 10, "Hooli", "parent"},
                {6, 10, "Umbrella", "parent"},
                {7, 11, "Vandelay", "parent"},
                {8, 17, "7.5", "size"}});
  EXPECT_NE(result.issues[0].message.find("unknown account `Hooli`"), std::string::npos);
  EXPECT_NE(result.issues[3].message.find("expected a whole number"), std::string::npos);
  const Table& accounts = result.tables[0];
  ASSERT_EQ(accounts.rowCount, 3u); // Acme, Initech, Globex
  const Column& parent = *accounts.column("parent");
  EXPECT_EQ(parent.valid, (std::vector<uint8_t>{1, 0, 0}));
  EXPECT_EQ(parent.rows[0], accounts.findRow("Globex")); // a forward reference
  EXPECT_EQ(accounts.findRow("Globex"), 2);
}

TEST(Loader, MissingColumnListsTheFileColumns) {
  TableSchema reps = repSchema("reps.csv");
  reps.fields[3].column = "quota_amount";
  const LoadResult result = loadTables({reps}, skipping(""));
  EXPECT_FALSE(result.ok); // a column is unusable: even skip mode fails
  expectAccounted(result);
  ASSERT_EQ(result.issues.size(), 1u);
  const LoadIssue& issue = result.issues[0];
  EXPECT_TRUE(issue.fatal);
  EXPECT_EQ(issue.file, kFixtures + "reps.csv");
  EXPECT_EQ(issue.line, 1u);
  EXPECT_EQ(issue.column, 0u);
  EXPECT_EQ(issue.value, "quota_amount");
  EXPECT_EQ(issue.message,
            "no column `quota_amount` for `quota` of rep; the file has columns: regional_office, "
            "sales_agent, manager, quota, active, started, cohort, win_rate, ignored");
  EXPECT_EQ(formatIssue(issue), kFixtures + "reps.csv:1: error: " + issue.message);
  EXPECT_EQ(formatSummary(result.summaries[0]), "rep: 3 rows, 0 loaded, 3 rejected");
}

TEST(Loader, MisspeltColumnGetsASuggestion) {
  TableSchema reps = repSchema("reps.csv");
  reps.fields[2].column = "regional_ofice";
  const LoadResult result = loadTables({reps}, {});
  ASSERT_EQ(result.issues.size(), 1u);
  EXPECT_NE(result.issues[0].message.find("(did you mean `regional_office`?)"), std::string::npos);
}

TEST(Loader, UnreadableAndEmptyFiles) {
  TableSchema missing = repSchema("does_not_exist.csv");
  TableSchema empty = repSchema("empty.csv");
  empty.name = "rep2";
  const LoadResult result = loadTables({missing, empty}, skipping(""));
  EXPECT_FALSE(result.ok);
  expectAccounted(result);
  ASSERT_EQ(result.issues.size(), 2u);
  EXPECT_EQ(result.issues[0].file, kFixtures + "does_not_exist.csv");
  EXPECT_EQ(result.issues[0].line, 0u);
  EXPECT_EQ(result.issues[0].column, 0u);
  EXPECT_EQ(result.issues[0].message, "cannot read the file of rep: No such file or directory");
  EXPECT_EQ(formatIssue(result.issues[0]),
            kFixtures + "does_not_exist.csv: error: " + result.issues[0].message);
  EXPECT_EQ(result.issues[1].file, kFixtures + "empty.csv");
  EXPECT_NE(result.issues[1].message.find("is empty"), std::string::npos);
}

TEST(Loader, TablesReferringToAnUnloadableEntityAreUnusable) {
  const LoadResult result =
      loadTables({dealSchema("deals_small.csv"), repSchema("does_not_exist.csv")}, skipping(""));
  EXPECT_FALSE(result.ok);
  expectAccounted(result);
  ASSERT_EQ(result.issues.size(), 2u);
  EXPECT_EQ(result.issues[0].table, "deals");
  EXPECT_EQ(result.issues[0].message, "`owner` refers to rep, which could not be loaded");
  EXPECT_EQ(formatSummary(result.summaries[0]), "deals: 3 rows, 0 loaded, 3 rejected");
}

TEST(Loader, ReferenceToAnUndeclaredEntity) {
  TableSchema deals = dealSchema("deals_small.csv");
  deals.fields[2].referencedTable = "seller";
  const LoadResult result = loadTables({deals}, {});
  EXPECT_FALSE(result.ok);
  ASSERT_EQ(result.issues.size(), 1u);
  EXPECT_EQ(result.issues[0].value, "seller");
  EXPECT_EQ(result.issues[0].message, "`owner` refers to `seller`, which is not a declared entity");
}

TEST(Loader, HeaderOnlyFileWithBomAndCrlf) {
  const LoadResult result = loadTables({dealSchema("header_only.csv"), repSchema("reps.csv")}, {});
  EXPECT_TRUE(result.ok);
  expectAccounted(result);
  EXPECT_EQ(formatSummary(result.summaries[0]), "deals: 0 rows, 0 loaded, 0 rejected");
}

// Random, often malformed files: every record is loaded or rejected (and written to the rejects
// file), every loaded reference points at a loaded row.
TEST(Loader, RandomFilesAccountForEveryRow) {
  std::mt19937 random(7);
  const std::vector<std::string> atoms = {"a", "b", ",",          "\"", "\n",  "\r\n",    "\r",
                                          "1", " ", "2017-01-01", "$5", "65%", "\xC3\xA9"};
  const std::string data = tempPath("loader_random.csv");
  const std::string rejects = tempPath("loader_random_rejects.csv");
  for (int iteration = 0; iteration < 300; ++iteration) {
    std::string text = iteration % 3 == 0 ? "\xEF\xBB\xBFk,parent,n\n" : "k,parent,n\n";
    for (unsigned i = random() % 40; i > 0; --i)
      text += atoms[random() % atoms.size()];
    std::ofstream(data, std::ios::binary) << text;
    size_t records = 0;
    CsvReader reader(text);
    for (CsvRecord record; reader.next(record);)
      records += record.index > 0;
    const TableSchema schema{
        "e",
        data,
        true,
        0,
        {field("k", "k", ValueKind::Text, "text"), ref("parent", "parent", "e", true),
         field("n", "n", ValueKind::Number, iteration % 2 ? "money" : "percent", true)}};
    std::remove(rejects.c_str());
    const LoadResult result = loadTables({schema}, skipping(rejects));
    SCOPED_TRACE(text);
    expectAccounted(result);
    ASSERT_EQ(result.summaries[0].rowsInFile, records);
    ASSERT_TRUE(result.ok);
    // The rejects file is written only when some row was rejected.
    ASSERT_EQ(std::ifstream(rejects).good(), result.summaries[0].rejected > 0);
    const std::string written = result.summaries[0].rejected > 0 ? readText(rejects) : "";
    CsvReader rejected(written);
    size_t rejectedRows = 0;
    for (CsvRecord record; rejected.next(record);) {
      ASSERT_TRUE(record.ok());
      rejectedRows += record.index > 0;
    }
    ASSERT_EQ(rejectedRows, result.summaries[0].rejected);
    const Column& parent = result.tables[0].columns[1];
    for (size_t row = 0; row < parent.size(); ++row) {
      if (parent.isValid(row)) {
        ASSERT_LT(static_cast<size_t>(parent.rows[row]), result.tables[0].rowCount);
      }
    }
  }
  std::remove(data.c_str());
  std::remove(rejects.c_str());
}

// The Maven CRM data set, as language.md declares it.
std::vector<TableSchema> mavenSchemas(bool productIsReference) {
  TableSchema deals{"deals",
                    kMaven + "sales_pipeline.csv",
                    false,
                    0,
                    {field("id", "opportunity_id", ValueKind::Text, "text"),
                     ref("owner", "sales_agent", "rep"), ref("account", "account", "account", true),
                     productIsReference ? ref("product", "product", "product")
                                        : field("product", "product", ValueKind::Text, "text"),
                     field("stage", "deal_stage", ValueKind::Text, "text"),
                     field("engaged", "engage_date", ValueKind::Date, "date", true),
                     field("closed", "close_date", ValueKind::Date, "date", true),
                     field("value", "close_value", ValueKind::Number, "money", true)}};
  TableSchema rep{"rep",
                  kMaven + "sales_teams.csv",
                  true,
                  0,
                  {field("name", "sales_agent", ValueKind::Text, "text"),
                   field("manager", "manager", ValueKind::Text, "text"),
                   field("office", "regional_office", ValueKind::Text, "text")}};
  TableSchema account{"account",
                      kMaven + "accounts.csv",
                      true,
                      0,
                      {field("name", "account", ValueKind::Text, "text"),
                       field("sector", "sector", ValueKind::Text, "text"),
                       field("established", "year_established", ValueKind::Number, "count"),
                       field("revenue", "revenue", ValueKind::Number, "money"),
                       field("employees", "employees", ValueKind::Number, "count"),
                       field("office", "office_location", ValueKind::Text, "text"),
                       ref("parent", "subsidiary_of", "account", true)}};
  TableSchema product{"product",
                      kMaven + "products.csv",
                      true,
                      0,
                      {field("product", "product", ValueKind::Text, "text"),
                       field("series", "series", ValueKind::Text, "text"),
                       field("price", "sales_price", ValueKind::Number, "money")}};
  return {deals, rep, account, product};
}

// Line and column of every pipeline cell whose product is `GTXPro`, computed from the file.
std::vector<std::pair<uint32_t, uint32_t>> gtxProCells() {
  std::ifstream in(kMaven + "sales_pipeline.csv", std::ios::binary);
  std::string line;
  std::vector<std::pair<uint32_t, uint32_t>> cells;
  for (uint32_t number = 1; std::getline(in, line); ++number) {
    if (!line.empty() && line.back() == '\r')
      line.pop_back();
    const size_t first = line.find(',');
    const size_t second = line.find(',', first + 1);
    const size_t third = line.find(',', second + 1);
    if (line.substr(second + 1, third - second - 1) == "GTXPro")
      cells.emplace_back(number, static_cast<uint32_t>(second + 2)); // the data is ASCII
  }
  return cells;
}

TEST(LoaderMaven, GtxProIsAnUnknownProductKey) {
  const auto expected = gtxProCells();
  ASSERT_FALSE(expected.empty());
  const LoadResult result = loadTables(mavenSchemas(true), {});
  EXPECT_FALSE(result.ok);
  expectAccounted(result);
  ASSERT_EQ(result.issues.size(), expected.size());
  for (size_t i = 0; i < expected.size(); ++i) {
    const LoadIssue& issue = result.issues[i];
    ASSERT_EQ(issue.file, kMaven + "sales_pipeline.csv");
    ASSERT_EQ(issue.table, "deals");
    ASSERT_EQ(issue.field, "product");
    ASSERT_EQ(issue.value, "GTXPro");
    ASSERT_EQ(issue.line, expected[i].first);
    ASSERT_EQ(issue.column, expected[i].second);
  }
  EXPECT_EQ(formatIssue(result.issues[0]),
            kMaven +
                "sales_pipeline.csv:3:26: error: `product`: unknown product `GTXPro`: " + kMaven +
                "products.csv has no product with product `GTXPro` (did you mean `GTX Pro`?)");
  EXPECT_EQ(result.summaries[0].rowsInFile, 8800u);
  EXPECT_EQ(result.summaries[0].rejected, expected.size());
}

TEST(LoaderMaven, SkipModeLoadsEveryOtherDeal) {
  const std::string rejects = tempPath("maven_rejects.csv");
  const LoadResult result = loadTables(mavenSchemas(true), skipping(rejects));
  EXPECT_TRUE(result.ok);
  expectAccounted(result);
  const size_t gtxPro = gtxProCells().size();
  EXPECT_EQ(result.summaries[0].loaded, 8800u - gtxPro);
  EXPECT_EQ(result.summaries[0].rejected, gtxPro);
  const std::string text = readText(rejects);
  CsvReader reader(text);
  CsvRecord record;
  size_t rows = 0;
  while (reader.next(record))
    ++rows;
  EXPECT_EQ(rows, gtxPro + 1); // and the header
  std::remove(rejects.c_str());
}

TEST(LoaderMaven, EverythingLoadsWithProductAsText) {
  const auto start = std::chrono::steady_clock::now();
  const LoadResult result = loadTables(mavenSchemas(false), {});
  const auto elapsed =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  std::cout << "[ timing   ] Maven CRM (4 files, 8,927 rows) loaded in " << elapsed << " ms\n";
  ASSERT_TRUE(result.ok) << formatIssue(result.issues[0]);
  expectAccounted(result);
  EXPECT_EQ(formatSummary(result.summaries[0]), "deals: 8800 rows, 8800 loaded, 0 rejected");
  EXPECT_EQ(formatSummary(result.summaries[1]), "rep: 35 rows, 35 loaded, 0 rejected");
  EXPECT_EQ(formatSummary(result.summaries[2]), "account: 85 rows, 85 loaded, 0 rejected");
  EXPECT_EQ(formatSummary(result.summaries[3]), "product: 7 rows, 7 loaded, 0 rejected");

  const Table& deals = *result.table("deals");
  const Column& stage = *deals.column("stage");
  std::map<std::string, size_t> stages;
  for (int32_t code : stage.codes)
    ++stages[std::string(stage.dictionary.text(code))];
  EXPECT_EQ(stages, (std::map<std::string, size_t>{
                        {"Won", 4238}, {"Lost", 2473}, {"Engaging", 1589}, {"Prospecting", 500}}));
  EXPECT_EQ(stage.dictionary.lookup("Won"), stage.codes[0]);
  EXPECT_EQ(stage.dictionary.lookup("won"), -1);
  EXPECT_EQ(deals.column("closed")->missing, 2089u);
  EXPECT_EQ(deals.column("value")->missing, 2089u);
  EXPECT_EQ(deals.column("engaged")->missing, 500u);
  EXPECT_EQ(deals.column("account")->missing, 1425u);
  EXPECT_EQ(deals.column("product")->dictionary.lookup("GTXPro") >= 0, true);

  // 5 of the 35 reps own no deal.
  std::set<int32_t> owners(deals.column("owner")->rows.begin(), deals.column("owner")->rows.end());
  EXPECT_EQ(owners.size(), 30u);
  // Closed dates span 2017-03-01 .. 2017-12-31.
  const Column& closed = *deals.column("closed");
  int32_t first = INT32_MAX, last = INT32_MIN;
  for (size_t row = 0; row < deals.rowCount; ++row)
    if (closed.isValid(row)) {
      first = std::min(first, closed.days[row]);
      last = std::max(last, closed.days[row]);
    }
  EXPECT_EQ(formatDate(first), "2017-03-01");
  EXPECT_EQ(formatDate(last), "2017-12-31");

  const Table& accounts = *result.table("account");
  EXPECT_EQ(accounts.column("parent")->size() - accounts.column("parent")->missing, 15u);
  EXPECT_GE(accounts.column("sector")->dictionary.lookup("technolgy"), 0); // as in the file
  const Table& reps = *result.table("rep");
  const int32_t moses = reps.findRow("Moses Frase");
  ASSERT_GE(moses, 0);
  EXPECT_EQ(deals.column("owner")->rows[0], moses);
}

} // namespace
} // namespace fulcrum::runtime
