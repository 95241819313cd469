// What Program::load hands to Program::evaluate: the loaded tables and their binding to the plan.
#pragma once

#include "runtime/Program.h"
#include "runtime/bind/Binder.h"
#include "runtime/data/Loader.h"

namespace fulcrum::runtime {

struct LoadedData {
  LoadResult loaded;
  BoundData bound;
};

} // namespace fulcrum::runtime
