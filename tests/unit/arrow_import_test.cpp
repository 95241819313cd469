// Arrow columns in: every type a field takes, slices and offsets, nulls, dictionary text, the
// loader's rules applied to host tables (issues naming table, row and value), and bad structs
// from another program rejected with a message, never read out of bounds.
#include "ArrowTestData.h"
#include "runtime/arrow/ArrowImport.h"
#include "runtime/data/Loader.h"
#include "support/Calendar.h"

#include <cmath>
#include <functional>
#include <gtest/gtest.h>

namespace fulcrum::runtime {
namespace {

using namespace testing_support;
using arrow::ArrowHostTable;

FieldSchema field(std::string name, ValueKind kind, std::string typeName, bool optional = false) {
  FieldSchema f;
  f.name = name;
  f.column = name;
  f.kind = kind;
  f.optional = optional;
  f.referencedTable = kind == ValueKind::Reference ? typeName : "";
  f.typeName = std::move(typeName);
  return f;
}

TableSchema repSchema() {
  return TableSchema{
      "rep",
      hostTableLabel("rep"),
      true,
      0,
      {field("name", ValueKind::Text, "text"), field("office", ValueKind::Text, "text", true)}};
}

TableSchema dealSchema() {
  TableSchema schema{
      "deals",
      hostTableLabel("deals"),
      false,
      0,
      {field("id", ValueKind::Text, "text"), field("owner", ValueKind::Reference, "rep"),
       field("amount", ValueKind::Number, "money", true),
       field("units", ValueKind::Number, "money", true),
       field("seats", ValueKind::Number, "count", true),
       field("score", ValueKind::Number, "number", true),
       field("rate", ValueKind::Number, "percent", true),
       field("closed", ValueKind::Date, "date", true), field("won", ValueKind::Bool, "bool"),
       field("quarter", ValueKind::Period, "period", true),
       field("stage", ValueKind::Text, "text", true)}};
  schema.fields[5].minimum = 1; // score in 1..5
  schema.fields[5].maximum = 5;
  return schema;
}

ArrowNode reps() {
  return structOf({dictionaryColumn("name", {0, 1, 2}, {"Anna", "Ben", "Cleo"}, "c"),
                   textColumn("office", {"East", std::nullopt, "West"}, true)});
}

// Three good deals; tests change a cell to break one.
struct DealCells {
  std::vector<std::optional<std::string>> id{"d1", "d2", "d3"};
  std::vector<std::optional<int64_t>> owner{1, 0, 1};
  std::vector<std::optional<int64_t>> amount{12345678, std::nullopt, -35000}; // $1234.5678, -$3.5
  std::vector<std::optional<int64_t>> units{10000, 20000, std::nullopt};
  std::vector<std::optional<int64_t>> seats{3, std::nullopt, 7};
  std::vector<std::optional<double>> score{1.5, 2, 5};
  std::vector<std::optional<double>> rate{0.25, 1, std::nullopt};
  std::vector<std::optional<int32_t>> closed{dayFromCivil(2017, 5, 1), std::nullopt,
                                             dayFromCivil(2017, 6, 30)};
  std::vector<std::optional<bool>> won{true, false, true};
  std::vector<std::optional<std::string>> quarter{"2017-Q2", std::nullopt, "2017-06"};
  std::vector<std::optional<int64_t>> stage{0, 1, 0};

