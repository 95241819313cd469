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

void markConsecutive(CategoryCounts& group) {
  group.low = *std::min_element(group.codes.begin(), group.codes.end());
  group.consecutive = true;
  for (size_t k = 0; k < group.updates.size(); ++k)
    group.consecutive = group.consecutive && group.codes[k] == group.low + static_cast<int32_t>(k);
}

// The aggregates a block scan applies from its blocks of rows.
bool inBlockScan(AggregateKind kind) {
  switch (kind) {
  case AggregateKind::Count:
  case AggregateKind::Sum:
  case AggregateKind::Avg:
  case AggregateKind::Min:
  case AggregateKind::Max:
    return true;
  default:
    return false; // first and last (an order key), median and count distinct (a call per value)
  }
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
    markConsecutive(group);
  return groups;
}

bool blockScanSafe(POp op) {
  switch (op) {
  case POp::Const:
  case POp::Missing:
  case POp::RunParam:
  case POp::Column:
  case POp::Neg:
  case POp::Add:
  case POp::Sub:
  case POp::Mul:
  case POp::Div:
  case POp::RoundMoney:
  case POp::PeriodFirst:
  case POp::PeriodLast:
  case POp::Eq:
  case POp::Ne:
  case POp::Lt:
  case POp::Le:
  case POp::Gt:
  case POp::Ge:
  case POp::Not:
  case POp::And:
  case POp::Or:
  case POp::Coalesce:
  case POp::IsMissing:
  case POp::Select:
  case POp::InRange:
  case POp::InSet:
  case POp::Clamp:
  case POp::DaysSince:
  case POp::Abs:
  case POp::Round:
  case POp::Floor:
  case POp::Ceil:
  case POp::Least:
  case POp::Greatest:
    return true;
  default:
    return false; // a call (pow, calendar months, decay, working days), a branch (a reference's
                  // row) or a per-subject read
  }
}

ScanCounters scanCounters(const Plan& plan, const ScanKernel& scan) {
  ScanCounters counters;
  counters.groups = categoryCounts(plan, scan);
  counters.blockScan = scan.peerStage < 0 && scan.matches.empty() && !scan.updates.empty() &&
                       std::all_of(scan.updates.begin(), scan.updates.end(),
                                   [](const AggregateUpdate& u) { return inBlockScan(u.kind); }) &&
                       std::all_of(scan.nodes.begin(), scan.nodes.end(),
                                   [](const PNode& n) { return blockScanSafe(n.op); });
  std::vector<bool> grouped(scan.updates.size(), false);
  for (size_t g = 0; g < counters.groups.size(); ++g) {
    const CategoryCounts& group = counters.groups[g];
    if (!group.consecutive && !counters.blockScan)
      continue;
    counters.blocks.push_back({group.updates, static_cast<int32_t>(g)});
    for (size_t u : group.updates)
      grouped[u] = true;
  }
  if (counters.blockScan)
    for (size_t u = 0; u < scan.updates.size(); ++u) {
      const AggregateKind kind = scan.updates[u].kind;
      if (kind == AggregateKind::Sum || kind == AggregateKind::Avg)
        counters.sums.push_back({u, kind == AggregateKind::Avg});
      else if (kind == AggregateKind::Min || kind == AggregateKind::Max)
        counters.extremes.push_back(u);
      else if (!grouped[u])
        counters.blocks.push_back({{u}, -1});
    }
  for (CounterBlock& block : counters.blocks) {
    block.first = counters.perSubject;
    counters.perSubject += block.width();
  }
  for (SumEntry& sum : counters.sums) {
    sum.first = counters.perSubject;
    counters.perSubject += sum.width();
  }
  return counters;
}

int64_t scratchPerSubject(const Plan& plan, const ScanKernel& scan) {
  return scanCounters(plan, scan).perSubject;
}

} // namespace fulcrum::runtime::jit
