// Dependency graphs over small integer nodes: an order where each node follows what it depends
// on, and the cycles that prevent one. Iterative, so 50,000 chained metrics do not recurse.
#pragma once

#include <vector>

namespace fulcrum {

struct DependencyOrder {
  std::vector<int> order;               // acyclic nodes, dependencies first
  std::vector<std::vector<int>> cycles; // each cycle as a path a -> b -> ... (back to a)
};

// `dependsOn[n]` lists the nodes n reads. Self-loops are cycles of length one.
DependencyOrder orderDependencies(const std::vector<std::vector<int>>& dependsOn);

} // namespace fulcrum
