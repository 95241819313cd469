// The facts about a subject's aggregates, each true for any rows a table can hold:
//  - counts are whole and non-negative and always present; a sum of no rows is 0 (a sum past
//    money's range is missing);
//  - an aggregate of a field declared in a range lies in the range (a sum: between the row count
//    times the ends), avg, min, max and median of the same rows are present together and
//    min <= avg, median <= max; none of them is present without a row;
//  - a filter that implies another (decided by the solver over one row's columns) counts at most
//    as many rows, and sums at most as much of a non-negative field;
//  - a filter that no row can pass counts no rows; a first, last, min or max is the value of a
//    row its filter takes (a witness row: its columns fresh values in their declared ranges), so
//    `first(flag where flag)` is true and `first(x where false)` missing.
// Anything else about an aggregate is free: a proof over these facts holds for every data set;
// a counterexample is values that the facts allow.
#include "compiler/prove/Aggregates.h"

#include "compiler/prove/TimedSolver.h"

#include <cmath>
#include <fmt/format.h>
#include <map>

namespace fulcrum::prove {

using runtime::AggregateUpdate;
using runtime::PNode;
using runtime::POp;
using runtime::ScanKernel;

namespace {

bool isCount(AggregateKind kind) {
  return kind == AggregateKind::Count || kind == AggregateKind::CountDistinct;
}
// An aggregate whose value is one row's value.
bool isOneRowsValue(AggregateKind kind) {
  return kind == AggregateKind::First || kind == AggregateKind::Last ||
         kind == AggregateKind::Min || kind == AggregateKind::Max;
}
bool isOrderStatistic(AggregateKind kind) {
  return kind == AggregateKind::Avg || kind == AggregateKind::Min || kind == AggregateKind::Max ||
         kind == AggregateKind::Median;
}

// One scan's rows in the solver: one row's columns as fresh values, to decide whether one filter
// implies another.
class RowModel {
public:
  RowModel(Encoder& encoder, const ScanKernel& scan) : encoder_(encoder), scan_(scan) {
    encoder.encode(
        scan.nodes, 0, static_cast<uint32_t>(scan.nodes.size()),
        [&](const PNode& n) { return leaf(n); }, nodes_);
  }

  // Whether filter `a` (a node, -1 for every row) being true implies `b` being true.
  bool implies(int32_t a, int32_t b, const std::vector<z3::expr>& facts) {
    if (b < 0 || a == b)
      return true;
    if (a < 0)
      return false;
    z3::context& ctx = encoder_.ctx();
    z3::solver solver = timedSolver(ctx, 200u);
    for (const z3::expr& fact : facts)
      solver.add(fact);
    solver.add(truth(a) && !truth(b));
    return solver.check() == z3::unsat;
  }

  // Whether some row may pass filter `a` (-1 for every row); no answer counts as yes.
  bool satisfiable(int32_t a, const std::vector<z3::expr>& facts) {
    if (a < 0)
      return true;
    z3::solver solver = timedSolver(encoder_.ctx(), 200u);
    for (const z3::expr& fact : facts)
      solver.add(fact);
    solver.add(truth(a));
    return solver.check() != z3::unsat;
  }

