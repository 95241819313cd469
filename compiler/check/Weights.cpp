#include "compiler/check/Weights.h"

#include <algorithm>

namespace fulcrum {
namespace {

// Weights are written as percentages with few digits: a total within this of 100% is 100%.
constexpr double kTolerance = 1e-9;

} // namespace

bool KeyResultShares::overfull() const {
  return givenTotal > 1 + kTolerance;
}

bool KeyResultShares::empty() const {
  return std::none_of(shares.begin(), shares.end(), [](double share) { return share > 0; });
}

double KeyResultShares::remaining() const {
  const double left = 1 - givenTotal;
  return left > kTolerance ? left : 0;
}

KeyResultShares keyResultShares(const ast::ObjectiveMember& objective) {
  KeyResultShares result;
  for (const ast::KeyResult& kr : objective.keyResults) {
    if (kr.weight)
      result.givenTotal += *kr.weight;
    else
      ++result.unweighted;
  }
  const size_t count = objective.keyResults.size();
  for (const ast::KeyResult& kr : objective.keyResults) {
    double share = 0;
    if (result.unweighted == count)
      share = 1.0 / static_cast<double>(count);
    else if (result.unweighted == 0)
      share = result.givenTotal > 0 ? *kr.weight / result.givenTotal : 0;
    else if (!result.overfull())
      share = kr.weight ? *kr.weight : result.remaining() / static_cast<double>(result.unweighted);
    result.shares.push_back(share);
  }
  return result;
}

} // namespace fulcrum
