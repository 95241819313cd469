// `fulcrum alerts --state FILE`: which alerts a daily job has already delivered, so that it
// prints only new ones. Active alerts are remembered once delivered; a passive one while its
// condition holds, so that it fires again only after its condition has stopped holding for a
// run. The file is JSON, written all or nothing (write, fsync, rename); a file that is not a
// state file, is damaged, or belongs to another framework is an error, never a silent reset.
#pragma once

#include "runtime/output/AlertFeed.h"

#include <set>
#include <string>
#include <vector>

namespace fulcrum::cli {

struct AlertState {
  std::string framework;
  std::set<std::string> delivered; // active alerts' identities
  std::set<std::string> holding;   // passive alerts' identities whose condition held last run
};

// Reads `path` (a missing file is an empty state) for `framework`; false and `error` when the
// file cannot be read or is not a state file of that framework.
bool readAlertState(const std::string& path, const std::string& framework, AlertState& state,
                    std::string& error);
bool writeAlertState(const std::string& path, const AlertState& state, std::string& error);

// The alerts to print from this run's `alerts` (in order), and the state after delivering them.
std::vector<runtime::AlertRecord> newAlerts(const std::vector<runtime::AlertRecord>& alerts,
                                            AlertState& state);

} // namespace fulcrum::cli
