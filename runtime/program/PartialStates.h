// A subject's aggregate as a partial ships it (runtime/program/Partials.h): its mergeable state,
// not its finalized value, so that the second stage merges the states of one subject from
// several partitions and finalizes once, exactly as one process does after its chunks:
//   an accumulating aggregate (sum, count, avg, min, max, first, last): its block of doubles,
//     each as its 64 bits (an exact sum's window is integers, not doubles), the values that
//     escaped an exact sum's window (bits too), and for first/last of a text the text;
//   an aggregate that keeps values (median, count distinct): the values (bits, or texts).
// Merging follows the traits (runtime/exec/AggregateTraits.h): exact sums and counts add in any
// order; first and last take a later partition's row as later rows, so Partials.cpp merges the
// partitions of a table in the order of their names.
#pragma once

#include "runtime/program/Run.h"

#include <nlohmann/json.hpp>
#include <string>
#include <unordered_map>

namespace fulcrum::runtime {

// The run's string pool by text, for the texts partials bring (they join the pool).
class RunTexts {
public:
  explicit RunTexts(std::vector<std::string>& strings);
  int32_t code(const std::string& text);

private:
  std::vector<std::string>& strings_;
  std::unordered_map<std::string, int32_t> codes_;
};

// Why a subject's rows of the table `scan` reads cannot be spread over partitions for `update`
// (its state would need every row of the subject first), or "".
std::string wholeSubjectRows(const ScanKernel& scan, const AggregateUpdate& update);

// The state of `update` for subject `s` after the run's scans.
nlohmann::json partialState(const Run& run, const AggregateUpdate& update, size_t s);

// Merges a shipped state into the run's blocks and kept values for (`update`, `s`), as rows
// after those merged before; "" or what is wrong with the state.
std::string mergePartialState(Run& run, RunTexts& texts, const AggregateUpdate& update, size_t s,
                              const nlohmann::json& state);

} // namespace fulcrum::runtime
