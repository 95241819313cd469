// activities.csv and deals.csv, written together day by day: every demo opens a deal on its day.
#pragma once

#include "tools/fulcrum-gen/CsvFile.h"
#include "tools/fulcrum-gen/World.h"

namespace fulcrum::gen {

// Writes exactly options.activities activity rows and one deal per demo.
void writeActivitiesAndDeals(const World& world, CsvFile& activities, CsvFile& deals);

} // namespace fulcrum::gen
