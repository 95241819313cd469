// events.csv: the marketing and product signals of every account (see README.md, "Events").
#pragma once

#include "tools/fulcrum-gen/CsvFile.h"
#include "tools/fulcrum-gen/World.h"

namespace fulcrum::gen {

// Writes exactly world.events rows, ordered by account and then date, in parallel blocks of
// accounts.
void writeEvents(const World& world, CsvFile& file);

} // namespace fulcrum::gen
