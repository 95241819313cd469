// The benchmark frameworks written out by hand: bench/frameworks/llr.fulcrum, targets.fulcrum and
// deals.fulcrum (every output column for every rep, in the frameworks' column order), and
// account_lens of
// bench/frameworks/events.fulcrum (every column for every account, and its alert feed).
#pragma once

#include "bench/handwritten/AccountData.h"
#include "bench/handwritten/Calendar.h"
#include "bench/handwritten/Dataset.h"
#include "bench/handwritten/PipelineData.h"
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
// deals (bench/frameworks/deals.fulcrum) over the deals shape.
ResultTable evaluateDeals(const PipelineData& data, const RunSettings& run);

// One alert of the feed: its subject (an account row), which alert (0 decision_maker_move, 1
// gone_quiet: declaration order), its date, the event row that fired it (-1 for the passive one)
// and its message.
struct Alert {
  int32_t subject = 0;
  uint8_t alert = 0;
  int32_t date = 0;
  int64_t row = -1;
  std::string message;
};

struct LensResult {
  ResultTable table;
  std::vector<Alert> alerts; // in the feed's order; empty unless asked for
  double alertSeconds = 0;   // the part of the evaluation that made and ordered the alerts
};

// account_lens as of `asOf`, with its alert feed when `alerts`.
LensResult evaluateAccountLens(const AccountData& data, int32_t asOf, int threads, bool alerts);
// The feed as `fulcrum alerts --format csv` writes it.
void writeAlertsCsv(const std::string& path, const std::vector<std::string>& keys,
                    const std::vector<Alert>& alerts);

} // namespace handwritten
