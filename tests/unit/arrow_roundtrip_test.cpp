// Arrow through a whole run: the llr example with deals and ratings bound from Arrow columns
// (built here from the same CSV files) gives the CSV run's result byte for byte, float64 columns
// reach the kernels without a copy, the result exported as Arrow reads back (with this file's own
// reader) as the result, and a 10M-row float64 column loads without its 80 MB being copied.
#include "ArrowTestData.h"
#include "MemoryProbe.h"
#include "compiler/lower/MakeProgram.h"
#include "runtime/Program.h"
#include "runtime/arrow/ArrowExport.h"
#include "runtime/arrow/ArrowImport.h"
#include "runtime/data/CsvReader.h"
#include "runtime/output/ResultFormat.h"
#include "runtime/program/LoadedData.h"
#include "support/Calendar.h"
#include "support/Money.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <fmt/format.h>
#include <fstream>
#include <gtest/gtest.h>
#include <map>
#include <set>
#include <sstream>

namespace fulcrum::runtime {
namespace {

using namespace testing_support;

const std::string kLlr = FULCRUM_SOURCE_DIR "/examples/llr/llr.fulcrum";
const std::string kMaven = FULCRUM_SHARED_DIR "/datasets/maven-crm/";

// A CSV file's records as text, the header first.
std::vector<std::vector<std::string>> readCsv(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  const std::string text = buffer.str();
  CsvReader reader(text);
  CsvRecord record;
  std::vector<std::vector<std::string>> rows;
  while (reader.next(record)) {
    std::vector<std::string> cells;
    for (const CsvField& field : record.fields)
      cells.emplace_back(field.text);
    rows.push_back(std::move(cells));
  }
  return rows;
}

// The cells of one column by header name; empty text is null.
std::vector<std::optional<std::string>> column(const std::vector<std::vector<std::string>>& rows,
                                               const std::string& name) {
  const auto& header = rows[0];
  const size_t at =
      static_cast<size_t>(std::find(header.begin(), header.end(), name) - header.begin());
  std::vector<std::optional<std::string>> cells;
  for (size_t r = 1; r < rows.size(); ++r)
    cells.push_back(rows[r][at].empty() ? std::nullopt : std::optional(rows[r][at]));
  return cells;
}

std::vector<std::optional<int32_t>> days(const std::vector<std::optional<std::string>>& cells) {
  std::vector<std::optional<int32_t>> out;
  for (const auto& cell : cells)
    out.push_back(cell ? std::optional<int32_t>(*parseDate(*cell)) : std::nullopt);
  return out;
}

// Text as a dictionary over `format` indexes (entries in order of first use).
ArrowNode dictionaryOf(const std::string& name,
                       const std::vector<std::optional<std::string>>& cells,
                       const std::string& format) {
  std::vector<std::string> entries;
  std::map<std::string, int64_t> index;
  std::vector<std::optional<int64_t>> codes;
  for (const auto& cell : cells) {
    if (!cell) {
      codes.push_back(std::nullopt);
      continue;
    }
    auto [it, added] = index.emplace(*cell, static_cast<int64_t>(entries.size()));
    if (added)
      entries.push_back(*cell);
    codes.push_back(it->second);
  }
  return dictionaryColumn(name, codes, entries, format);
}

// deals of llr.fulcrum from the Maven file: every text form, dates with nulls, money decimal128.
ArrowNode dealsFromCsv() {
  const auto rows = readCsv(kMaven + "sales_pipeline.csv");
  std::vector<std::optional<int64_t>> value;
  for (const auto& cell : column(rows, "close_value")) {
    if (!cell) {
      value.push_back(std::nullopt);
      continue;
    }
    const MoneyText money = parseMoneyText(*cell, MoneySyntax::Cell);
    EXPECT_EQ(money.error, MoneyTextError::None) << *cell;
    value.push_back(static_cast<int64_t>(money.units));
  }
  return structOf({textColumn("id", column(rows, "opportunity_id")),
                   dictionaryOf("owner", column(rows, "sales_agent"), "s"),
                   textColumn("account", column(rows, "account")),
                   textColumn("product", column(rows, "product"), true),
                   dictionaryOf("stage", column(rows, "deal_stage"), "c"),
                   date32Column("engaged", days(column(rows, "engage_date"))),
                   date32Column("closed", days(column(rows, "close_date"))),
                   decimalColumn("value", value)});
}

// ratings of llr.fulcrum: the numbers as float64 without nulls, so they are borrowed.
ArrowNode ratingsFromCsv() {
  const auto rows = readCsv(FULCRUM_SOURCE_DIR "/examples/llr/ratings.csv");
  auto numbers = [&](const std::string& name) {
    std::vector<std::optional<double>> out;
    for (const auto& cell : column(rows, name))
      out.push_back(std::stod(*cell));
    return out;
  };
  const auto& header = rows[0];
  EXPECT_EQ(header, (std::vector<std::string>{"rep", "quarter", "leadership", "leverage"}));
  return structOf({dictionaryOf("rep", column(rows, "rep"), "i"),
                   textColumn("quarter", column(rows, "quarter")),
                   float64Column("leadership", numbers("leadership")),
                   float64Column("leverage", numbers("leverage"))});
}

std::shared_ptr<const HostTable> hostOf(const ArrowNode& node, const std::string& table,
                                        const double** borrowed = nullptr, size_t child = 0) {
  ArrowPair pair(node);
  if (borrowed)
    *borrowed = static_cast<const double*>(pair.array.children[child]->buffers[1]);
  std::string error;
  auto host = arrow::ArrowHostTable::take(table, &pair.schema, &pair.array, error);
  EXPECT_TRUE(host) << error;
  return host;
}

std::unique_ptr<Program> llrProgram() {
  auto compilation = compileFile(kLlr);
  EXPECT_TRUE(compilation->ok());
  DiagnosticSink sink;
  std::string error;
  auto program = makeProgram(*compilation, "llr", EngineKind::Interpreter, sink, error);
  EXPECT_TRUE(program) << error;
  return program;
}

RunRequest q3() {
  RunRequest request;
  request.period = "2017-Q3";
  return request;
}

TEST(ArrowRoundTrip, LlrWithTablesFromArrowGivesTheCsvRunsResult) {
  const auto program = llrProgram();
  ASSERT_TRUE(program);
  const RunResult fromCsv = program->run(q3());
  ASSERT_EQ(fromCsv.status, RunStatus::Ok) << (fromCsv.errors.empty() ? "" : fromCsv.errors[0]);

  RunRequest request = q3();
  const double* leadership = nullptr;
  request.hostTables["deals"] = hostOf(dealsFromCsv(), "deals");
  request.hostTables["ratings"] = hostOf(ratingsFromCsv(), "ratings", &leadership, 2);
  const LoadOutcome loaded = program->load(request);
  ASSERT_EQ(loaded.status, RunStatus::Ok) << (loaded.errors.empty() ? "" : loaded.errors[0]);
  // The kernels read the host's float64 buffer itself.
  const auto& values = loaded.data->bound.columnValues;
  EXPECT_NE(std::find(values.begin(), values.end(), static_cast<const void*>(leadership)),
            values.end());
  const RunResult fromArrow = program->run(request, loaded);
  ASSERT_EQ(fromArrow.status, RunStatus::Ok);
  EXPECT_EQ(fromArrow.notes, fromCsv.notes); // `deals: 8800 rows, 8800 loaded, 0 rejected`...
  EXPECT_GT(fromArrow.table.subjects(), 20u);
  EXPECT_EQ(fromArrow.table.keys, fromCsv.table.keys);
  ASSERT_EQ(fromArrow.table.values.size(), fromCsv.table.values.size());
  EXPECT_EQ(0, std::memcmp(fromArrow.table.values.data(), fromCsv.table.values.data(),
                           fromCsv.table.values.size() * sizeof(double)));
  EXPECT_EQ(fromArrow.table.valid, fromCsv.table.valid);
  EXPECT_EQ(formatResult(fromArrow.table, OutputFormat::Csv),
            formatResult(fromCsv.table, OutputFormat::Csv));
}

TEST(ArrowRoundTrip, HostTableErrorsNameTheRowThroughARun) {
  const auto program = llrProgram();
  ASSERT_TRUE(program);
  ArrowNode deals = dealsFromCsv();
  // Row 5's owner becomes an agent sales_teams.csv does not have.
  deals.children[1].dictionary = std::make_shared<ArrowNode>(*deals.children[1].dictionary);
  std::vector<std::optional<std::string>> owners =
      column(readCsv(kMaven + "sales_pipeline.csv"), "sales_agent");
  owners[4] = "Nobody Atall";
  deals.children[1] = textColumn("owner", owners);
  RunRequest request = q3();
  request.hostTables["deals"] = hostOf(deals, "deals");
  const RunResult result = program->run(request);
  EXPECT_EQ(result.status, RunStatus::DataError);
  ASSERT_EQ(result.errors.size(), 1u);
  EXPECT_EQ(result.errors[0].rfind("arrow:deals: row 5: error: `owner`: unknown rep `Nobody "
                                   "Atall`",
                                   0),
            0u)
      << result.errors[0];
}

// This file's own reader of an exported struct array: a child by name, checked as it goes.
const ArrowArray* childNamed(const ArrowSchema& schema, const ArrowArray& array,
                             const std::string& name, std::string& format) {
  for (int64_t i = 0; i < schema.n_children; ++i)
    if (name == schema.children[i]->name) {
      format = schema.children[i]->format;
      return array.children[i];
    }
  return nullptr;
}

bool validAt(const ArrowArray& array, size_t row) {
  const auto* bits = static_cast<const uint8_t*>(array.buffers[0]);
  return !bits || ((bits[row / 8] >> (row % 8)) & 1);
}

std::string utf8At(const ArrowArray& array, size_t row) {
  const auto* offsets = static_cast<const int32_t*>(array.buffers[1]);
  return std::string(static_cast<const char*>(array.buffers[2]) + offsets[row],
                     static_cast<size_t>(offsets[row + 1] - offsets[row]));
}

TEST(ArrowRoundTrip, AnExportedResultReadsBackAsTheResult) {
  const auto program = llrProgram();
  ASSERT_TRUE(program);
  const RunResult run = program->run(q3());
  ASSERT_EQ(run.status, RunStatus::Ok);
  const ResultTable& table = run.table;
  ArrowSchema schema;
  ArrowArray array;
  std::string error;
  ASSERT_TRUE(arrow::exportResult(table, &schema, &array, error)) << error;
  EXPECT_STREQ(schema.format, "+s");
  ASSERT_EQ(schema.n_children, static_cast<int64_t>(table.columns.size() + 1));
  ASSERT_EQ(array.length, static_cast<int64_t>(table.subjects()));
  std::string format;
  const ArrowArray* keys = childNamed(schema, array, table.keyName, format);
  ASSERT_TRUE(keys);
  EXPECT_EQ(format, "u");
  for (size_t row = 0; row < table.subjects(); ++row)
    EXPECT_EQ(utf8At(*keys, row), table.keys[row]);
  std::set<std::string> formats;
  size_t nulls = 0;
  for (size_t c = 0; c < table.columns.size(); ++c) {
    const ArrowArray* child = childNamed(schema, array, table.columns[c].name, format);
    ASSERT_TRUE(child) << table.columns[c].name;
    formats.insert(format);
    EXPECT_EQ(child->length, array.length);
    for (size_t row = 0; row < table.subjects(); ++row) {
      ASSERT_EQ(validAt(*child, row), table.present(c, row)) << table.columns[c].name << row;
      if (!table.present(c, row)) {
        ++nulls;
        continue;
      }
      const double expected = table.value(c, row);
      const void* values = child->buffers[1];
      if (format == "d:18,4") {
        int64_t low = 0, high = 0;
        std::memcpy(&low, static_cast<const char*>(values) + 16 * row, 8);
        std::memcpy(&high, static_cast<const char*>(values) + 16 * row + 8, 8);
        EXPECT_EQ(static_cast<double>(low), expected); // exact units of 1/10,000
        EXPECT_EQ(high, low < 0 ? -1 : 0);
      } else if (format == "l") {
        EXPECT_EQ(static_cast<double>(static_cast<const int64_t*>(values)[row]), expected);
      } else if (format == "g") {
        const double got = static_cast<const double*>(values)[row];
        EXPECT_EQ(0, std::memcmp(&got, &expected, sizeof got)) << table.columns[c].name;
      } else if (format == "tdD") {
        EXPECT_EQ(static_cast<const int32_t*>(values)[row], static_cast<int32_t>(expected));
      } else if (format == "b") {
        const bool bit = (static_cast<const uint8_t*>(values)[row / 8] >> (row % 8)) & 1;
        EXPECT_EQ(bit, expected != 0);
      } else {
        ASSERT_EQ(format, "u");
        EXPECT_EQ(utf8At(*child, row), table.raw(c, row));
      }
    }
  }
  EXPECT_GT(nulls, 0u); // the llr result has missing values: the bitmaps were exercised
  EXPECT_TRUE(formats.count("d:18,4") && formats.count("g")) << formats.size();
  array.release(&array);
  schema.release(&schema);
  EXPECT_EQ(array.release, nullptr);
  EXPECT_EQ(schema.release, nullptr);
}

TEST(ArrowRoundTrip, EveryOutputTypeIsExported) {
  ResultTable table;
  table.keyName = "rep";
  table.keys = {"Anna", "Ben"};
  const ValueType kinds[] = {ValueType::Money,   ValueType::Count, ValueType::Number,
                             ValueType::Percent, ValueType::Bool,  ValueType::Date,
                             ValueType::Text,    ValueType::Period};
  for (const ValueType kind : kinds)
    table.columns.push_back(OutputColumn{fmt::format("c{}", table.columns.size()), 0, kind});
  table.strings = {"gold"};
  // Per column: Anna's value, Ben's missing (the second half of valid).
  table.values = {-35000, 0, 42, 0, 0.5, 0, 0.25, 0, 1, 0, 17000, 0, 0, 0, 0, 0};
  table.valid.assign(16, 0);
  for (size_t c = 0; c < 8; ++c)
    table.valid[c * 2] = 1;
  ArrowSchema schema;
  ArrowArray array;
  std::string error;
  ASSERT_TRUE(arrow::exportResult(table, &schema, &array, error));
  const char* formats[] = {"u", "d:18,4", "l", "g", "g", "b", "tdD", "u", "u"};
  for (int64_t i = 0; i < schema.n_children; ++i) {
    EXPECT_STREQ(schema.children[i]->format, formats[i]) << i;
    EXPECT_EQ(array.children[i]->length, 2);
    EXPECT_EQ(array.children[i]->null_count, i == 0 ? 0 : 1);
  }
  int64_t low = 0, high = 0;
  std::memcpy(&low, array.children[1]->buffers[1], 8);
  std::memcpy(&high, static_cast<const char*>(array.children[1]->buffers[1]) + 8, 8);
  EXPECT_EQ(low, -35000);
  EXPECT_EQ(high, -1); // two's complement over 128 bits: -$3.50
  EXPECT_EQ(static_cast<const int64_t*>(array.children[2]->buffers[1])[0], 42);
  EXPECT_EQ(static_cast<const int32_t*>(array.children[6]->buffers[1])[0], 17000);
  EXPECT_EQ(utf8At(*array.children[7], 0), "gold");
  EXPECT_EQ(utf8At(*array.children[7], 1), "");
  // A receiver may move a child out before releasing the parent: the parent leaves it alone.
  ArrowArray moved = *array.children[3];
  array.children[3]->release = nullptr;
  array.release(&array);
  schema.release(&schema);
  EXPECT_EQ(static_cast<const double*>(moved.buffers[1])[0], 0.5);
  moved.release(&moved);
}

TEST(ArrowRoundTrip, TenMillionFloat64RowsLoadWithoutCopyingThem) {
  if (kAddressSanitizer)
    GTEST_SKIP() << "AddressSanitizer keeps freed memory resident";
  constexpr size_t kRows = 10'000'000;
  ArrowNode node = structOf({float64Column("amount", {std::optional<double>(0.0)})});
  // Filled in place: one 80 MB buffer, no per-cell optionals.
  std::vector<uint8_t>& values = node.children[0].buffers[1];
  values.assign(kRows * sizeof(double), 0);
  for (size_t i = 0; i < kRows; ++i) {
    const double v = static_cast<double>(i % 1000) * 0.5;
    std::memcpy(values.data() + i * sizeof(double), &v, sizeof v);
  }
  node.children[0].length = kRows;
  node.length = kRows;
  ArrowPair pair(node);
  node = ArrowNode(); // only the structs' copy of the buffer stays
  const double* buffer = static_cast<const double*>(pair.array.children[0]->buffers[1]);
  TableSchema schema{"facts", hostTableLabel("facts"), false, -1, {}};
  FieldSchema amount;
  amount.name = amount.column = "amount";
  amount.kind = ValueKind::Number;
  amount.typeName = "number";
  schema.fields.push_back(amount);
  std::string error;
  LoadOptions options;
  options.hostTables["facts"] =
      arrow::ArrowHostTable::take("facts", &pair.schema, &pair.array, error);
  ASSERT_TRUE(options.hostTables["facts"]) << error;
  const size_t before = residentBytes();
  LoadResult result = loadTables({schema}, options);
  // As Program::load does once the load is bound: row numbers are for load messages only.
  for (Table& table : result.tables)
    table.lines.release();
  const size_t after = residentBytes();
  const size_t grown = after - std::min(before, after);
  ASSERT_TRUE(result.ok);
  const Column& column = *result.table("facts")->column("amount");
  EXPECT_EQ(column.numberData(), buffer);
  EXPECT_EQ(column.numberData()[kRows - 1], static_cast<double>((kRows - 1) % 1000) * 0.5);
  // The validity as bytes (10 MB) and little else: well under the column's 80 MB.
  EXPECT_LT(grown, size_t{20} << 20) << grown;
  std::printf("10M float64 rows: resident set grew %.1f MB while loading (the column is 80 MB)\n",
              static_cast<double>(grown) / (1 << 20));
}

} // namespace
} // namespace fulcrum::runtime
