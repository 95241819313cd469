// The two benchmark frameworks, bench/frameworks/llr.fulcrum and targets.fulcrum, written out
// by hand: every output column for every rep, in the frameworks' column order.
#pragma once

#include "bench/handwritten/Calendar.h"
#include "bench/handwritten/Dataset.h"
#include "bench/handwritten/ResultTable.h"

namespace handwritten {

struct RunSettings {
  DayRange period;  // the evaluation quarter
  int32_t asOf = 0; // `days_since` counts to this day: the period's last day
  int threads = 1;
};

ResultTable evaluateLlr(const Dataset& data, const RunSettings& run);
ResultTable evaluateTargets(const Dataset& data, const RunSettings& run);

} // namespace handwritten
