// The five tables of bench/frameworks/data.fulcrum as columns: text as codes in one shared
// dictionary, dates as day numbers (kNoDay when missing), references as rep row indexes,
// periods as periodKey values, numbers as doubles, money as whole units of 1/10,000 in doubles
// (Maybe.h: moneyUnits), as Fulcrum holds it.
#pragma once

#include "bench/handwritten/StringIndex.h"

#include <cstdint>
#include <string>
#include <vector>

namespace handwritten {

struct Reps {
  std::vector<std::string> ids; // the key, printed as the result's `id`
  std::vector<int32_t> team;
  std::vector<int32_t> hired;
  size_t size() const { return ids.size(); }
};

struct Deals {
  std::vector<int32_t> owner, stage, closed;
  std::vector<double> value; // money units; 0 when missing
  std::vector<uint8_t> valuePresent;
};

struct Activities {
  std::vector<int32_t> rep, day, kind;
  size_t size() const { return rep.size(); }
};

struct Ratings {
  std::vector<int32_t> rep;
  std::vector<int64_t> quarter;
  std::vector<double> leadership, leverage;
};

struct Quotas {
  std::vector<int32_t> rep;
  std::vector<int64_t> quarter;
  std::vector<double> quota; // money units
};

struct Dataset {
  StringIndex text; // every text column's codes
  Reps reps;
  Deals deals;
  Activities activities;
  Ratings ratings;
  Quotas quotas;
};

// Reads DIR/reps.csv, deals.csv, activities.csv, ratings.csv and quotas.csv, the activities
// with `threads` threads; throws LoadError.
Dataset loadDataset(const std::string& dir, int threads);

} // namespace handwritten
