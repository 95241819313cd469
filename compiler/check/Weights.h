// How much each key result counts in its objective's score (language.md, "Key results"): the
// weights given, and what remains of 100% shared equally by the key results given none; with no
// weight at all, equal shares; with a weight on every key result, the weighted mean (each weight
// over their total). The checker reports the shares that cannot be used, the lowering builds the
// score from them: one rule in one place.
#pragma once

#include "compiler/ast/Ast.h"

#include <vector>

namespace fulcrum {

struct KeyResultShares {
  std::vector<double> shares; // per key result, in declaration order; they add up to 1
  double givenTotal = 0;      // the weights given, added up (a fraction)
  size_t unweighted = 0;      // key results without a weight

  // Weights above 100% in total: an error.
  bool overfull() const;
  // No share above 0 (every weight 0%, nothing left for the others): no score, an error.
  bool empty() const;
  // Key results without a weight that get 0% because the others take all of 100%: a warning.
  bool leavesNothing() const {
    return unweighted > 0 && !overfull() && !empty() && remaining() <= 0;
  }
  double remaining() const;
};

KeyResultShares keyResultShares(const ast::ObjectiveMember& objective);

} // namespace fulcrum
