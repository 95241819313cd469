// Iterative depth-first search: white/grey/black colouring; a grey target is a cycle.
#include "compiler/check/Graph.h"

#include <algorithm>
#include <utility>

namespace fulcrum {

DependencyOrder orderDependencies(const std::vector<std::vector<int>>& dependsOn) {
  enum Colour : char { White, Grey, Black };
  const int n = static_cast<int>(dependsOn.size());
  std::vector<Colour> colour(n, White);
  std::vector<bool> inCycle(n, false);
  DependencyOrder result;
  std::vector<std::pair<int, size_t>> stack; // node, next edge to follow
  for (int root = 0; root < n; ++root) {
    if (colour[root] != White)
      continue;
    stack.push_back({root, 0});
    colour[root] = Grey;
    while (!stack.empty()) {
      auto& [node, edge] = stack.back();
      if (edge < dependsOn[node].size()) {
        const int next = dependsOn[node][edge++];
        if (colour[next] == White) {
          colour[next] = Grey;
          stack.push_back({next, 0});
        } else if (colour[next] == Grey && !inCycle[next]) {
          // The stack from `next` to the top is the cycle.
          std::vector<int> cycle;
          auto from = std::find_if(stack.begin(), stack.end(),
                                   [next](const auto& frame) { return frame.first == next; });
          for (auto it = from; it != stack.end(); ++it) {
            cycle.push_back(it->first);
            inCycle[it->first] = true;
          }
          cycle.push_back(next);
          result.cycles.push_back(std::move(cycle));
        }
        continue;
      }
      colour[node] = Black;
      stack.pop_back();
    }
  }
  // Nodes are emitted after all their dependencies: a second pass in post-order, skipping
  // nodes that are in or depend on a cycle.
  std::vector<char> state(n, 0); // 0 unvisited, 1 on stack, 2 done
  std::vector<bool> blocked(inCycle);
  for (int root = 0; root < n; ++root) {
    if (state[root])
      continue;
    stack.push_back({root, 0});
    state[root] = 1;
    while (!stack.empty()) {
      auto& [node, edge] = stack.back();
      if (edge < dependsOn[node].size()) {
        const int next = dependsOn[node][edge++];
        if (state[next] == 0) {
          state[next] = 1;
          stack.push_back({next, 0});
        } else if (blocked[next] || state[next] == 1) {
          blocked[node] = true;
        }
        continue;
      }
      const int done = node;
      stack.pop_back();
      state[done] = 2;
      if (!stack.empty() && blocked[done])
        blocked[stack.back().first] = true;
      if (!blocked[done])
        result.order.push_back(done);
    }
  }
  return result;
}

} // namespace fulcrum
