// The per-rep and per-account files: reps, accounts, ratings and quotas.
#pragma once

#include "tools/fulcrum-gen/CsvFile.h"
#include "tools/fulcrum-gen/World.h"

namespace fulcrum::gen {

void writeReps(const World& world, CsvFile& file);
void writeAccounts(const World& world, CsvFile& file);
void writeRatings(const World& world, CsvFile& file);
void writeQuotas(const World& world, CsvFile& file);

} // namespace fulcrum::gen
