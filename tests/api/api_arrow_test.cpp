// fulcrum_data_bind_arrow and fulcrum_result_to_arrow through libfulcrum.so: llr with its
// ratings bound from Arrow columns (built here from ratings.csv) prints what `fulcrum run` prints
// over the file; bad columns are refused at the call that gave them, loader errors name the row;
// the structs are always taken over; an exported result reads back as the result's cells.
#include "fulcrum/fulcrum.h"
#include "tests/unit/ArrowTestData.h"

#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <gtest/gtest.h>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

namespace {

using namespace fulcrum::testing_support;

const char* const kLlr = "examples/llr/llr.fulcrum";

const std::string kRatings = FULCRUM_SOURCE_DIR "/examples/llr/ratings.csv";

// `fulcrum run` of llr for 2017-Q3 as CSV, `data` its `--data` arguments.
std::string cliCsv(const std::string& data = "") {
  std::string out;
  const std::string command = "cd " FULCRUM_SOURCE_DIR " && " FULCRUM_BINARY
                              " run examples/llr/llr.fulcrum --framework llr --period 2017-Q3 "
                              "--format csv " +
                              data + " 2>/dev/null";
  FILE* pipe = popen(command.c_str(), "r");
  char buffer[65536];
  size_t n;
  while (pipe && (n = fread(buffer, 1, sizeof buffer, pipe)) > 0)
    out.append(buffer, n);
  if (pipe)
    pclose(pipe);
  return out;
}

std::string message(fulcrum_error* error) {
  std::string text = error ? fulcrum_error_message(error) : "(no error object)";
  fulcrum_error_free(error);
  return text;
}

// A ratings file (rep,quarter,leadership,leverage) as Arrow columns; `nullAt` >= 0 leaves that
// row's leadership null.
ArrowNode ratings(int nullAt = -1, const std::string& path = kRatings) {
  std::ifstream in(path);
  std::string line;
  std::getline(in, line); // the header
  std::vector<std::optional<std::string>> rep, quarter;
  std::vector<std::optional<double>> leadership, leverage;
  while (std::getline(in, line)) {
    std::stringstream cells(line);
    std::string a, b, c, d;
    std::getline(cells, a, ',');
    std::getline(cells, b, ',');
    std::getline(cells, c, ',');
    std::getline(cells, d, ',');
    rep.push_back(a);
    quarter.push_back(b);
    leadership.push_back(static_cast<int>(leadership.size()) == nullAt
                             ? std::nullopt
                             : std::optional<double>(std::stod(c)));
    leverage.push_back(std::stod(d));
  }
  return structOf({textColumn("rep", rep), textColumn("quarter", quarter, true),
                   float64Column("leadership", leadership), float64Column("leverage", leverage)});
}

struct Session {
  fulcrum_program* program = nullptr;
  fulcrum_data* data = nullptr;
  fulcrum_run_options* options = nullptr;
  Session() {
    fulcrum_error* error = nullptr;
    EXPECT_EQ(fulcrum_compile_file(kLlr, nullptr, &program, &error), FULCRUM_OK) << message(error);
    EXPECT_EQ(fulcrum_data_new(program, "llr", &data, &error), FULCRUM_OK) << message(error);
    EXPECT_EQ(fulcrum_run_options_new(&options), FULCRUM_OK);
    EXPECT_EQ(fulcrum_run_options_set_period(options, "2017-Q3"), FULCRUM_OK);
  }
  ~Session() {
    fulcrum_run_options_free(options);
    fulcrum_data_free(data);
    fulcrum_program_free(program);
  }
  fulcrum_status bind(const ArrowNode& node, const char* table, fulcrum_error** error) {
    ArrowSchema schema;
    ArrowArray array;
    toArrow(node, &schema, &array);
    const fulcrum_status status = fulcrum_data_bind_arrow(data, table, &schema, &array, error);
    EXPECT_EQ(schema.release, nullptr); // taken over, whatever the outcome
    EXPECT_EQ(array.release, nullptr);
    return status;
  }
};

TEST(CApiArrow, BoundColumnsRunAsTheirFileDoes) {
  // Ratings other than the declared file's (each leadership score turned around, 6 - x), so a
  // binding that did not take would show.
  const std::string changed = ::testing::TempDir() + "api_arrow_ratings.csv";
  {
    std::ifstream in(kRatings);
    std::ofstream out(changed);
    std::string line;
    std::getline(in, line);
    out << line << "\n";
    while (std::getline(in, line)) {
      std::stringstream cells(line);
      std::string rep, quarter, leadership, leverage;
      std::getline(cells, rep, ',');
      std::getline(cells, quarter, ',');
      std::getline(cells, leadership, ',');
      std::getline(cells, leverage, ',');
      out << rep << ',' << quarter << ',' << 6 - std::stod(leadership) << ',' << leverage << "\n";
    }
  }
  const std::string expected = cliCsv("--data ratings=" + changed);
  EXPECT_NE(expected, cliCsv());
  Session session;
  fulcrum_error* error = nullptr;
  ASSERT_EQ(session.bind(ratings(-1, changed), "ratings", &error), FULCRUM_OK) << message(error);
  ASSERT_EQ(fulcrum_data_load(session.data, nullptr, &error), FULCRUM_OK) << message(error);
  fulcrum_result* result = nullptr;
  ASSERT_EQ(fulcrum_run(session.data, session.options, &result, &error), FULCRUM_OK)
      << message(error);
  char* text = nullptr;
  size_t length = 0;
  ASSERT_EQ(fulcrum_result_format(result, FULCRUM_FORMAT_CSV, &text, &length), FULCRUM_OK);
  EXPECT_GT(expected.size(), 100u);
  EXPECT_EQ(std::string(text, length), expected);
  fulcrum_string_free(text);

  // The result as Arrow: one child per column, each cell as the result reads it.
  ArrowSchema schema;
  ArrowArray array;
  ASSERT_EQ(fulcrum_result_to_arrow(result, &schema, &array), FULCRUM_OK);
  size_t rows = 0, columns = 0;
  ASSERT_EQ(fulcrum_result_row_count(result, &rows), FULCRUM_OK);
  ASSERT_EQ(fulcrum_result_column_count(result, &columns), FULCRUM_OK);
  ASSERT_EQ(schema.n_children, static_cast<int64_t>(columns));
  ASSERT_EQ(array.length, static_cast<int64_t>(rows));
  size_t checked = 0;
  for (size_t c = 0; c < columns; ++c) {
    fulcrum_column_info info{};
    ASSERT_EQ(fulcrum_result_column(result, c, &info), FULCRUM_OK);
    EXPECT_STREQ(schema.children[c]->name, info.name);
    const std::string format = schema.children[c]->format;
    const ArrowArray& child = *array.children[c];
    for (size_t row = 0; row < rows; ++row) {
      int missing = 0;
      ASSERT_EQ(fulcrum_result_is_missing(result, row, c, &missing), FULCRUM_OK);
      const auto* bits = static_cast<const uint8_t*>(child.buffers[0]);
      const bool valid = !bits || ((bits[row / 8] >> (row % 8)) & 1);
      ASSERT_EQ(valid, !missing) << info.name << " row " << row;
      if (missing)
        continue;
      if (format == "u") {
        const auto* offsets = static_cast<const int32_t*>(child.buffers[1]);
        const char* cell = nullptr;
        ASSERT_EQ(fulcrum_result_text(result, row, c, &cell), FULCRUM_OK);
        EXPECT_EQ(std::string(static_cast<const char*>(child.buffers[2]) + offsets[row],
                              static_cast<size_t>(offsets[row + 1] - offsets[row])),
                  cell);
      } else if (format == "d:18,4") {
        int64_t units = 0, low = 0;
        ASSERT_EQ(fulcrum_result_money_units(result, row, c, &units), FULCRUM_OK);
        std::memcpy(&low, static_cast<const char*>(child.buffers[1]) + 16 * row, 8);
        EXPECT_EQ(low, units);
      } else if (format == "g") {
        double value = 0;
        ASSERT_EQ(fulcrum_result_number(result, row, c, &value), FULCRUM_OK);
        EXPECT_EQ(static_cast<const double*>(child.buffers[1])[row], value);
      } else if (format == "l") {
        double value = 0;
        ASSERT_EQ(fulcrum_result_number(result, row, c, &value), FULCRUM_OK);
        EXPECT_EQ(static_cast<double>(static_cast<const int64_t*>(child.buffers[1])[row]), value);
      }
      ++checked;
    }
  }
  EXPECT_GT(checked, rows * 3);
  fulcrum_result_free(result); // the structs outlive the result
  EXPECT_STREQ(schema.children[0]->format, "u");
  array.release(&array);
  schema.release(&schema);
}

TEST(CApiArrow, ANullInARequiredFieldFailsTheLoadNamingTheRow) {
  Session session;
  fulcrum_error* error = nullptr;
  ASSERT_EQ(session.bind(ratings(6), "ratings", &error), FULCRUM_OK) << message(error);
  ASSERT_EQ(fulcrum_data_load(session.data, nullptr, &error), FULCRUM_DATA_ERROR);
  ASSERT_NE(error, nullptr);
  fulcrum_diagnostic d{};
  ASSERT_EQ(fulcrum_error_diagnostic(error, 0, &d), FULCRUM_OK);
  EXPECT_STREQ(d.file, "arrow:ratings");
  EXPECT_EQ(d.line, 7u); // the row, 1-based
  EXPECT_STREQ(d.table, "ratings");
  EXPECT_NE(std::string(d.message).find("empty `leadership`"), std::string::npos) << d.message;
  EXPECT_NE(message(error).find("arrow:ratings: row 7: error:"), std::string::npos);
}

TEST(CApiArrow, BadColumnsAreRefusedByTheBindingCall) {
  Session session;
  fulcrum_error* error = nullptr;
  ArrowNode wrongType = ratings();
  wrongType.children[2] = int64Column(
      "leadership", std::vector<std::optional<int64_t>>(static_cast<size_t>(wrongType.length), 1));
  wrongType.children[2].format = "tdD";
  EXPECT_EQ(session.bind(wrongType, "ratings", &error), FULCRUM_DATA_ERROR);
  EXPECT_NE(message(error).find("column `leadership` has format `tdD`"), std::string::npos);

  ArrowNode extra = ratings();
  extra.children.push_back(float64Column(
      "mood", std::vector<std::optional<double>>(static_cast<size_t>(extra.length), 1.0)));
  EXPECT_EQ(session.bind(extra, "ratings", &error), FULCRUM_DATA_ERROR);
  EXPECT_NE(message(error).find("`mood` is no field of ratings"), std::string::npos);

  // A struct broken after it was built: the offsets of `rep` run backwards.
  ArrowSchema schema;
  ArrowArray array;
  toArrow(ratings(), &schema, &array);
  auto* offsets = const_cast<int32_t*>(static_cast<const int32_t*>(array.children[0]->buffers[1]));
  offsets[3] = 0;
  const int before = arrowReleases();
  EXPECT_EQ(fulcrum_data_bind_arrow(session.data, "ratings", &schema, &array, &error),
            FULCRUM_DATA_ERROR);
  EXPECT_NE(message(error).find("not monotonic"), std::string::npos);
  EXPECT_GT(arrowReleases(), before);
  EXPECT_EQ(array.release, nullptr);

  EXPECT_EQ(session.bind(ratings(), "ratingz", &error), FULCRUM_USAGE_ERROR);
  const std::string unknown = message(error);
  EXPECT_NE(unknown.find("reads no table named `ratingz`"), std::string::npos) << unknown;
  EXPECT_NE(unknown.find("did you mean `ratings`?"), std::string::npos) << unknown;
  EXPECT_EQ(fulcrum_data_bind_arrow(session.data, "ratings", nullptr, nullptr, &error),
            FULCRUM_USAGE_ERROR);
  message(error);
  EXPECT_EQ(fulcrum_result_to_arrow(nullptr, &schema, &array), FULCRUM_USAGE_ERROR);
}

} // namespace