  ArrowNode node() const {
    return structOf({textColumn("id", id), dictionaryColumn("owner", owner, {"Anna", "Ben"}),
                     decimalColumn("amount", amount), int64Column("units", units),
                     int32Column("seats", seats), float64Column("score", score),
                     float64Column("rate", rate), date32Column("closed", closed),
                     boolColumn("won", won), textColumn("quarter", quarter),
                     dictionaryColumn("stage", stage, {"Won", "Lost"}, "s")});
  }
};

std::shared_ptr<const ArrowHostTable> take(const ArrowNode& node, const std::string& table) {
  ArrowPair pair(node);
  std::string error;
  auto host = ArrowHostTable::take(table, &pair.schema, &pair.array, error);
  EXPECT_TRUE(host) << error;
  EXPECT_EQ(pair.schema.release, nullptr); // moved: the caller's copy is marked released
  EXPECT_EQ(pair.array.release, nullptr);
  return host;
}

LoadResult loadHost(const ArrowNode& deals, const ArrowNode& rep = reps()) {
  LoadOptions options;
  options.hostTables["rep"] = take(rep, "rep");
  options.hostTables["deals"] = take(deals, "deals");
  return loadTables({dealSchema(), repSchema()}, options);
}

TEST(ArrowImport, EveryTypeIn) {
  const LoadResult result = loadHost(DealCells().node());
  ASSERT_TRUE(result.ok) << (result.issues.empty() ? "" : formatIssue(result.issues[0]));
  const Table& deals = *result.table("deals");
  ASSERT_EQ(deals.rowCount, 3u);
  EXPECT_EQ(deals.column("id")->text(1), "d2");
  EXPECT_EQ(deals.column("owner")->rows, (std::vector<int32_t>{1, 0, 1}));
  const Column& amount = *deals.column("amount");
  EXPECT_EQ(amount.numberData()[0], 12345678);
  EXPECT_EQ(amount.numberData()[2], -35000);
  EXPECT_FALSE(amount.isValid(1));
  EXPECT_EQ(deals.column("units")->numberData()[1], 20000);
  EXPECT_FALSE(deals.column("units")->isValid(2));
  EXPECT_EQ(deals.column("seats")->numberData()[2], 7);
  EXPECT_EQ(deals.column("score")->numberData()[0], 1.5);
  EXPECT_EQ(deals.column("rate")->numberData()[1], 1);
  EXPECT_FALSE(deals.column("rate")->isValid(2));
  EXPECT_EQ(deals.column("closed")->dayData()[2], dayFromCivil(2017, 6, 30));
  EXPECT_FALSE(deals.column("closed")->isValid(1));
  EXPECT_EQ(deals.column("won")->bools, (std::vector<uint8_t>{1, 0, 1}));
  EXPECT_EQ(deals.column("quarter")->periodFirst[0], dayFromCivil(2017, 4, 1));
  EXPECT_EQ(deals.column("quarter")->periodLast[0], dayFromCivil(2017, 6, 30));
  EXPECT_EQ(deals.column("quarter")->periodFirst[2], dayFromCivil(2017, 6, 1));
  EXPECT_EQ(deals.column("stage")->text(0), "Won");
  EXPECT_EQ(deals.column("stage")->text(1), "Lost");
  const Table& rep = *result.table("rep");
  EXPECT_EQ(rep.findRow("Cleo"), 2);
  EXPECT_EQ(rep.column("office")->text(2), "West");
  EXPECT_FALSE(rep.column("office")->isValid(1));
  EXPECT_EQ(result.summaries[0].rowsInFile, 3u);
  EXPECT_EQ(formatSummary(result.summaries[0]), "deals: 3 rows, 3 loaded, 0 rejected");
}

TEST(ArrowImport, Float64AndDate32ColumnsAreUsedWithoutCopying) {
  ArrowNode node = DealCells().node();
  node.offset = 1; // a slice: rows 2 and 3 of the struct
  node.length = 2;
  ArrowPair pair(node);
  const double* scores = static_cast<const double*>(pair.array.children[5]->buffers[1]);
  std::string error;
  LoadOptions options;
  options.hostTables["rep"] = take(reps(), "rep");
  options.hostTables["deals"] = ArrowHostTable::take("deals", &pair.schema, &pair.array, error);
  ASSERT_TRUE(options.hostTables["deals"]) << error;
  const LoadResult result = loadTables({dealSchema(), repSchema()}, options);
  ASSERT_TRUE(result.ok);
  const Table& deals = *result.table("deals");
  ASSERT_EQ(deals.rowCount, 2u);
  EXPECT_EQ(deals.column("score")->numberData(), scores + 1); // the host's memory, offset applied
  EXPECT_TRUE(deals.column("score")->numbers.empty());
  EXPECT_EQ(deals.column("id")->text(0), "d2");
  EXPECT_EQ(deals.column("amount")->numberData()[1], -35000);
  EXPECT_EQ(deals.column("owner")->rows, (std::vector<int32_t>{0, 1}));
}

TEST(ArrowImport, ChildOffsetsAndLargeUtf8AreRead) {
  ArrowNode ids = textColumn("id", {"skip", "d1", "d2", "d3"}, true);
  ids.offset = 1;
  ids.length = 4;
  DealCells cells;
  ArrowNode node = cells.node();
  node.children[0] = ids;
  const LoadResult result = loadHost(node);
  ASSERT_TRUE(result.ok);
  EXPECT_EQ(result.table("deals")->column("id")->text(0), "d1");
  EXPECT_EQ(result.table("deals")->column("id")->text(2), "d3");
}

// The one issue of a load that rejects one row.
LoadIssue onlyIssue(const LoadResult& result) {
  EXPECT_FALSE(result.ok);
  EXPECT_EQ(result.issues.size(), 1u);
  return result.issues.empty() ? LoadIssue{} : result.issues[0];
}

TEST(ArrowImport, NullInRequiredFieldNamesTableRowAndField) {
  DealCells cells;
  cells.won[1] = std::nullopt;
  const LoadIssue issue = onlyIssue(loadHost(cells.node()));
  EXPECT_EQ(issue.table, "deals");
  EXPECT_EQ(issue.row, 2u);
  EXPECT_EQ(issue.line, 0u);
  EXPECT_EQ(issue.field, "won");
  EXPECT_EQ(formatIssue(issue), "arrow:deals: row 2: error: empty `won`: expected a bool (true, "
                                "false, 1 or 0) (declare it `bool?` if it may be missing)");
}

TEST(ArrowImport, EmptyTextIsMissingAsInAFile) {
  DealCells cells;
  cells.id[2] = "";
  const LoadIssue issue = onlyIssue(loadHost(cells.node()));
  EXPECT_EQ(issue.row, 3u);
  EXPECT_NE(issue.message.find("empty key `id`"), std::string::npos) << issue.message;
}

TEST(ArrowImport, UnknownReferenceNamesRowAndValue) {
  ArrowNode node = DealCells().node();
  node.children[1] = dictionaryColumn("owner", {1, 0, 0}, {"Anna", "Bob"});
  const LoadIssue issue = onlyIssue(loadHost(node));
  EXPECT_EQ(issue.table, "deals");
  EXPECT_EQ(issue.row, 1u);
  EXPECT_EQ(issue.value, "Bob");
  EXPECT_NE(issue.message.find("unknown rep `Bob`"), std::string::npos) << issue.message;
}

TEST(ArrowImport, DuplicateKeyNamesRowValueAndFirstRow) {
  DealCells cells;
  cells.id[2] = "d1";
  const LoadIssue issue = onlyIssue(loadHost(cells.node()));
  EXPECT_EQ(issue.row, 3u);
  EXPECT_EQ(issue.value, "d1");
  EXPECT_EQ(formatIssue(issue), "arrow:deals: row 3: error: duplicate key `d1` in `id`: the first "
                                "deals row with it is row 1");
}

TEST(ArrowImport, ADuplicateEntityKeyIsRejected) {
  ArrowNode rep = structOf(
      {textColumn("name", {"Anna", "Ben", "Ben"}), textColumn("office", {"East", "East", "West"})});
  DealCells cells;
  const LoadResult result = loadHost(cells.node(), rep);
  EXPECT_FALSE(result.ok);
  ASSERT_GE(result.issues.size(), 1u);
  EXPECT_EQ(result.issues[0].table, "rep");
  EXPECT_EQ(result.issues[0].row, 3u);
}

TEST(ArrowImport, ValuesOutsideTheRangeAreRejected) {
  DealCells cells;
  cells.score[1] = 6;
  const LoadIssue issue = onlyIssue(loadHost(cells.node()));
  EXPECT_EQ(issue.row, 2u);
  EXPECT_EQ(issue.value, "6");
  EXPECT_NE(issue.message.find("expected number in 1..5, found `6`"), std::string::npos)
      << issue.message;
}

TEST(ArrowImport, MoneyBeyondItsRangeIsRejected) {
  DealCells cells;
  cells.amount[0] = 9007199254740992; // 2^53 units
  cells.units[2] = -9007199254740992;
  const LoadResult result = loadHost(cells.node());
  ASSERT_EQ(result.issues.size(), 2u);
  EXPECT_EQ(result.issues[0].row, 1u);
  EXPECT_NE(result.issues[0].message.find("beyond the range of money"), std::string::npos);
  EXPECT_EQ(result.issues[1].row, 3u);
}

TEST(ArrowImport, DecimalScalesBelowFourAreScaledToUnits) {
  DealCells cells;
  ArrowNode node = cells.node();
  node.children[2] = decimalColumn("amount", {150, std::nullopt, -2}, "d:10,2");
  const LoadResult result = loadHost(node);
  ASSERT_TRUE(result.ok);
  EXPECT_EQ(result.table("deals")->column("amount")->numberData()[0], 15000); // $1.50
  EXPECT_EQ(result.table("deals")->column("amount")->numberData()[2], -200);
}

TEST(ArrowImport, NaNIsNoNumber) {
  DealCells cells;
  cells.score[0] = std::nan("");
  const LoadIssue issue = onlyIssue(loadHost(cells.node()));
  EXPECT_EQ(issue.row, 1u);
  EXPECT_NE(issue.message.find("expected a number"), std::string::npos) << issue.message;
}

TEST(ArrowImport, SkipModeLeavesOutTheBadRowsOnly) {
  DealCells cells;
  cells.won[0] = std::nullopt;
  LoadOptions options;
  options.skipBadRows = true;
  options.hostTables["rep"] = take(reps(), "rep");
  options.hostTables["deals"] = take(cells.node(), "deals");
  const LoadResult result = loadTables({dealSchema(), repSchema()}, options);
  ASSERT_TRUE(result.ok);
  const Table& deals = *result.table("deals");
  ASSERT_EQ(deals.rowCount, 2u);
  EXPECT_EQ(deals.column("id")->text(0), "d2");
  EXPECT_EQ(deals.column("score")->numberData()[1], 5); // a copy of the kept rows
  EXPECT_EQ(formatSummary(result.summaries[0]), "deals: 3 rows, 2 loaded, 1 rejected");
}

// What a schema mismatch says: a fatal issue at load, the same text as mismatch().
std::string mismatchOf(const ArrowNode& node) {
  const auto host = take(node, "deals");
  return host ? host->mismatch(dealSchema()) : "";
}

TEST(ArrowImport, ExtraChildrenAreNamed) {
  ArrowNode node = DealCells().node();
  node.children.push_back(float64Column("bonus", {1, 2, 3}));
  node.children.push_back(float64Column("extra", {1, 2, 3}));
  EXPECT_NE(mismatchOf(node).find("`bonus`, `extra` are no field of deals"), std::string::npos)
      << mismatchOf(node);
  const LoadResult result = loadHost(node);
  ASSERT_FALSE(result.ok);
  EXPECT_TRUE(result.issues[0].fatal);
  EXPECT_NE(result.issues[0].message.find("`bonus`"), std::string::npos);
}

TEST(ArrowImport, AMissingRequiredFieldIsAnErrorAMissingOptionalOneIsNot) {
  ArrowNode node = DealCells().node();
  node.children.erase(node.children.begin() + 8); // won
  EXPECT_NE(mismatchOf(node).find("no column for the field `won` (bool)"), std::string::npos)
      << mismatchOf(node);
  ArrowNode optional = DealCells().node();
  optional.children.erase(optional.children.begin() + 5); // score?
  EXPECT_EQ(mismatchOf(optional), "");
  const LoadResult result = loadHost(optional);
  ASSERT_TRUE(result.ok);
  EXPECT_EQ(result.table("deals")->column("score")->missing, 3u);
}

TEST(ArrowImport, AFormatTheFieldDoesNotTakeIsNamed) {
  ArrowNode node = DealCells().node();
  node.children[2] = float64Column("amount", {1, 2, 3});
  EXPECT_NE(mismatchOf(node).find("column `amount` has format `g`, but `amount` is money: "
                                  "expected decimal128(18,4)"),
            std::string::npos)
      << mismatchOf(node);
}

// A field's `format` and the file options describe a CSV file's text; an Arrow table's columns
// are typed, so a schema declaring them is refused by name (not read with them ignored).
TEST(ArrowImport, FormatsAndFileOptionsAreRefused) {
  auto loadWith = [](const std::function<void(TableSchema&)>& declare) {
    TableSchema deals = dealSchema();
    declare(deals);
    LoadOptions options;
    options.hostTables["rep"] = take(reps(), "rep");
    options.hostTables["deals"] = take(DealCells().node(), "deals");
    return loadTables({deals, repSchema()}, options);
  };
  const LoadResult plain = loadWith([](TableSchema&) {});
  ASSERT_TRUE(plain.ok);

  const std::string zone = "America/Los_Angeles";
  CellFormatError error;
  const std::shared_ptr<const CellFormat> stamped =
      compileCellFormat("YYYY-MM-DDThh:mm:ssZ", "date", &zone, defaultCurrency(), error);
  ASSERT_TRUE(stamped) << error.message;
  const LoadResult formatted =
      loadWith([&](TableSchema& deals) { deals.fields[7].format = stamped; });
  ASSERT_FALSE(formatted.ok);
  ASSERT_EQ(formatted.issues.size(), 1u);
  EXPECT_TRUE(formatted.issues[0].fatal);
  EXPECT_EQ(formatted.issues[0].file, "arrow:deals");
  EXPECT_EQ(formatted.issues[0].message,
            "the field `closed` has `format \"YYYY-MM-DDThh:mm:ssZ\" in zone "
            "\"America/Los_Angeles\"`, which describes the text of a CSV file; the columns of "
            "arrow:deals are typed and take no format (hint: declare the table without formats "
            "for this source)");

  const LoadResult delimited = loadWith([](TableSchema& deals) { deals.delimiter = ';'; });
  ASSERT_FALSE(delimited.ok);
  ASSERT_EQ(delimited.issues.size(), 1u);
  EXPECT_NE(delimited.issues[0].message.find("the table `deals` declares `delimiter`"),
            std::string::npos)
      << delimited.issues[0].message;
  const LoadResult loose = loadWith([](TableSchema& deals) { deals.looseHeaders = true; });
  ASSERT_FALSE(loose.ok);
  EXPECT_NE(loose.issues[0].message.find("declares `headers loose`"), std::string::npos)
      << loose.issues[0].message;
}

// take() on structs broken by `breakIt` fails with a message holding `expected`, and releases
// both structs.
void expectRejected(const std::function<void(ArrowSchema&, ArrowArray&)>& breakIt,
                    const std::string& expected) {
  ArrowPair pair(DealCells().node());
  breakIt(pair.schema, pair.array);
  const int releasesBefore = arrowReleases();
  std::string error;
  EXPECT_FALSE(ArrowHostTable::take("deals", &pair.schema, &pair.array, error));
  EXPECT_NE(error.find(expected), std::string::npos) << error;
  EXPECT_EQ(pair.schema.release, nullptr);
  EXPECT_EQ(pair.array.release, nullptr);
  EXPECT_GT(arrowReleases(), releasesBefore); // taken over, then released
}

TEST(ArrowImport, BadStructsAreRejected) {
  expectRejected([](ArrowSchema&, ArrowArray& a) { a.children[5]->n_buffers = 3; },
                 "column `score` (format `g`): format `g` has 2 buffers, found n_buffers 3");
  expectRejected([](ArrowSchema&, ArrowArray& a) { a.children[5]->buffers[1] = nullptr; },
                 "column `score` (format `g`): its data buffer is null");
  expectRejected([](ArrowSchema&, ArrowArray& a) { a.children[0]->buffers[1] = nullptr; },
                 "column `id` (format `u`): its offsets buffer is null");
  expectRejected(
      [](ArrowSchema&, ArrowArray& a) {
        auto* offsets =
            const_cast<int32_t*>(static_cast<const int32_t*>(a.children[0]->buffers[1]));
        offsets[2] = 1; // row 2 ends before it starts
      },
      "column `id` (format `u`): the offsets are not monotonic at row 2");
  expectRejected(
      [](ArrowSchema&, ArrowArray& a) {
        auto* offsets =
            const_cast<int32_t*>(static_cast<const int32_t*>(a.children[0]->buffers[1]));
        offsets[0] = -5;
      },
      "before the start of the data");
  expectRejected(
      [](ArrowSchema&, ArrowArray& a) {
        auto* indexes =
            const_cast<int32_t*>(static_cast<const int32_t*>(a.children[1]->buffers[1]));
        indexes[2] = 7; // past the two entries
      },
      "column `owner` (format `i -> dictionary of u`): row 3: dictionary index 7 is outside its 2 "
      "entries");
  expectRejected([](ArrowSchema&, ArrowArray& a) { a.children[6]->length = 2; },
                 "column `rate` (format `g`): it has 2 rows, fewer than the 3 the struct needs "
                 "(length mismatch)");
  expectRejected([](ArrowSchema& s, ArrowArray&) { s.children[5]->format = "e"; },
                 "column `score` (format `e`): unsupported format `e`");
  expectRejected([](ArrowSchema& s, ArrowArray&) { s.format = "+l"; },
                 "expected a struct array (format `+s`), found format `+l`");
  expectRejected([](ArrowSchema&, ArrowArray& a) { a.children[5]->null_count = 1; },
                 "null_count is 1 but the validity buffer is null");
  expectRejected([](ArrowSchema&, ArrowArray& a) { a.children[5]->offset = -1; },
                 "length 3 and offset -1");
  expectRejected([](ArrowSchema&, ArrowArray& a) { a.n_children = 3; },
                 "the schema has 11 children and the array 3");
  expectRejected([](ArrowSchema& s, ArrowArray&) { s.children[3]->name = "amount"; },
                 "column `amount` appears twice");
  expectRejected([](ArrowSchema& s, ArrowArray&) { s.children[2]->format = "d:18,6"; },
                 "expected a scale of 0 to 4");
  // A dictionary pointing at itself: refused, not followed for ever (it overflowed the stack).
  expectRejected(
      [](ArrowSchema& s, ArrowArray& a) {
        s.children[1]->dictionary->dictionary = s.children[1]->dictionary;
        a.children[1]->dictionary->dictionary = a.children[1]->dictionary;
      },
      "column `owner` (format `i -> dictionary of u`): its dictionary is itself "
      "dictionary-encoded");
}

// An empty batch of dictionary-encoded text loads as no rows (its dictionary was left unread
// and the reader took entry 0 of nothing: a crash).
TEST(ArrowImport, AnEmptyBatchWithDictionaryColumnsLoadsNoRows) {
  DealCells none;
  none.id.clear();
  none.owner.clear();
  none.amount.clear();
  none.units.clear();
  none.seats.clear();
  none.score.clear();
  none.rate.clear();
  none.closed.clear();
  none.won.clear();
  none.quarter.clear();
  none.stage.clear();
  const LoadResult loaded = loadHost(none.node());
  EXPECT_TRUE(loaded.ok) << (loaded.issues.empty() ? "" : loaded.issues[0].message);
  ASSERT_NE(loaded.table("deals"), nullptr);
  EXPECT_EQ(loaded.table("deals")->rowCount, 0u);
  EXPECT_EQ(loaded.table("rep")->rowCount, 3u);
}

TEST(ArrowImport, ReleasedOrNullStructsAreRejected) {
  std::string error;
  EXPECT_FALSE(ArrowHostTable::take("deals", nullptr, nullptr, error));
  EXPECT_NE(error.find("is null"), std::string::npos);
  ArrowSchema schema{};
  ArrowArray array{};
  EXPECT_FALSE(ArrowHostTable::take("deals", &schema, &array, error));
  EXPECT_NE(error.find("released"), std::string::npos) << error;
}

TEST(ArrowImport, TheHostTableReleasesTheStructsOnceWhenTheLastLoadGoes) {
  int whileLoaded = 0;
  {
    LoadResult result;
    {
      LoadOptions options;
      options.hostTables["rep"] = take(reps(), "rep");
      options.hostTables["deals"] = take(DealCells().node(), "deals");
      result = loadTables({dealSchema(), repSchema()}, options);
      ASSERT_TRUE(result.ok);
    }
    // The host tables are gone (rep's structs with them: nothing of it is borrowed); deals'
    // borrowed columns keep its structs alive.
    whileLoaded = arrowReleases();
    EXPECT_EQ(result.table("deals")->column("score")->numberData()[2], 5);
  }
  EXPECT_GT(arrowReleases(), whileLoaded); // released with the last column borrowing them
}

} // namespace
} // namespace fulcrum::runtime