  // That this row passes filter `filter` (-1: every row) with `value` present and equal to
  // `aggregate`: what a first, last, min or max says of the row whose value it is. The equality
  // is left out when the value may carry rounding (the engines' double is not the exact value);
  // a filter's comparisons are the encoder's, loosened in the loosened model as everywhere.
  z3::expr takes(int32_t filter, int32_t value, const SymValue& aggregate) {
    z3::expr passes = filter < 0 ? encoder_.ctx().bool_val(true) : truth(filter);
    const SymValue& v = *nodes_[static_cast<size_t>(value)];
    if (v.approximations & kRounded)
      return passes;
    return passes && v.present && v.value == aggregate.value;
  }

private:
  z3::expr truth(int32_t node) {
    const SymValue& v = *nodes_[static_cast<size_t>(node)];
    return v.present && v.value != encoder_.ctx().real_val(0);
  }
  SymValue leaf(const PNode& n) {
    if (n.op == POp::Column || n.op == POp::RefColumn) {
      // A column of the row, or of the row its reference `b` names: `owner.quota` and
      // `helper.quota` are two values (one variable for both made `owner.quota >
      // helper.quota` a filter no row passes).
      const std::pair<uint32_t, int64_t> key{n.a, n.op == POp::RefColumn ? int64_t{n.b} : -1};
      auto it = columns_.find(key);
      if (it == columns_.end()) {
        const runtime::Plan& plan = encoder_.plan();
        SymValue v = encoder_.freshColumn(n.a, plan.columns[n.a].name);
        // Through an optional reference a required field is missing when the reference is
        // (`d_helper.name is missing` of a `d_helper: rep?`: taken for a filter no row passes,
        // the prover proved components the runs clamped, prove_soundness seeds 2545, 3052).
        if (n.op == POp::RefColumn && !plan.columns[n.b].neverMissing)
          v.present = v.present && encoder_.freeValue("reference present", kExact).present;
        it = columns_.emplace(key, v).first;
      }
      return it->second;
    }
    return encoder_.freeValue("row value", kAcrossSubjects);
  }

