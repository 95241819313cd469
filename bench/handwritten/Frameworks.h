// The two benchmark frameworks, bench/frameworks/llr.fulcrum and targets.fulcrum, written out
// by hand: every output column for every rep, in the frameworks' column order.
#pragma once

#include "bench/handwritten/Calendar.h"
#include "bench/handwritten/Dataset.h"
#include "bench/handwritten/ResultTable.h"

namespace handwritten {

struct RunSettings {
  DayRange period; // the evaluation quarter
  // The run's today, by default the period's last day: `in period` ends at it when it falls
  // inside the period (periodToDate), and `days_since` of a later date is missing.
  int32_t asOf = 0;
  int threads = 1;
};

ResultTable evaluateLlr(const Dataset& data, const RunSettings& run);
ResultTable evaluateTargets(const Dataset& data, const RunSettings& run);

} // namespace handwritten
