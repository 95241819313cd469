// The two tables of bench/frameworks/events.fulcrum as columns: the accounts (the subjects) and
// their events. Text as codes in one shared dictionary (-1 for a missing `contact`), dates as
// day numbers, the event's account as the account's row index.
#pragma once

#include "bench/handwritten/StringIndex.h"

#include <cstdint>
#include <string>
#include <vector>

namespace handwritten {

struct Accounts {
  std::vector<std::string> ids; // the key, printed as the result's `id` and the alert's subject
  std::vector<int32_t> name;
  std::vector<double> employees;
  size_t size() const { return ids.size(); }
};

struct Events {
  std::vector<int32_t> account, contact, kind, at;
  std::vector<double> weight;
  size_t size() const { return account.size(); }
};

struct AccountData {
  StringIndex text; // every text column's codes
  Accounts accounts;
  Events events;
};

// Reads DIR/accounts.csv and DIR/events.csv, the events with `threads` threads; throws
// LoadError.
AccountData loadAccountData(const std::string& dir, int threads);

} // namespace handwritten
