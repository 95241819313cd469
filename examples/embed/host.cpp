// Embedding Fulcrum from C++: bind columns the host holds in memory (no file) to
// pipeline.fulcrum through the Arrow C Data Interface, run a quarter, then a what-if quota on the
// same loaded data, and print both results as CSV: byte for byte what `fulcrum run --format csv`
// prints over reps.csv and deals.csv, which hold the same rows.
//   fulcrum_embed_host_cpp examples/embed/pipeline.fulcrum
#include "ArrowColumns.h"

#include <chrono>
#include <fulcrum/fulcrum.hpp>
#include <iostream>

namespace {

using namespace std::chrono;

int32_t day(year_month_day date) {
  return sys_days(date).time_since_epoch().count();
}
int64_t cents(int64_t amount) {
  return amount * 100;
} // money is held in units of 1/10,000

// The host's own rows (a CRM plug-in's cache, say), column by column.
struct Reps {
  std::vector<std::string> name{"Ana Ruiz", "Bo Chen, Jr.", "Cy Okafor"};
  std::vector<std::string> regions{"West", "East"};
  std::vector<int32_t> region{0, 1, 0};
};
struct Deals {
  std::vector<std::string> id{"D1", "D2", "D3", "D4", "D5", "D6", "D7", "D8"};
  std::vector<int32_t> owner{0, 0, 0, 1, 1, 1, 2, 2}; // a rep's row: its name is the reference
  std::vector<int64_t> seats{12, 40, 5, 8, 20, 3, 15, 9};
  std::vector<int32_t> closed{day(2024y / 4 / 3),  day(2024y / 5 / 20), 0, day(2024y / 6 / 30), 0,
                              day(2024y / 3 / 31), day(2024y / 4 / 15), 0};
  std::vector<bool> isClosed{true, true, false, true, false, true, true, false};
  std::vector<std::optional<int64_t>> value{cents(1800050), cents(4200000), cents(900000),
                                            cents(1250025), std::nullopt,   cents(700000),
                                            cents(3100000), cents(1600075)};
  std::vector<double> probability{1, 1, 0.4, 1, 0.25, 1, 1, 0.6};
  std::vector<bool> won{true, true, false, true, false, true, true, false};
};

embed::ArrowColumns repColumns(const Reps& reps) {
  embed::ArrowColumns columns(static_cast<int64_t>(reps.name.size()));
  columns.text("name", reps.name);
  columns.dictionary("region", reps.region, reps.regions);
  return columns;
}

embed::ArrowColumns dealColumns(const Deals& deals, const Reps& reps) {
  embed::ArrowColumns columns(static_cast<int64_t>(deals.id.size()));
  columns.text("id", deals.id);
  columns.dictionary("owner", deals.owner, reps.name);
  columns.int64("seats", deals.seats);
  columns.date32("closed", deals.closed, deals.isClosed);
  columns.money("value", deals.value);
  columns.float64("probability", deals.probability);
  columns.boolean("won", deals.won);
  return columns;
}

// fulcrum_data_bind_arrow takes the structs over (it releases them, also when it fails).
void bindArrow(fulcrum::Data& data, const char* table, embed::ArrowColumns columns) {
  ArrowSchema schema;
  ArrowArray array;
  std::move(columns).exportTo(&schema, &array);
  fulcrum_error* error = nullptr;
  if (fulcrum_status status = fulcrum_data_bind_arrow(data.get(), table, &schema, &array, &error))
    throw fulcrum::Error::from(status, error);
}

} // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: " << argv[0] << " PIPELINE_FILE\n";
    return FULCRUM_USAGE_ERROR;
  }
  const Reps reps;
  const Deals deals; // must outlive `data`: its numbers and dates are used where they lie
  try {
    const fulcrum::Program program = fulcrum::Program::compileFile(argv[1]);
    fulcrum::Data data(program, "pipeline");
    bindArrow(data, "rep", repColumns(reps));
    bindArrow(data, "deals", dealColumns(deals, reps));
    fulcrum::RunOptions options;
    options.period("2024-Q2");
    data.load(&options); // checks every row as a file's: keys, references, required fields
    std::cout << fulcrum::run(data, options).format(FULCRUM_FORMAT_CSV);
    options.param("quota", "40000"); // a what-if: the loaded data is not read again
    std::cout << fulcrum::run(data, options).format(FULCRUM_FORMAT_CSV);
  } catch (const fulcrum::Error& error) {
    std::cerr << error.what();
    return error.status();
  }
  return 0;
}
