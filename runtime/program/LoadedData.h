// What Program::load hands to Program::evaluate: the loaded tables and their binding to the plan.
#pragma once

#include "runtime/Program.h"
#include "runtime/bind/Binder.h"
#include "runtime/data/Loader.h"

namespace fulcrum::runtime {

struct LoadedData {
  LoadResult loaded;
  BoundData bound;
  std::vector<std::shared_ptr<const LoadedData>> feeds; // per Plan::feeds: their own loads
};

// A warning for each text literal of the plan that no row of its field holds (`no row of deals
// has stage "won"`, hint `did you mean "Won"?`), in the plan's order, each once.
std::vector<DataWarning> textLiteralWarnings(const Plan& plan, const LoadResult& loaded);

} // namespace fulcrum::runtime