  Encoder& encoder_;
  const ScanKernel& scan_;
  std::vector<std::optional<SymValue>> nodes_;
  std::map<std::pair<uint32_t, int64_t>, SymValue> columns_; // (column, reference or -1)
};

// The declared range of an aggregated value: a column read as it is; else none.
std::pair<std::optional<double>, std::optional<double>>
valueRange(Encoder& encoder, const ScanKernel& scan, int32_t value) {
  if (value < 0)
    return {};
  const PNode& n = scan.nodes[static_cast<size_t>(value)];
  if (n.op == POp::Column || n.op == POp::RefColumn)
    return encoder.columnRange(n.a);
  return {};
}

// Whether an aggregated value is a column of type count (whole numbers).
bool wholeColumn(Encoder& encoder, const ScanKernel& scan, int32_t value) {
  if (value < 0)
    return false;
  const PNode& n = scan.nodes[static_cast<size_t>(value)];
  if (n.op != POp::Column && n.op != POp::RefColumn)
    return false;
  const runtime::Plan& plan = encoder.plan();
  const runtime::BoundColumnSpec& spec = plan.columns[n.a];
  if (spec.slotInput || spec.table >= plan.tables.size() ||
      spec.field >= plan.tables[spec.table].fields.size())
    return false;
  return plan.tables[spec.table].fields[spec.field].type == runtime::ValueType::Count;
}

bool neverMissing(Encoder& encoder, const ScanKernel& scan, int32_t value) {
  if (value < 0)
    return true;
  const PNode& n = scan.nodes[static_cast<size_t>(value)];
  return n.op == POp::Column && encoder.plan().columns[n.a].neverMissing;
}

} // namespace

std::vector<std::optional<SymValue>> encodeAggregates(Encoder& encoder) {
  const runtime::Plan& plan = encoder.plan();
  z3::context& ctx = encoder.ctx();
  // A bound `bound` of a rounded value `v` (an average, a median): loosened, moved outwards
  // (direction -1 down, 1 up) by a relative 1e-9, since the double may pass it by a rounding.
  auto widened = [&](const SymValue& v, const z3::expr& bound, int direction) {
    if (!encoder.loose() || !(v.approximations & kRounded))
      return bound;
    const z3::expr margin =
        ctx.real_val(1, 1000000000) * z3::ite(bound < ctx.real_val(0), -bound, bound);
    return direction < 0 ? bound - margin : bound + margin;
  };
  std::vector<std::optional<SymValue>> aggregates(plan.aggregateCount);
  std::vector<z3::expr>& facts = encoder.facts();
  const z3::expr zero = ctx.real_val(0), yes = ctx.bool_val(true);
  for (const ScanKernel& scan : plan.scans) {
    if (scan.peerStage >= 0)
      continue; // a peer step's accumulation: its outputs are free slots
    const std::string table = plan.tables[scan.table].name;
    // Every update's value first, then the facts between them.
    for (const AggregateUpdate& u : scan.updates) {
      const std::string name =
          fmt::format("{}({})#{}", aggregateSpelling(u.kind), table, u.aggregate);
      SymValue v{ctx.real_const(name.c_str()), yes};
      if (isCount(u.kind)) {
        v.value = z3::to_real(ctx.int_const(name.c_str()));
        facts.push_back(v.value >= zero);
      } else if (u.kind == AggregateKind::Sum) {
        if (u.money)
          v.value = z3::to_real(ctx.int_const(name.c_str()));
        // A sum past money's range (or a double's) is missing; over no rows it is 0.
        v.present = ctx.bool_const((name + ".present").c_str());
      } else {
        v.present = ctx.bool_const((name + ".present").c_str());
      }
      v.approximations = kAggregate;
      // A sum of doubles, an average or a median's mean of two may carry rounding.
      if ((u.kind == AggregateKind::Sum && !u.money) || u.kind == AggregateKind::Avg ||
          u.kind == AggregateKind::Median)
        v.approximations |= kRounded;
      aggregates[u.aggregate] = v;
    }
    // The row count of each filter: the program's count of it, else a hidden one, so that the
    // facts below (no aggregate without a row, fewer rows under a stronger filter) always apply.
    // A hidden count is named by its scan, not its table: two scans of one table (`by owner`,
    // `by helper`) have their own filters at the same node numbers (prove_soundness seed 8306:
    // one Z3 constant for both made a `case` filter's count the count of a false one).
    std::map<int32_t, z3::expr> rowCounts;
    for (const AggregateUpdate& u : scan.updates)
      if (u.kind == AggregateKind::Count && u.value < 0)
        rowCounts.emplace(u.filter, aggregates[u.aggregate]->value);
    for (const AggregateUpdate& u : scan.updates)
      if (!rowCounts.count(u.filter)) {
        const z3::expr rows = z3::to_real(ctx.int_const(
            fmt::format("rows({})#{}#{}", table, &scan - plan.scans.data(), u.filter).c_str()));
        facts.push_back(rows >= zero);
        rowCounts.emplace(u.filter, rows);
      }
    for (const AggregateUpdate& u : scan.updates) {
      const SymValue& v = *aggregates[u.aggregate];
      const auto [low, high] = valueRange(encoder, scan, u.value);
      auto rows = rowCounts.find(u.filter);
      // A count field's sum, min and max are whole numbers.
      if (wholeColumn(encoder, scan, u.value) &&
          (u.kind == AggregateKind::Sum || u.kind == AggregateKind::Min ||
           u.kind == AggregateKind::Max))
        facts.push_back(z3::implies(v.present, z3::expr(ctx, Z3_mk_is_int(ctx, v.value))));
      if (u.kind == AggregateKind::Sum) {
        if (rows != rowCounts.end()) {
          // Up to `rows` values, each in [low, high]: the sum lies between the counts' ends.
          const z3::expr& count = rows->second;
          facts.push_back(z3::implies(count == zero, v.present && v.value == zero));
          if (low)
            facts.push_back(v.value >= count * exactReal(ctx, std::min(*low, 0.0)));
          if (high)
            facts.push_back(v.value <= count * exactReal(ctx, std::max(*high, 0.0)));
        }
        if (low && *low >= 0)
          facts.push_back(v.value >= zero);
        if (high && *high <= 0)
          facts.push_back(v.value <= zero);
      } else if (isOrderStatistic(u.kind)) {
        // A whole bound of at most 2^20 holds in doubles too: an average is the exactly rounded
        // sum over the count, and rounding is monotone, so n values in [lo, hi] sum to a double
        // in [n lo, n hi] (both doubles for fewer than 2^33 rows) and divide to one in
        // [lo, hi]; a median is one value or the mean of two, (a + b) / 2 likewise.
        auto bound = [&](double end, int direction) {
          const bool exactInDoubles = end == std::trunc(end) && std::fabs(end) <= 1048576.0;
          return exactInDoubles ? exactReal(ctx, end) : widened(v, exactReal(ctx, end), direction);
        };
        if (low)
          facts.push_back(z3::implies(v.present, v.value >= bound(*low, -1)));
        if (high)
          facts.push_back(z3::implies(v.present, v.value <= bound(*high, 1)));
        if (rows != rowCounts.end()) {
          facts.push_back(z3::implies(v.present, rows->second >= ctx.real_val(1)));
          if (neverMissing(encoder, scan, u.value))
            facts.push_back(z3::implies(rows->second >= ctx.real_val(1), v.present));
        }
      } else if (u.kind == AggregateKind::Count && u.value >= 0 && rows != rowCounts.end()) {
        facts.push_back(v.value <= rows->second); // values counted: at most the rows
      } else if (u.kind == AggregateKind::CountDistinct && rows != rowCounts.end()) {
        facts.push_back(v.value <= rows->second);
      }
    }
    // Order statistics of the same rows and value.
    for (const AggregateUpdate& u : scan.updates)
      for (const AggregateUpdate& w : scan.updates) {
        if (&u == &w || u.filter != w.filter || u.value != w.value || !isOrderStatistic(u.kind) ||
            !isOrderStatistic(w.kind))
          continue;
        const SymValue &a = *aggregates[u.aggregate], &b = *aggregates[w.aggregate];
        facts.push_back(a.present == b.present);
        if (u.kind == AggregateKind::Min && w.kind != AggregateKind::Min)
          facts.push_back(z3::implies(a.present, widened(b, a.value, -1) <= b.value));
        if (u.kind == AggregateKind::Max && w.kind != AggregateKind::Max)
          facts.push_back(z3::implies(a.present, widened(b, a.value, 1) >= b.value));
      }
    // Filters that imply others: fewer rows, a smaller sum of a non-negative value.
    RowModel rows(encoder, scan);
    const std::vector<z3::expr> rowFacts = facts;
    for (const auto& [filter, count] : rowCounts)
      for (const auto& [other, otherCount] : rowCounts)
        if (filter != other && rows.implies(filter, other, rowFacts))
          facts.push_back(count <= otherCount);
    for (const AggregateUpdate& u : scan.updates)
      for (const AggregateUpdate& w : scan.updates) {
        if (&u == &w || u.kind != w.kind || u.value != w.value || u.filter == w.filter)
          continue;
        const bool counts = u.kind == AggregateKind::Count && u.value >= 0; // rows: above
        const auto [low, high] = valueRange(encoder, scan, u.value);
        const bool nonNegativeSum = u.kind == AggregateKind::Sum && low && *low >= 0;
        if ((counts || nonNegativeSum) && rows.implies(u.filter, w.filter, rowFacts))
          facts.push_back(aggregates[u.aggregate]->value <= aggregates[w.aggregate]->value);
      }
    // What one row can be: a filter no row passes counts none (so sums are 0 and the rest
    // missing), and a first, last, min or max is a row's value, the row passing its filter.
    for (const auto& [filter, count] : rowCounts)
      if (!rows.satisfiable(filter, rowFacts))
        facts.push_back(count == zero);
    for (const AggregateUpdate& u : scan.updates) {
      if (!isOneRowsValue(u.kind) || u.value < 0)
        continue;
      const SymValue& v = *aggregates[u.aggregate];
      if (auto count = rowCounts.find(u.filter); count != rowCounts.end())
        facts.push_back(z3::implies(v.present, count->second >= ctx.real_val(1)));
      RowModel witness(encoder, scan);
      facts.push_back(z3::implies(v.present, witness.takes(u.filter, u.value, v)));
    }
  }
  return aggregates;
}

} // namespace fulcrum::prove
