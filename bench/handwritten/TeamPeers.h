// `avg(x across rep by team)` and `median(x across rep by team)`: over the reps sharing the
// rep's team, the rep included, skipping missing values; missing when no peer has a value.
#pragma once

#include "bench/handwritten/Maybe.h"

#include <cstdint>
#include <vector>

namespace handwritten {

class TeamPeers {
public:
  // `team`: each rep's team text code.
  explicit TeamPeers(const std::vector<int32_t>& team);

  // Summed in rep order, as Fulcrum's peer scan does.
  std::vector<Maybe> average(const std::vector<Maybe>& values) const;
  // The middle value, or the mean of the two middle ones for an even count.
  std::vector<Maybe> median(const std::vector<Maybe>& values) const;

private:
  std::vector<uint32_t> groupOf_; // rep -> dense team index
  size_t groups_ = 0;
};

} // namespace handwritten
