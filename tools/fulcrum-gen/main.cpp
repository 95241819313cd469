// fulcrum-gen: writes a realistic, deterministic sales data set as CSV files (see README.md).
#include "tools/fulcrum-gen/Activities.h"
#include "tools/fulcrum-gen/Events.h"
#include "tools/fulcrum-gen/Pipeline.h"
#include "tools/fulcrum-gen/Tables.h"

#include <chrono>
#include <cstdio>
#include <exception>
#include <filesystem>
#include <fmt/format.h>
#include <memory>
#include <optional>
#include <stdexcept>
#include <vector>

using namespace fulcrum::gen;

namespace {

void printSummary(const std::vector<std::unique_ptr<CsvFile>>& files, double seconds,
                  const Options& options) {
  uint64_t total = 0;
  for (const auto& file : files) {
    fmt::print("{:<16} {:>12} rows {:>14} bytes\n", file->name(), file->rows(), file->bytes());
    total += file->bytes();
  }
  const double megabytes = total / 1e6;
  fmt::print("{:.1f} MB in {:.2f} s ({:.0f} MB/s, {} threads) into {}\n", megabytes, seconds,
             seconds > 0 ? megabytes / seconds : 0.0, options.threads, options.outDir);
}

} // namespace

int main(int argc, char** argv) {
  int exitCode = 0;
  const std::optional<Options> options = parseOptions(argc, argv, exitCode);
  if (!options)
    return exitCode;
  try {
    const auto started = std::chrono::steady_clock::now();
    std::error_code error;
    std::filesystem::create_directories(options->outDir, error);
    if (error)
      throw std::runtime_error("cannot create " + options->outDir + ": " + error.message());
    std::vector<std::unique_ptr<CsvFile>> files;
    auto open = [&](std::string_view name, std::string_view header) -> CsvFile& {
      files.push_back(std::make_unique<CsvFile>(options->outDir, name, header));
      return *files.back();
    };
    if (options->pipeline) {
      writePipeline(*options, open);
      for (const auto& file : files)
        file->close();
      const std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - started;
      printSummary(files, elapsed.count(), *options);
      return 0;
    }
    const World world(*options);
    writeReps(world, open("reps.csv", "rep_id,name,team,manager,region,hire_date"));
    writeAccounts(world,
                  open("accounts.csv", "account_id,name,sector,employees,owner,renewal_date"));
    CsvFile& deals = open("deals.csv", "deal_id,owner,account,product,stage,engaged,closed,value");
    CsvFile& activities = open("activities.csv", "rep,account,day,kind");
    writeActivitiesAndDeals(world, activities, deals);
    writeEvents(world, open("events.csv", "account,contact,kind,at,weight"));
    writeRatings(world, open("ratings.csv", "rep,quarter,leadership,leverage"));
    writeQuotas(world, open("quotas.csv", "rep,quarter,quota"));
    for (const auto& file : files)
      file->close();

    const std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - started;
    printSummary(files, elapsed.count(), *options);
  } catch (const std::exception& failure) {
    std::fprintf(stderr, "fulcrum-gen: %s\n", failure.what());
    return 1;
  }
  return 0;
}
