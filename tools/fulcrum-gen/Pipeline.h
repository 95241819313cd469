// The deals shape (`--pipeline N`): the columns of Maven's CRM export (sales_pipeline.csv and
// its sales_teams, products and accounts files) at any number of deal rows.
#pragma once

#include "tools/fulcrum-gen/CsvFile.h"
#include "tools/fulcrum-gen/Options.h"

#include <functional>
#include <string_view>

namespace fulcrum::gen {

using OpenFile = std::function<CsvFile&(std::string_view name, std::string_view header)>;

// Writes sales_teams.csv (options.reps agents), products.csv, accounts.csv and
// sales_pipeline.csv (options.pipeline rows) through `open`.
void writePipeline(const Options& options, const OpenFile& open);

} // namespace fulcrum::gen
