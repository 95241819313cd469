// Team groups as dense indexes, then one pass per peer aggregate.
#include "bench/handwritten/TeamPeers.h"

#include <algorithm>

namespace handwritten {

TeamPeers::TeamPeers(const std::vector<int32_t>& team) {
  std::vector<int32_t> groupOfCode;
  groupOf_.reserve(team.size());
  for (int32_t code : team) {
    if (static_cast<size_t>(code) >= groupOfCode.size())
      groupOfCode.resize(static_cast<size_t>(code) + 1, -1);
    int32_t& group = groupOfCode[static_cast<size_t>(code)];
    if (group < 0)
      group = static_cast<int32_t>(groups_++);
    groupOf_.push_back(static_cast<uint32_t>(group));
  }
}

std::vector<Maybe> TeamPeers::average(const std::vector<Maybe>& values) const {
  std::vector<double> sum(groups_, 0);
  std::vector<uint32_t> count(groups_, 0);
  for (size_t rep = 0; rep < groupOf_.size(); ++rep)
    if (values[rep].present) {
      sum[groupOf_[rep]] += values[rep].value;
      ++count[groupOf_[rep]];
    }
  std::vector<Maybe> out(groupOf_.size());
  for (size_t rep = 0; rep < groupOf_.size(); ++rep) {
    const uint32_t g = groupOf_[rep];
    out[rep] = count[g] ? some(sum[g] / count[g]) : kMissing;
  }
  return out;
}

std::vector<Maybe> TeamPeers::median(const std::vector<Maybe>& values) const {
  std::vector<std::vector<double>> members(groups_);
  for (size_t rep = 0; rep < groupOf_.size(); ++rep)
    if (values[rep].present)
      members[groupOf_[rep]].push_back(values[rep].value);
  std::vector<Maybe> middle(groups_);
  for (size_t g = 0; g < groups_; ++g) {
    std::vector<double>& v = members[g];
    if (v.empty())
      continue;
    const size_t half = v.size() / 2;
    std::nth_element(v.begin(), v.begin() + static_cast<long>(half), v.end());
    if (v.size() % 2) {
      middle[g] = some(v[half]);
    } else {
      // The lower middle is the largest of the lower half.
      const double lower = *std::max_element(v.begin(), v.begin() + static_cast<long>(half));
      middle[g] = some((lower + v[half]) / 2);
    }
  }
  std::vector<Maybe> out(groupOf_.size());
  for (size_t rep = 0; rep < groupOf_.size(); ++rep)
    out[rep] = middle[groupOf_[rep]];
  return out;
}

} // namespace handwritten
