// Finding category counts in a scan (see CategoryCounts.h).
#include "runtime/jit/CategoryCounts.h"

#include <algorithm>

namespace fulcrum::runtime::jit {
namespace {

// Node `index` as `column == code` with an int32 column and a whole constant.
bool isCodeTest(const Plan& plan, const ScanKernel& scan, uint32_t index, uint32_t& column,
                int32_t& code) {
  const PNode& n = scan.nodes[index];
  if (n.op != POp::Eq || n.a >= index || n.b >= index)
    return false;
  const bool columnFirst = scan.nodes[n.a].op == POp::Column;
  const PNode& c = scan.nodes[columnFirst ? n.a : n.b];
  const PNode& k = scan.nodes[columnFirst ? n.b : n.a];
  if (c.op != POp::Column || k.op != POp::Const || plan.columns[c.a].storage != Storage::I32 ||
      k.value != static_cast<double>(static_cast<int32_t>(k.value)))
    return false;
  column = columnFirst ? n.a : n.b;
  code = static_cast<int32_t>(k.value);
  return true;
}

// `filter` as `column == code and P` (or `column == code` alone, P = -1).
bool splitFilter(const Plan& plan, const ScanKernel& scan, int32_t filter, uint32_t& column,
                 int32_t& code, int32_t& shared) {
  if (filter < 0)
    return false;
  const auto at = static_cast<uint32_t>(filter);
  if (isCodeTest(plan, scan, at, column, code)) {
    shared = -1;
    return true;
  }
  const PNode& n = scan.nodes[at];
  if (n.op != POp::And || n.a >= at || n.b >= at)
    return false;
  if (isCodeTest(plan, scan, n.a, column, code)) {
    shared = static_cast<int32_t>(n.b);
    return true;
  }
  if (isCodeTest(plan, scan, n.b, column, code)) {
    shared = static_cast<int32_t>(n.a);
    return true;
  }
  return false;
}

void markConsecutive(const ScanKernel& scan, CategoryCounts& group) {
  group.low = *std::min_element(group.codes.begin(), group.codes.end());
  group.firstAggregate = scan.updates[group.updates[0]].aggregate;
  group.consecutive = true;
  for (size_t k = 0; k < group.updates.size(); ++k)
    group.consecutive = group.consecutive &&
                        group.codes[k] == group.low + static_cast<int32_t>(k) &&
                        scan.updates[group.updates[k]].aggregate == group.firstAggregate + k;
}

} // namespace

std::vector<CategoryCounts> categoryCounts(const Plan& plan, const ScanKernel& scan) {
  std::vector<CategoryCounts> groups;
  if (scan.peerStage >= 0)
    return groups;
  for (size_t u = 0; u < scan.updates.size(); ++u) {
    const AggregateUpdate& update = scan.updates[u];
    uint32_t column = 0;
    int32_t code = 0, shared = -1;
    if (update.kind != AggregateKind::Count || update.value >= 0 ||
        !splitFilter(plan, scan, update.filter, column, code, shared))
      continue;
    auto group = std::find_if(groups.begin(), groups.end(), [&](const CategoryCounts& g) {
      return scan.nodes[g.column].a == scan.nodes[column].a && g.shared == shared &&
             std::find(g.codes.begin(), g.codes.end(), code) == g.codes.end();
    });
    if (group == groups.end())
      group = groups.insert(groups.end(), CategoryCounts{column, shared, {}, {}});
    group->updates.push_back(u);
    group->codes.push_back(code);
  }
  std::erase_if(groups, [](const CategoryCounts& g) { return g.updates.size() < 2; });
  for (CategoryCounts& group : groups)
    markConsecutive(scan, group);
  return groups;
}

int64_t scratchPerSubject(const Plan& plan, const ScanKernel& scan) {
  int64_t doubles = 0;
  for (const CategoryCounts& group : categoryCounts(plan, scan))
    if (group.consecutive)
      doubles += static_cast<int64_t>(group.updates.size());
  return doubles;
}

} // namespace fulcrum::runtime::jit
