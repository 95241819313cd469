// The LLVM JIT against the reference interpreter: hand-built plans run through both engines on
// identical KernelArgs must leave bit-identical accumulators, distinct sets and slots. Also the
// JIT's IR dump, its errors on malformed plans, concurrent compiles, and that destroying an
// engine frees its code (1,000 programs in one process).
#include "runtime/exec/Aggregation.h"
#include "runtime/exec/Engine.h"
#include "runtime/jit/CategoryCounts.h"
#include "runtime/jit/Jit.h"
#include "tests/unit/MemoryProbe.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <gtest/gtest.h>
#include <limits>
#include <random>
#include <span>
#include <thread>
#include <unistd.h>

namespace fulcrum::runtime {
namespace {

const double kNaN = std::numeric_limits<double>::quiet_NaN();
const double kInf = std::numeric_limits<double>::infinity();

// --- Building plans -----------------------------------------------------------------------------

// Appends nodes to a kernel's node list; returns their indexes.
struct Nodes {
  std::vector<PNode>& nodes;

  uint32_t add(POp op, uint32_t a = 0, uint32_t b = 0, uint32_t c = 0,
               std::vector<uint32_t> list = {}) {
    PNode n;
    n.op = op;
    n.a = a;
    n.b = b;
    n.c = c;
    n.list = std::move(list);
    nodes.push_back(std::move(n));
    return static_cast<uint32_t>(nodes.size() - 1);
  }
  uint32_t constant(double value) {
    const uint32_t at = add(POp::Const);
    nodes[at].value = value;
    return at;
  }
};

uint32_t addColumn(Plan& plan, uint32_t table, Storage storage, const std::string& name) {
  plan.columns.push_back({table, static_cast<uint32_t>(plan.columns.size()), storage, name});
  return static_cast<uint32_t>(plan.columns.size() - 1);
}

// Slot `slot` = the nodes appended by `build` (their last node is the result).
template <typename Build> void assign(Plan& plan, uint32_t slot, Build build) {
  Nodes nodes{plan.formulas.nodes};
  const auto begin = static_cast<uint32_t>(plan.formulas.nodes.size());
  build(nodes);
  plan.formulas.assigns.push_back(
      {slot, {begin, static_cast<uint32_t>(plan.formulas.nodes.size())}});
  plan.slotCount = std::max(plan.slotCount, slot + 1);
}

// --- Inputs and outputs -------------------------------------------------------------------------

// One bound column's data, stored as its Storage says; `valid` 1 = present.
struct ColumnData {
  std::vector<double> f64;
  std::vector<int32_t> i32;
  std::vector<uint8_t> u8;
  std::vector<uint8_t> valid;

  const void* values() const {
    return !f64.empty()   ? static_cast<const void*>(f64.data())
           : !i32.empty() ? static_cast<const void*>(i32.data())
                          : static_cast<const void*>(u8.data());
  }
};

struct Inputs {
  std::vector<ColumnData> columns;               // by Plan::columns
  std::vector<std::vector<int32_t>> rowSubjects; // by scan
  int64_t subjects = 0;
  std::vector<int32_t> subjectRows;
  std::vector<double> runValues;
  std::vector<uint8_t> runValid;
  std::vector<double> aggregateValues; // [aggregate * subjects + subject]
  std::vector<uint8_t> aggregateValid;
};

struct Outputs {
  std::vector<double> accumulators;
  CollectedValues collected;
  size_t aggregates = 0, subjects = 0;
  std::vector<double> slotValues;
  std::vector<uint8_t> slotValid;
};

// Runs every scan, then the formulas, on fresh zeroed outputs.
Outputs run(const Engine& engine, const Plan& plan, const Inputs& in) {
  const auto subjects = static_cast<size_t>(in.subjects);
  Outputs out;
  out.accumulators.assign(plan.aggregateCount * subjects * kAccumulatorWidth, 0.0);
  out.collected = CollectedValues(plan, subjects);
  out.aggregates = plan.aggregateCount;
  out.subjects = subjects;
  out.slotValues.assign(plan.slotCount * subjects, 0.0);
  out.slotValid.assign(plan.slotCount * subjects, 0);

  std::vector<const void*> columnValues;
  std::vector<const uint8_t*> columnValid;
  for (const ColumnData& column : in.columns) {
    columnValues.push_back(column.values());
    columnValid.push_back(column.valid.data());
  }
  KernelArgs args{};
  args.columnValues = columnValues.data();
  args.columnValid = columnValid.data();
  args.subjects = in.subjects;
  args.subjectRows = in.subjectRows.data();
  args.runValues = in.runValues.data();
  args.runValid = in.runValid.data();
  args.accumulators = out.accumulators.data();
  args.collectedValues = &out.collected;
  args.aggregateValues = in.aggregateValues.data();
  args.aggregateValid = in.aggregateValid.data();
  args.slotValues = out.slotValues.data();
  args.slotValid = out.slotValid.data();
  for (size_t s = 0; s < plan.scans.size(); ++s) {
    args.rowSubjects = in.rowSubjects[s].data();
    args.rows = static_cast<int64_t>(in.rowSubjects[s].size());
    std::vector<int64_t> scratch(
        static_cast<size_t>(engine.scratchPerSubject(s) * std::max<int64_t>(in.subjects, 0)), 0);
    args.scratch = scratch.empty() ? nullptr : scratch.data();
    engine.runScan(s, args);
    EXPECT_TRUE(std::all_of(scratch.begin(), scratch.end(), [](int64_t c) { return c == 0; }))
        << "a kernel must leave its scratch zeroed";
  }
  engine.runFormulas(0, args);
  return out;
}

// Kept values as sorted bit patterns, so that sets compare bit for bit.
std::vector<uint64_t> bits(const std::vector<double>& values) {
  std::vector<uint64_t> out;
  for (double v : values)
    out.push_back(std::bit_cast<uint64_t>(v));
  std::sort(out.begin(), out.end());
  return out;
}

// The first difference between two arrays of doubles, bit for bit, or "".
std::string firstDifference(const std::vector<double>& a, const std::vector<double>& b) {
  if (a.size() != b.size())
    return "sizes differ";
  for (size_t i = 0; i < a.size(); ++i)
    if (std::bit_cast<uint64_t>(a[i]) != std::bit_cast<uint64_t>(b[i])) {
      char text[128];
      std::snprintf(text, sizeof text, "at %zu: %a vs %a", i, a[i], b[i]);
      return text;
    }
  return "";
}

// Whether two arrays hold the same bytes (memcmp, which must not see null pointers).
template <typename T> bool sameBytes(const std::vector<T>& a, const std::vector<T>& b) {
  return a.size() == b.size() &&
         (a.empty() || std::memcmp(a.data(), b.data(), a.size() * sizeof(T)) == 0);
}

void expectIdentical(const Outputs& interp, const Outputs& jit, const std::string& what = "") {
  SCOPED_TRACE(what);
  EXPECT_EQ(firstDifference(interp.accumulators, jit.accumulators), "") << "accumulators";
  EXPECT_TRUE(sameBytes(interp.accumulators, jit.accumulators));
  EXPECT_EQ(firstDifference(interp.slotValues, jit.slotValues), "") << "slot values";
  EXPECT_TRUE(sameBytes(interp.slotValues, jit.slotValues));
  EXPECT_TRUE(sameBytes(interp.slotValid, jit.slotValid)) << "slot validity";
  for (size_t a = 0; a < interp.aggregates; ++a)
    for (size_t s = 0; s < interp.subjects; ++s) {
      EXPECT_EQ(bits(interp.collected.values(static_cast<uint32_t>(a), s)),
                bits(jit.collected.values(static_cast<uint32_t>(a), s)))
          << "values kept for aggregate " << a << ", subject " << s;
      const std::span<const double> interpEscaped = interp.collected.escaped(a, s),
                                    jitEscaped = jit.collected.escaped(a, s);
      EXPECT_EQ(bits({interpEscaped.begin(), interpEscaped.end()}),
                bits({jitEscaped.begin(), jitEscaped.end()}))
          << "values escaping the exact sum of aggregate " << a << ", subject " << s;
    }
}

// Runs `plan` through both engines and compares; returns the interpreter's outputs.
Outputs runBoth(const Plan& plan, const Inputs& in, const std::string& what = "") {
  auto interpreter = makeInterpreter(plan);
  std::string error;
  auto jit = compileJit(plan, error);
  EXPECT_TRUE(jit) << error;
  Outputs expected = run(*interpreter, plan, in);
  if (jit)
    expectIdentical(expected, run(*jit, plan, in), what);
  return expected;
}

// --- Every op over every combination of interesting operands ------------------------------------

// Operand values for the formula test; kMissing marks a missing one.
const double kMissing = 123456.0; // stored in the column, but the row is not valid
const std::vector<double> kInteresting = {kMissing, 0.0,  -0.0, 1.0,   -1.0, 0.5,   -0.5, 1.5,
                                          2.5,      -2.5, 3.0,  1e308, kInf, -kInf, kNaN};

TEST(Jit, EveryOpMatchesTheInterpreterOverAllOperandCombinations) {
  const size_t n = kInteresting.size();
  const size_t subjects = n * n * n;
  Plan plan;
  plan.tables = {{.name = "reps"}};
  const uint32_t colA = addColumn(plan, 0, Storage::F64, "reps.a");
  const uint32_t colB = addColumn(plan, 0, Storage::F64, "reps.b");
  const uint32_t colC = addColumn(plan, 0, Storage::F64, "reps.c");
  const uint32_t colI = addColumn(plan, 0, Storage::I32, "reps.i");
  const uint32_t colU = addColumn(plan, 0, Storage::U8, "reps.u");
  plan.runParams.resize(2);
  plan.aggregateCount = 1;

  // The inputs: subject s has (a, b, c) = the s-th triple; subjects sit on rows in reverse.
  Inputs in;
  in.subjects = static_cast<int64_t>(subjects);
  in.columns.resize(5);
  for (size_t s = 0; s < subjects; ++s)
    in.subjectRows.push_back(static_cast<int32_t>(subjects - 1 - s));
  for (size_t row = 0; row < subjects; ++row) {
    const size_t s = subjects - 1 - row;
    const double triple[3] = {kInteresting[s / (n * n)], kInteresting[s / n % n],
                              kInteresting[s % n]};
    for (int k = 0; k < 3; ++k) {
      in.columns[k].f64.push_back(triple[k]);
      in.columns[k].valid.push_back(triple[k] != kMissing);
    }
    in.columns[3].i32.push_back(static_cast<int32_t>(row) - 1000);
    in.columns[3].valid.push_back(row % 3 != 0);
    in.columns[4].u8.push_back(static_cast<uint8_t>(row * 7));
    in.columns[4].valid.push_back(row % 5 != 0);
    in.aggregateValues.push_back(static_cast<double>(row) / 8);
    in.aggregateValid.push_back(row % 4 != 0);
  }
  in.runValues = {20000.0, 99.0};
  in.runValid = {1, 0};

  // Slots 0..2 are the operands; every later assignment reads them (nodes 0..2).
  uint32_t slot = 0;
  assign(plan, slot++, [&](Nodes& x) { x.add(POp::SubjectColumn, colA); });
  assign(plan, slot++, [&](Nodes& x) { x.add(POp::SubjectColumn, colB); });
  assign(plan, slot++, [&](Nodes& x) { x.add(POp::SubjectColumn, colC); });
  const uint32_t a = 0, b = 1, c = 2;
  const auto unary = [&](POp op) { assign(plan, slot++, [&](Nodes& x) { x.add(op, a); }); };
  const auto binary = [&](POp op) {
    assign(plan, slot++, [&](Nodes& x) { x.add(op, a, b); });
    assign(plan, slot++, [&](Nodes& x) { x.add(op, b, a); });
  };
  const auto ternary = [&](POp op) { assign(plan, slot++, [&](Nodes& x) { x.add(op, a, b, c); }); };
  for (POp op : {POp::Neg, POp::Not, POp::IsMissing, POp::Abs, POp::Round, POp::Floor, POp::Ceil})
    unary(op);
  for (POp op : {POp::Add, POp::Sub, POp::Mul, POp::Div, POp::Pow, POp::Eq, POp::Ne, POp::Lt,
                 POp::Le, POp::Gt, POp::Ge, POp::And, POp::Or, POp::Coalesce, POp::DaysSince})
    binary(op);
  for (POp op : {POp::Select, POp::InRange, POp::Clamp, POp::Decay})
    ternary(op);
  // Constant operands, which the optimiser sees: pow must still be libm's pow.
  for (double exponent : {2.0, 0.5, -1.0, 3.0, 0.0})
    assign(plan, slot++, [&](Nodes& x) { x.add(POp::Pow, a, x.constant(exponent)); });
  for (double base : {0.5, 2.0, 10.0, 1.0})
    assign(plan, slot++, [&](Nodes& x) { x.add(POp::Pow, x.constant(base), a); });
  assign(plan, slot++,
         [&](Nodes& x) { x.add(POp::Decay, a, x.constant(30), x.add(POp::RunParam, 0)); });
  assign(plan, slot++, [&](Nodes& x) { x.add(POp::DaysSince, a, x.add(POp::RunParam, 0)); });
  // Lists.
  assign(plan, slot++, [&](Nodes& x) {
    const std::vector<uint32_t> items = {x.constant(0), x.constant(2.5), x.constant(-1),
                                         x.constant(kNaN)};
    x.add(POp::InSet, a, 0, 0, items);
  });
  for (POp op : {POp::Least, POp::Greatest}) {
    assign(plan, slot++, [&](Nodes& x) { x.add(op, 0, 0, 0, {a, b, c}); });
    assign(plan, slot++, [&](Nodes& x) { x.add(op, 0, 0, 0, {c, a}); });
    assign(plan, slot++, [&](Nodes& x) { x.add(op, 0, 0, 0, {b}); });
    assign(plan, slot++, [&](Nodes& x) { x.add(op, 0, 0, 0, {}); });
  }
  // Leaves.
  assign(plan, slot++, [&](Nodes& x) { x.constant(-7.25); });
  assign(plan, slot++, [&](Nodes& x) { x.add(POp::Missing); });
  assign(plan, slot++, [&](Nodes& x) { x.add(POp::RunParam, 0); });
  assign(plan, slot++, [&](Nodes& x) { x.add(POp::RunParam, 1); });
  assign(plan, slot++, [&](Nodes& x) { x.add(POp::SubjectColumn, colI); });
  assign(plan, slot++, [&](Nodes& x) { x.add(POp::SubjectColumn, colU); });
  assign(plan, slot++, [&](Nodes& x) { x.add(POp::Aggregate, 0); });
  assign(plan, slot++, [&](Nodes& x) { x.add(POp::Slot, 3); }); // written earlier this subject
  // An operand at or after its node reads as missing.
  assign(plan, slot++, [&](Nodes& x) {
    const auto self = static_cast<uint32_t>(plan.formulas.nodes.size());
    x.add(POp::Add, self, a);
  });
  // A whole expression in one range: round(clamp(a * 2, -3, coalesce(b, 1))) or c.
  assign(plan, slot++, [&](Nodes& x) {
    const uint32_t product = x.add(POp::Mul, a, x.constant(2));
    const uint32_t hi = x.add(POp::Coalesce, b, x.constant(1));
    const uint32_t clamped = x.add(POp::Clamp, product, x.constant(-3), hi);
    x.add(POp::Or, x.add(POp::Round, clamped), c);
  });

  const Outputs expected = runBoth(plan, in);
  // Spot checks that the plan means what it says (the interpreter is the oracle).
  const auto at = [&](uint32_t s, size_t subject) { return s * subjects + subject; };
  EXPECT_EQ(expected.slotValid[at(0, 0)], 0); // a is missing for subject 0
  EXPECT_EQ(expected.slotValues[at(0, 0)], 0.0);
}

// Arithmetic on constants only: folded by LLVM, a NaN it created would be +NaN where the CPU
// (and so the interpreter) makes -NaN; the JIT must not fold it.
TEST(Jit, ArithmeticOnConstantsMakesTheCpusNaNs) {
  Plan plan;
  assign(plan, 0, [](Nodes& x) { x.add(POp::Sub, x.constant(kInf), x.constant(kInf)); });
  assign(plan, 1, [](Nodes& x) { x.add(POp::Mul, x.constant(0), x.constant(-kInf)); });
  assign(plan, 2, [](Nodes& x) { x.add(POp::Div, x.constant(kInf), x.constant(kInf)); });
  assign(plan, 3, [](Nodes& x) {
    const uint32_t huge = x.add(POp::Mul, x.constant(1e300), x.constant(1e300));
    x.add(POp::Sub, huge, huge);
  });
  assign(plan, 4, [](Nodes& x) { x.add(POp::Add, x.constant(kNaN), x.constant(1)); });
  assign(plan, 5, [](Nodes& x) { x.add(POp::Neg, x.constant(kNaN)); });
  Inputs in;
  in.subjects = 1;
  in.subjectRows = {0};
  runBoth(plan, in);
}

// --- Scans: every aggregate kind ----------------------------------------------------------------

// A deals table scanned for 5 reps (rep 4 has no deals: empty groups), with rows of no rep.
struct ScanWorld {
  Plan plan;
  Inputs in;
  uint32_t value = 0, key = 0, flag = 0, ref = 0, target = 0;
};

ScanWorld scanWorld() {
  ScanWorld w;
  Plan& plan = w.plan;
  plan.tables = {{.name = "reps"}, {.name = "deals"}, {.name = "accounts"}};
  w.value = addColumn(plan, 1, Storage::F64, "deals.value");
  w.key = addColumn(plan, 1, Storage::I32, "deals.day");
  w.flag = addColumn(plan, 1, Storage::U8, "deals.won");
  w.ref = addColumn(plan, 1, Storage::I32, "deals.account");
  w.target = addColumn(plan, 2, Storage::F64, "accounts.size");
  plan.runParams.resize(2);

  Inputs& in = w.in;
  in.subjects = 5;
  in.columns.resize(5);
  // row:            0    1     2    3    4     5    6    7   8     9   10   11   12   13
  const std::vector<int32_t> subjects = {0, 0, 1, -1, 2, 2, 2, 0, 3, 1, -1, 3, 2, 0};
  const std::vector<double> values = {10, 5, kMissing, 7, -3, -3, 2.5, kNaN, 1, 4, 9, 6, 0, -0.0};
  const std::vector<int32_t> days = {3, 3, 1, 2, 5, 5, 0, 3, 9, 1, 4, 9, 5, 2};
  const std::vector<uint8_t> dayValid = {1, 1, 1, 1, 1, 1, 0, 1, 1, 1, 1, 1, 1, 1};
  const std::vector<uint8_t> flags = {1, 0, 1, 1, 1, 1, 0, 1, 1, 0, 1, 1, 1, 1};
  const std::vector<uint8_t> flagValid = {1, 1, 1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 0};
  const std::vector<int32_t> refs = {0, 1, 2, 0, -1, 1, 2, 3, 0, 1, 1, 2, 3, 0};
  const std::vector<uint8_t> refValid = {1, 1, 1, 1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1};
  in.rowSubjects = {subjects, {0, 1, 2, 3, 4}};
  for (size_t row = 0; row < subjects.size(); ++row) {
    in.columns[w.value].f64.push_back(values[row]);
    in.columns[w.value].valid.push_back(values[row] != kMissing);
  }
  in.columns[w.key].i32 = days;
  in.columns[w.key].valid = dayValid;
  in.columns[w.flag].u8 = flags;
  in.columns[w.flag].valid = flagValid;
  in.columns[w.ref].i32 = refs;
  in.columns[w.ref].valid = refValid;
  in.columns[w.target].f64 = {100, 200, 300, 400};
  in.columns[w.target].valid = {1, 1, 0, 1};
  in.runValues = {2.0, 0};
  in.runValid = {1, 0};
  in.subjectRows = {0, 1, 2, 3, 4};
  return w;
}

TEST(Jit, ScansMatchTheInterpreterForEveryAggregateKind) {
  ScanWorld w = scanWorld();
  Plan& plan = w.plan;
  plan.scans.resize(2);
  ScanKernel& deals = plan.scans[0];
  deals.table = 1;
  Nodes x{deals.nodes};
  const auto value = static_cast<int32_t>(x.add(POp::Column, w.value));
  const auto day = static_cast<int32_t>(x.add(POp::Column, w.key));
  const auto won = static_cast<int32_t>(x.add(POp::Column, w.flag));
  const auto size = static_cast<int32_t>(x.add(POp::RefColumn, w.target, w.ref));
  const auto big =
      static_cast<int32_t>(x.add(POp::Gt, static_cast<uint32_t>(value), x.add(POp::RunParam, 0)));
  const auto unknown =
      static_cast<int32_t>(x.add(POp::Gt, static_cast<uint32_t>(value), x.add(POp::RunParam, 1)));
  const auto decayed = static_cast<int32_t>(
      x.add(POp::Decay, static_cast<uint32_t>(day), x.constant(7), x.constant(10)));
  const int32_t filters[] = {-1, won, big, unknown};
  const int32_t valued[] = {value, size, decayed};
  // Every row of the aggregate registry (runtime/plan/Aggregates.def): a new one is tested here.
  for (const AggregateInfo& info : aggregates())
    for (int32_t filter : filters)
      for (int32_t v : valued) {
        AggregateUpdate update;
        update.kind = info.kind;
        update.aggregate = plan.aggregateCount++;
        update.filter = filter;
        update.value = v;
        update.orderKey = info.clause == AggregateClause::OrderBy ? day : -1;
        deals.updates.push_back(update);
      }
  // Count of rows (no value), First/Last without an order key, ordering by a decayed value.
  deals.updates.push_back({AggregateKind::Count, plan.aggregateCount++, -1, -1, -1});
  deals.updates.push_back({AggregateKind::Count, plan.aggregateCount++, won, -1, -1});
  deals.updates.push_back({AggregateKind::First, plan.aggregateCount++, -1, value, -1});
  deals.updates.push_back({AggregateKind::Last, plan.aggregateCount++, -1, value, size});
  // (Two updates of one aggregate are not a plan: checkPlan rejects them, see below.)

  // A second scan, over the subject table itself.
  ScanKernel& reps = plan.scans[1];
  Nodes r{reps.nodes};
  const auto one = static_cast<int32_t>(r.constant(1));
  reps.updates.push_back({AggregateKind::Sum, plan.aggregateCount++, -1, one, -1});
  reps.updates.push_back({AggregateKind::Min, plan.aggregateCount++, -1, one, -1});

  const Outputs expected = runBoth(plan, w.in);
  // Rep 4 has no deals: its blocks stay zero.
  const auto block = [&](uint32_t aggregate, int64_t subject) {
    return &expected.accumulators[(aggregate * w.in.subjects + subject) * kAccumulatorWidth];
  };
  for (uint32_t aggregate = 0; aggregate + 2 < plan.aggregateCount; ++aggregate)
    for (int k = 0; k < kAccumulatorWidth; ++k)
      EXPECT_EQ(block(aggregate, 4)[k], 0.0);
}

// `count(t where day == 3 and won)`, `... day == 5 ...`, `... day == 9 ...`: row counts split by
// one int32 column compile to one branch-free add per row (Codegen's category counts); rows
// with a missing day, a missing or false `won`, or another day count nowhere. Also alone
// (`day == 1`, no shared condition) and beside an ordinary update of another column.
// `day in [lo, hi]` with an int32 column and run parameters compiles to integer compares against
// bounds rounded before the loop (Codegen's daysInRange); it must agree with the interpreter's
// double compares for fractional, infinite, NaN, huge and missing bounds.
TEST(Jit, DayRangesAgainstRunParametersMatchTheInterpreter) {
  const double bounds[] = {2.0, 2.5, -0.5, 5.0, 9.0, 1e300, -1e300, kInf, -kInf, kNaN};
  for (double lo : bounds)
    for (double hi : bounds)
      for (uint8_t loValid : {1, 0}) {
        ScanWorld w = scanWorld();
        Plan& plan = w.plan;
        plan.scans.resize(1);
        Nodes x{plan.scans[0].nodes};
        const uint32_t day = x.add(POp::Column, w.key);
        const auto inside = static_cast<int32_t>(
            x.add(POp::InRange, day, x.add(POp::RunParam, 0), x.add(POp::RunParam, 1)));
        plan.scans[0].updates.push_back(
            {AggregateKind::Count, plan.aggregateCount++, inside, -1, -1});
        w.in.runValues = {lo, hi};
        w.in.runValid = {loValid, 1};
        runBoth(plan, w.in, "lo " + std::to_string(lo) + ", hi " + std::to_string(hi));
        if (HasFailure())
          return;
      }
}

TEST(Jit, CategoryCountsMatchTheInterpreter) {
  ScanWorld w = scanWorld();
  Plan& plan = w.plan;
  plan.scans.resize(1);
  Nodes x{plan.scans[0].nodes};
  const uint32_t day = x.add(POp::Column, w.key);
  const uint32_t won = x.add(POp::Column, w.flag);
  for (double code : {3.0, 5.0, 9.0}) {
    const uint32_t is = x.add(POp::Eq, day, x.constant(code));
    const auto filter = static_cast<int32_t>(x.add(POp::And, is, won));
    plan.scans[0].updates.push_back({AggregateKind::Count, plan.aggregateCount++, filter, -1, -1});
  }
  for (double code : {1.0, 2.0}) {
    const auto filter = static_cast<int32_t>(x.add(POp::Eq, x.constant(code), day));
    plan.scans[0].updates.push_back({AggregateKind::Count, plan.aggregateCount++, filter, -1, -1});
  }
  const auto value = static_cast<int32_t>(x.add(POp::Column, w.value));
  plan.scans[0].updates.push_back({AggregateKind::Sum, plan.aggregateCount++, -1, value, -1});
  const Outputs expected = runBoth(plan, w.in);
  // Subject 2 has rows 4 and 5 on day 5 (won, but row 4's `won` is missing) and row 12 (won):
  // two rows count.
  EXPECT_EQ(expected.accumulators[(1 * w.in.subjects + 2) * kAccumulatorWidth], 2.0);
}

// A scan of counts only is a block scan (runtime/jit/CategoryCounts.h): its filters go over
// blocks of 1,024 rows into counter indexes, then integer counters. 3,000 rows (two whole blocks
// and a partial one), rows without a subject, missing codes and flags, a consecutive group, a
// group with gaps, single counts of rows and of values: the interpreter's accumulators, and the
// counts computed here row by row.
TEST(Jit, BlockScanCountsMatchTheInterpreterAndARowByRowCount) {
  ScanWorld w = scanWorld();
  Plan& plan = w.plan;
  plan.scans.resize(1);
  const size_t rows = 3000;
  Inputs& in = w.in;
  in.subjects = 7;
  in.rowSubjects = {{}};
  for (ColumnData* column : {&in.columns[w.value], &in.columns[w.key], &in.columns[w.flag]})
    *column = ColumnData{};
  std::mt19937 random(24);
  for (size_t row = 0; row < rows; ++row) {
    in.rowSubjects[0].push_back(static_cast<int32_t>(random() % 8) - 1); // -1: no subject
    in.columns[w.key].i32.push_back(static_cast<int32_t>(random() % 12));
    in.columns[w.key].valid.push_back(random() % 10 != 0);
    in.columns[w.flag].u8.push_back(static_cast<uint8_t>(random() % 2));
    in.columns[w.flag].valid.push_back(random() % 7 != 0);
    in.columns[w.value].f64.push_back(static_cast<double>(random() % 100));
    in.columns[w.value].valid.push_back(random() % 5 != 0);
  }
  Nodes x{plan.scans[0].nodes};
  const uint32_t day = x.add(POp::Column, w.key);
  const uint32_t won = x.add(POp::Column, w.flag);
  const uint32_t value = x.add(POp::Column, w.value);
  const auto count = [&](int32_t filter, int32_t counted = -1) {
    plan.scans[0].updates.push_back(
        {AggregateKind::Count, plan.aggregateCount++, filter, counted, -1});
  };
  for (double code : {4.0, 5.0, 6.0}) // consecutive, with P = won
    count(static_cast<int32_t>(x.add(POp::And, x.add(POp::Eq, day, x.constant(code)), won)));
  for (double code : {1.0, 9.0}) // with a gap, no P
    count(static_cast<int32_t>(x.add(POp::Eq, x.constant(code), day)));
  count(-1);                                         // every row
  count(static_cast<int32_t>(x.add(POp::Not, won))); // not won
  count(-1, static_cast<int32_t>(value));            // rows with a value
  const auto big = x.add(POp::Gt, value, x.add(POp::RunParam, 0));
  count(static_cast<int32_t>(x.add(POp::Or, big, won))); // value > 2 or won
  ASSERT_TRUE(jit::scanCounters(plan, plan.scans[0]).blockScan);
  EXPECT_NE(dumpLlvm(plan, true).find("vector.body"), std::string::npos)
      << "the loop over a block's counter indexes is vectorised";

  const Outputs out = runBoth(plan, in);
  std::vector<double> expected(plan.aggregateCount * 7, 0.0);
  const ColumnData &days = in.columns[w.key], &flags = in.columns[w.flag],
                   &values = in.columns[w.value];
  for (size_t row = 0; row < rows; ++row) {
    const int32_t s = in.rowSubjects[0][row];
    if (s < 0)
      continue;
    const auto add = [&](size_t aggregate, bool counts) {
      expected[aggregate * 7 + static_cast<size_t>(s)] += counts ? 1 : 0;
    };
    const bool dayOk = days.valid[row] != 0, flagOk = flags.valid[row] != 0;
    const bool isWon = flagOk && flags.u8[row] != 0, isLost = flagOk && flags.u8[row] == 0;
    for (int32_t k = 0; k < 3; ++k)
      add(static_cast<size_t>(k), dayOk && days.i32[row] == 4 + k && isWon);
    add(3, dayOk && days.i32[row] == 1);
    add(4, dayOk && days.i32[row] == 9);
    add(5, true);
    add(6, isLost);
    add(7, values.valid[row] != 0);
    add(8, (values.valid[row] != 0 && values.f64[row] > 2.0) || isWon);
  }
  for (size_t aggregate = 0; aggregate < plan.aggregateCount; ++aggregate)
    for (size_t s = 0; s < 7; ++s)
      EXPECT_EQ(out.accumulators[(aggregate * 7 + s) * kAccumulatorWidth],
                expected[aggregate * 7 + s])
          << "aggregate " << aggregate << ", subject " << s;
}

// Sums, averages, minimums and maximums in a block scan (runtime/jit/CategoryCounts.h, SumEntry):
// whole values add on 128-bit integers per subject, other values into the exact window row by
// row. 5,000 rows in runs of 700 rows per subject (so blocks end in the middle of a subject's
// rows), rows without a subject, missing values, whole values up to 2^60 (money in its units;
// a double sum of them rounds on the way) mixed with fractions of 2^-10, a filter that selects
// no row: the interpreter's accumulators bit for bit, and results equal to an exact oracle
// (every value is a multiple of 2^-10, so their sums are exact in __int128).
TEST(Jit, BlockScanSumsMatchTheInterpreterAndAnExactOracle) {
  ScanWorld w = scanWorld();
  Plan& plan = w.plan;
  plan.scans.resize(1);
  const size_t rows = 5000;
  const int64_t subjects = 7;
  Inputs& in = w.in;
  in.subjects = subjects;
  in.rowSubjects = {{}};
  for (ColumnData* column : {&in.columns[w.value], &in.columns[w.key], &in.columns[w.flag]})
    *column = ColumnData{};
  std::mt19937_64 random(2424);
  for (size_t row = 0; row < rows; ++row) {
    in.rowSubjects[0].push_back(static_cast<int32_t>((row / 700) % 8) - 1); // -1: no subject
    const auto magnitude = static_cast<int64_t>(random() >> 4) - (int64_t{1} << 59); // < 2^60
    const auto fraction = static_cast<int64_t>(random() % (1u << 21)) - (1 << 20);
    in.columns[w.value].f64.push_back(row % 5 == 0 ? std::ldexp(static_cast<double>(fraction), -10)
                                                   : static_cast<double>(magnitude));
    in.columns[w.value].valid.push_back(random() % 10 != 0);
    in.columns[w.key].i32.push_back(static_cast<int32_t>(random() % 12));
    in.columns[w.key].valid.push_back(1);
    in.columns[w.flag].u8.push_back(static_cast<uint8_t>(random() % 2));
    in.columns[w.flag].valid.push_back(random() % 7 != 0);
  }
  Nodes x{plan.scans[0].nodes};
  const auto value = static_cast<int32_t>(x.add(POp::Column, w.value));
  const auto day = x.add(POp::Column, w.key);
  const auto won = static_cast<int32_t>(x.add(POp::Column, w.flag));
  const auto dayIs5 = static_cast<int32_t>(x.add(POp::Eq, day, x.constant(5)));
  const auto never = static_cast<int32_t>(x.add(POp::Gt, day, x.constant(100)));
  const auto update = [&](AggregateKind kind, int32_t filter) {
    plan.scans[0].updates.push_back({kind, plan.aggregateCount++, filter, value, -1});
  };
  update(AggregateKind::Sum, -1);     // 0
  update(AggregateKind::Sum, won);    // 1
  update(AggregateKind::Avg, dayIs5); // 2
  update(AggregateKind::Max, won);    // 3
  update(AggregateKind::Min, -1);     // 4
  update(AggregateKind::Sum, never);  // 5: no row
  update(AggregateKind::Avg, -1);     // 6
  plan.scans[0].updates.push_back({AggregateKind::Count, plan.aggregateCount++, won, -1, -1}); // 7
  ASSERT_TRUE(jit::scanCounters(plan, plan.scans[0]).blockScan);

  const Outputs out = runBoth(plan, in);
  const auto result = [&](uint32_t aggregate, int64_t subject) {
    const size_t at = aggregate * static_cast<size_t>(subjects) + static_cast<size_t>(subject);
    return finalizeAccumulated(plan.scans[0].updates[aggregate].kind,
                               &out.accumulators[at * kAccumulatorWidth],
                               out.collected.escaped(aggregate, subject));
  };
  const ColumnData &values = in.columns[w.value], &days = in.columns[w.key],
                   &flags = in.columns[w.flag];
  bool naiveDiffers = false;
  for (int64_t s = 0; s < subjects; ++s) {
    __int128 all = 0, ofWon = 0, ofDay5 = 0; // in units of 2^-10
    double naive = 0, biggestWon = 0, smallest = 0;
    int64_t rowsWithValue = 0, rowsOfDay5 = 0, wonRows = 0, wonWithValue = 0;
    for (size_t row = 0; row < rows; ++row) {
      if (in.rowSubjects[0][row] != s)
        continue;
      const bool isWon = flags.valid[row] != 0 && flags.u8[row] != 0;
      wonRows += isWon ? 1 : 0;
      if (values.valid[row] == 0)
        continue;
      const double v = values.f64[row];
      const auto units = static_cast<__int128>(std::ldexp(v, 10));
      all += units;
      naive += v;
      smallest = rowsWithValue++ == 0 ? v : std::min(smallest, v);
      if (isWon) {
        ofWon += units;
        biggestWon = wonWithValue++ == 0 ? v : std::max(biggestWon, v);
      }
      if (days.i32[row] == 5) {
        ofDay5 += units;
        ++rowsOfDay5;
      }
    }
    const auto exact = [](__int128 units) { return std::ldexp(static_cast<double>(units), -10); };
    naiveDiffers = naiveDiffers || naive != exact(all);
    EXPECT_EQ(result(0, s).value, exact(all)) << "subject " << s;
    EXPECT_EQ(result(1, s).value, exact(ofWon)) << "subject " << s;
    EXPECT_EQ(result(2, s).value, exact(ofDay5) / static_cast<double>(rowsOfDay5));
    EXPECT_EQ(result(3, s).value, biggestWon) << "subject " << s;
    EXPECT_EQ(result(4, s).value, smallest) << "subject " << s;
    EXPECT_TRUE(result(5, s).present);
    EXPECT_EQ(result(5, s).value, 0.0);
    EXPECT_EQ(result(6, s).value, exact(all) / static_cast<double>(rowsWithValue));
    EXPECT_EQ(result(7, s).value, static_cast<double>(wonRows));
  }
  EXPECT_TRUE(naiveDiffers) << "a sum the doubles would round differently";
}

// Sums and averages of values at every magnitude: in the exact window, escaping it (huge, tiny,
// subnormal, NaN) and cancelling; the JIT's inline window arithmetic and its escapes must leave
// the interpreter's blocks and escaped values, and the results are exactly rounded.
TEST(Jit, ExactSumsMatchTheInterpreterAtEveryMagnitude) {
  ScanWorld w = scanWorld();
  Plan& plan = w.plan;
  plan.scans.resize(1);
  // row:  0: rep 0, 1: rep 0, 2: rep 1 (missing), 3: none, 4-6: rep 2, 7: rep 0, 8: rep 3,
  //       9: rep 1, 10: none, 11: rep 3, 12: rep 2, 13: rep 0
  const double tiny = std::numeric_limits<double>::denorm_min(), two64 = std::ldexp(1.0, 64);
  w.in.columns[w.value].f64 = {1e100,  1.0,    kMissing, kNaN, tiny,  tiny,
                               two64,  -1e100, 1e-300,   0.1,  1e300, -(two64 - 2048),
                               -two64, 0.1};
  Nodes x{plan.scans[0].nodes};
  const auto value = static_cast<int32_t>(x.add(POp::Column, w.value));
  const auto won = static_cast<int32_t>(x.add(POp::Column, w.flag));
  for (AggregateKind kind : {AggregateKind::Sum, AggregateKind::Avg})
    for (int32_t filter : {-1, won})
      plan.scans[0].updates.push_back({kind, plan.aggregateCount++, filter, value, -1});
  const Outputs out = runBoth(plan, w.in);
  const auto result = [&](uint32_t aggregate, int64_t subject) {
    const size_t at = aggregate * w.in.subjects + subject;
    return finalizeAccumulated(plan.scans[0].updates[aggregate].kind,
                               &out.accumulators[at * kAccumulatorWidth],
                               out.collected.escaped(aggregate, subject));
  };
  EXPECT_EQ(result(0, 0).value, 1.1); // 1e100 + 1 - 1e100 + 0.1; one by one: 0.1
  EXPECT_EQ(result(0, 1).value, 0.1);
  EXPECT_EQ(result(0, 2).value, 2 * tiny); // tiny + tiny + 2^64 - 2^64
  EXPECT_EQ(result(0, 3).value, 1e-300 - (two64 - 2048));
  EXPECT_EQ(result(2, 0).value, 1.1 / 4);
  EXPECT_EQ(result(2, 2).value, 2 * tiny / 4);
  EXPECT_EQ(result(0, 4).value, 0.0); // no rows
  EXPECT_FALSE(result(2, 4).present);
  EXPECT_EQ(out.collected.escaped(0, 0).size(), 2u); // +-1e100, not 1.0 or 0.1
}

TEST(Jit, FirstKeepsTheEarliestRowOnTiesAndLastTheLatest) {
  ScanWorld w = scanWorld();
  Plan& plan = w.plan;
  plan.scans.resize(1);
  Nodes x{plan.scans[0].nodes};
  const auto value = static_cast<int32_t>(x.add(POp::Column, w.value));
  const auto day = static_cast<int32_t>(x.add(POp::Column, w.key));
  plan.scans[0].updates = {{AggregateKind::First, 0, -1, value, day},
                           {AggregateKind::Last, 1, -1, value, day}};
  plan.aggregateCount = 2;
  w.in.rowSubjects.resize(1);
  const Outputs out = runBoth(plan, w.in);
  const auto acc = [&](uint32_t aggregate, int64_t subject, int k) {
    return out.accumulators[(aggregate * w.in.subjects + subject) * kAccumulatorWidth + k];
  };
  // Rep 0: rows 0 (day 3, 10), 1 (day 3, 5), 7 (day 3, NaN), 13 (day 2, -0).
  EXPECT_EQ(acc(0, 0, 0), 2);   // First: smallest day...
  EXPECT_EQ(acc(0, 0, 1), 0.0); // ...row 13's value
  // Rep 2: rows 4 and 5 tie on day 5 (-3 each) and row 12 (day 5, 0) is the latest.
  EXPECT_EQ(acc(1, 2, 0), 5);
  EXPECT_EQ(acc(1, 2, 1), 0);
  EXPECT_EQ(acc(1, 2, 2), 1);
  // Rep 3: rows 8 and 11 tie on day 9 (values 1 and 6): First keeps row 8, Last row 11.
  EXPECT_EQ(acc(0, 3, 0), 9);
  EXPECT_EQ(acc(0, 3, 1), 1);
  EXPECT_EQ(acc(1, 3, 1), 6);
  EXPECT_EQ(acc(0, 3, 3), 1);
  // Rep 1: rows 2 (day 1, missing value) and 9 (day 1, 4): First keeps the missing value.
  EXPECT_EQ(acc(0, 1, 2), 0);
  EXPECT_EQ(acc(1, 1, 1), 4);
  EXPECT_EQ(acc(1, 1, 2), 1);
  // Rep 4 has no deals: nothing seen.
  EXPECT_EQ(acc(0, 4, 3), 0);
}

// --- Random plans -------------------------------------------------------------------------------

// Random expression DAGs over every op, in both kinds of kernels, on random data.
class RandomPlans {
public:
  explicit RandomPlans(uint32_t seed) : random_(seed) {}

  std::pair<Plan, Inputs> make() {
    Plan plan;
    std::vector<bool> updated; // per aggregate: has an update
    plan.tables = {{.name = "reps"}, {.name = "deals"}};
    Inputs in;
    in.subjects = pick(0, 6);
    const int64_t rows = pick(0, 40);
    for (int k = 0; k < 3; ++k) {
      addColumn(plan, 1, Storage::F64, "deals.f");
      addColumn(plan, 1, Storage::I32, "deals.i");
      addColumn(plan, 1, Storage::U8, "deals.u");
    }
    const uint32_t refColumn = addColumn(plan, 1, Storage::I32, "deals.rep");
    const uint32_t repColumn = addColumn(plan, 0, Storage::F64, "reps.f");
    const uint32_t repInt = addColumn(plan, 0, Storage::I32, "reps.i");
    for (uint32_t column = 0; column < plan.columns.size(); ++column) {
      ColumnData data;
      const int64_t length = plan.columns[column].table == 1 ? rows : in.subjects;
      for (int64_t row = 0; row < length; ++row) {
        data.valid.push_back(pick(0, 5) != 0);
        switch (plan.columns[column].storage) {
        case Storage::F64:
          data.f64.push_back(anyValue());
          break;
        case Storage::I32:
          data.i32.push_back(column == refColumn ? static_cast<int32_t>(pick(-1, in.subjects - 1))
                                                 : static_cast<int32_t>(pick(-5, 5)));
          break;
        case Storage::U8:
          data.u8.push_back(static_cast<uint8_t>(pick(0, 255)));
          break;
        }
      }
      in.columns.push_back(std::move(data));
    }
    plan.runParams.resize(3);
    for (int k = 0; k < 3; ++k) {
      in.runValues.push_back(anyValue());
      in.runValid.push_back(pick(0, 3) != 0);
    }
    for (int64_t s = 0; s < in.subjects; ++s)
      in.subjectRows.push_back(static_cast<int32_t>(in.subjects - 1 - s));
    plan.aggregateCount = static_cast<uint32_t>(pick(1, 4));
    for (size_t i = 0; i < plan.aggregateCount * static_cast<size_t>(in.subjects); ++i) {
      in.aggregateValues.push_back(anyValue());
      in.aggregateValid.push_back(pick(0, 3) != 0);
    }

    const int scans = static_cast<int>(pick(0, 2));
    for (int s = 0; s < scans; ++s) {
      ScanKernel scan;
      scan.table = 1;
      std::vector<int32_t> subjects;
      for (int64_t row = 0; row < rows; ++row)
        subjects.push_back(static_cast<int32_t>(pick(-1, in.subjects - 1)));
      in.rowSubjects.push_back(subjects);
      const auto count = static_cast<uint32_t>(pick(1, 30));
      for (uint32_t i = 0; i < count; ++i)
        scan.nodes.push_back(node(plan, i, 0, true, refColumn, repColumn, repInt));
      for (int u = 0, updates = static_cast<int>(pick(1, 12)); u < updates; ++u) {
        AggregateUpdate update;
        update.kind = static_cast<AggregateKind>(pick(0, 7));
        update.aggregate = static_cast<uint32_t>(pick(0, plan.aggregateCount - 1));
        if (updated.size() < plan.aggregateCount)
          updated.resize(plan.aggregateCount, false);
        if (updated[update.aggregate])
          continue; // every aggregate has one update, as the lowering makes them (checkPlan)
        updated[update.aggregate] = true;
        update.filter = static_cast<int32_t>(pick(-1, count - 1));
        update.value = static_cast<int32_t>(pick(-1, count - 1));
        update.orderKey = static_cast<int32_t>(pick(-1, count - 1));
        scan.updates.push_back(update);
      }
      plan.scans.push_back(std::move(scan));
    }

    plan.slotCount = static_cast<uint32_t>(pick(1, 8));
    for (int s = 0, assigns = static_cast<int>(pick(0, 10)); s < assigns; ++s) {
      const auto begin = static_cast<uint32_t>(plan.formulas.nodes.size());
      const auto count = static_cast<uint32_t>(pick(1, 12));
      for (uint32_t i = begin; i < begin + count; ++i)
        plan.formulas.nodes.push_back(node(plan, i, begin, false, refColumn, repColumn, repInt));
      const auto slot = static_cast<uint32_t>(pick(0, plan.slotCount - 1));
      plan.formulas.assigns.push_back({slot, {begin, begin + count}});
    }
    return {std::move(plan), std::move(in)};
  }

private:
  int64_t pick(int64_t lo, int64_t hi) {
    return lo >= hi ? lo : std::uniform_int_distribution<int64_t>(lo, hi)(random_);
  }

  double anyValue() {
    if (pick(0, 3) == 0)
      return kInteresting[pick(1, static_cast<int64_t>(kInteresting.size()) - 1)];
    return std::uniform_real_distribution<double>(-50, 50)(random_);
  }

  // Node `i`; operands come from [begin, i), or rarely at or after the node (reads missing).
  PNode node(const Plan& plan, uint32_t i, uint32_t begin, bool scan, uint32_t refColumn,
             uint32_t repColumn, uint32_t repInt) {
    PNode n;
    const auto operand = [&]() -> uint32_t {
      if (i == begin || pick(0, 30) == 0)
        return i + static_cast<uint32_t>(pick(0, 2));
      return static_cast<uint32_t>(pick(begin, i - 1));
    };
    if (i == begin || pick(0, 3) == 0) {
      // A leaf.
      switch (pick(0, 5)) {
      case 0:
        n.op = POp::Const;
        n.value = anyValue();
        return n;
      case 1:
        n.op = POp::Missing;
        return n;
      case 2:
        n.op = POp::RunParam;
        n.a = static_cast<uint32_t>(pick(0, 2));
        return n;
      default:
        break;
      }
      if (scan) {
        n.op = pick(0, 3) == 0 ? POp::RefColumn : POp::Column;
        n.a = static_cast<uint32_t>(pick(0, 8));
        n.b = refColumn;
        if (n.op == POp::RefColumn)
          n.a = pick(0, 1) ? repColumn : repInt; // references point at reps
        return n;
      }
      switch (pick(0, 2)) {
      case 0:
        n.op = POp::SubjectColumn;
        n.a = pick(0, 1) ? repColumn : repInt;
        return n;
      case 1:
        n.op = POp::Slot;
        n.a = static_cast<uint32_t>(pick(0, plan.slotCount - 1));
        return n;
      default:
        n.op = POp::Aggregate;
        n.a = static_cast<uint32_t>(pick(0, plan.aggregateCount - 1));
        return n;
      }
    }
    const std::vector<POp>& ops = computedOps();
    n.op = ops[static_cast<size_t>(pick(0, static_cast<int64_t>(ops.size()) - 1))];
    n.a = operand();
    n.b = operand();
    n.c = operand();
    if (n.op == POp::InSet || n.op == POp::Least || n.op == POp::Greatest)
      for (int k = 0, items = static_cast<int>(pick(0, 4)); k < items && i > begin; ++k)
        n.list.push_back(static_cast<uint32_t>(pick(begin, i - 1)));
    return n;
  }

  // Every op that computes from operands, taken from the op registries (not from the enum's
  // order): all but the leaves and TextOrder, which reads the run's text order.
  static const std::vector<POp>& computedOps() {
    static const std::vector<POp> ops = [] {
      std::vector<POp> found;
      for (int code = 0; code < 256; ++code) {
        const auto op = static_cast<POp>(code);
        const NodeOperands uses = nodeOperands(op);
        if (knownOp(op) && op != POp::TextOrder && (uses.a || uses.b || uses.c || uses.list))
          found.push_back(op);
      }
      return found;
    }();
    return ops;
  }

  std::mt19937 random_;
};

TEST(Jit, RandomPlansMatchTheInterpreter) {
  for (uint32_t seed = 1; seed <= 300; ++seed) {
    auto [plan, in] = RandomPlans(seed).make();
    runBoth(plan, in, "seed " + std::to_string(seed));
    if (HasFailure())
      break;
  }
}

// --- Edge cases, errors and the IR dump ---------------------------------------------------------

TEST(Jit, NoRowsAndNoSubjectsTouchNothing) {
  ScanWorld w = scanWorld();
  w.plan.scans.resize(1);
  Nodes x{w.plan.scans[0].nodes};
  const auto value = static_cast<int32_t>(x.add(POp::Column, w.value));
  w.plan.scans[0].updates = {{AggregateKind::Sum, 0, -1, value, -1}};
  w.plan.aggregateCount = 1;
  assign(w.plan, 0, [&](Nodes& f) { f.add(POp::RunParam, 0); });
  std::string error;
  auto jit = compileJit(w.plan, error);
  ASSERT_TRUE(jit) << error;
  KernelArgs args{}; // every pointer null: any read or write would crash
  jit->runScan(0, args);
  jit->runFormulas(0, args);

  // With buffers in place, zero rows and zero subjects leave every byte of them as it was.
  const double canary = 42.5;
  std::vector<double> accumulators(8 * kAccumulatorWidth, canary), slots(8, canary);
  std::vector<uint8_t> slotValid(8, 7);
  const std::vector<double> aggregates(8, canary), runValues(2, 3.0);
  const std::vector<uint8_t> aggregateValid(8, 1), runValid(2, 1);
  args.accumulators = accumulators.data();
  args.slotValues = slots.data();
  args.slotValid = slotValid.data();
  args.aggregateValues = aggregates.data();
  args.aggregateValid = aggregateValid.data();
  args.runValues = runValues.data();
  args.runValid = runValid.data();
  jit->runScan(0, args);
  jit->runFormulas(0, args);
  EXPECT_EQ(accumulators, std::vector<double>(8 * kAccumulatorWidth, canary));
  EXPECT_EQ(slots, std::vector<double>(8, canary));
  EXPECT_EQ(slotValid, std::vector<uint8_t>(8, 7));
  // The same kernels do write once there is one subject: the canaries can see a write.
  args.subjects = 1;
  jit->runFormulas(0, args);
  EXPECT_EQ(slots[0], 3.0);
  EXPECT_EQ(slotValid[0], 1);
}

TEST(Jit, RejectsMalformedPlansWithAMessage) {
  const auto rejects = [](const Plan& plan, const std::string& expected) {
    std::string error;
    EXPECT_EQ(compileJit(plan, error), nullptr);
    EXPECT_NE(error.find(expected), std::string::npos) << error;
  };
  {
    Plan plan;
    plan.scans.resize(1);
    Nodes{plan.scans[0].nodes}.add(POp::Column, 3);
    rejects(plan, "column 3 out of range");
  }
  {
    Plan plan;
    plan.aggregateCount = 1;
    plan.scans.resize(1);
    Nodes{plan.scans[0].nodes}.constant(1);
    plan.scans[0].updates.push_back({AggregateKind::Sum, 0, -1, 5, -1});
    rejects(plan, "node 5 out of range");
  }
  {
    // Two updates of one accumulator: a count's branch-free add would see the sum's -0.0.
    Plan plan;
    plan.aggregateCount = 1;
    plan.scans.resize(1);
    Nodes{plan.scans[0].nodes}.constant(1);
    plan.scans[0].updates.push_back({AggregateKind::Sum, 0, -1, 0, -1});
    plan.scans[0].updates.push_back({AggregateKind::Count, 0, -1, -1, -1});
    rejects(plan, "aggregate 0 is updated twice");
  }
  {
    Plan plan;
    assign(plan, 0, [](Nodes& x) { x.add(POp::Least, 0, 0, 0, {0}); });
    rejects(plan, "does not come before it");
  }
  {
    // Node 2 (assignment 1) reads node 1, which only assignment 2 evaluates.
    Plan plan;
    plan.slotCount = 3;
    Nodes x{plan.formulas.nodes};
    x.constant(1);
    x.constant(2);
    x.add(POp::Neg, 1);
    plan.formulas.assigns = {{0, {0, 1}}, {1, {2, 3}}, {2, {1, 2}}};
    rejects(plan, "node 2: reads node 1 before it is evaluated");
  }
  {
    Plan plan;
    plan.slotCount = 1;
    plan.formulas.assigns.push_back({0, {0, 0}});
    rejects(plan, "bad node range");
  }
}

TEST(Jit, DumpsNamedKernelsBeforeAndAfterOptimisation) {
  ScanWorld w = scanWorld();
  w.plan.scans.resize(2);
  Nodes x{w.plan.scans[0].nodes};
  const auto value = static_cast<int32_t>(x.add(POp::Column, w.value));
  w.plan.scans[0].updates = {{AggregateKind::Sum, 0, -1, value, -1}};
  w.plan.aggregateCount = 1;
  assign(w.plan, 0, [&](Nodes& f) { f.add(POp::Pow, f.add(POp::Aggregate, 0), f.constant(2)); });
  for (bool optimized : {false, true}) {
    const std::string ir = dumpLlvm(w.plan, optimized);
    EXPECT_NE(ir.find("define void @fulcrum_scan_0(ptr"), std::string::npos) << ir;
    EXPECT_NE(ir.find("define void @fulcrum_scan_1(ptr"), std::string::npos) << ir;
    EXPECT_NE(ir.find("define void @fulcrum_formulas(ptr"), std::string::npos) << ir;
    // pow stays a call to libm's pow, even with a constant exponent.
    EXPECT_NE(ir.find("@pow(double"), std::string::npos) << ir;
    EXPECT_EQ(ir.find("fast"), std::string::npos) << ir;
    EXPECT_EQ(ir.find("llvm.fma"), std::string::npos) << ir;
  }
  Plan bad;
  bad.scans.resize(1);
  Nodes{bad.scans[0].nodes}.add(POp::Column, 0);
  EXPECT_EQ(dumpLlvm(bad, false).rfind("; ", 0), 0u);
}

TEST(Jit, CompilesAndRunsOnSeveralThreadsAtOnce) {
  std::vector<std::pair<Plan, Inputs>> worlds;
  for (uint32_t seed = 1000; seed < 1008; ++seed)
    worlds.push_back(RandomPlans(seed).make());
  std::vector<Outputs> expected;
  for (const auto& [plan, in] : worlds)
    expected.push_back(run(*makeInterpreter(plan), plan, in));
  std::vector<std::string> failures(worlds.size());
  std::vector<std::thread> threads;
  for (size_t t = 0; t < worlds.size(); ++t)
    threads.emplace_back([&, t] {
      for (int round = 0; round < 5; ++round) {
        std::string error;
        auto jit = compileJit(worlds[t].first, error);
        if (!jit) {
          failures[t] = error;
          return;
        }
        const Outputs got = run(*jit, worlds[t].first, worlds[t].second);
        if (!firstDifference(got.accumulators, expected[t].accumulators).empty() ||
            !firstDifference(got.slotValues, expected[t].slotValues).empty() ||
            got.slotValid != expected[t].slotValid)
          failures[t] = "outputs differ";
      }
    });
  for (std::thread& thread : threads)
    thread.join();
  for (size_t t = 0; t < worlds.size(); ++t)
    EXPECT_EQ(failures[t], "") << "world " << t;
}

// --- Destroying an engine frees its code --------------------------------------------------------

TEST(Jit, ThousandProgramsInOneProcessDoNotGrowMemory) {
  ScanWorld w = scanWorld();
  Plan& plan = w.plan;
  plan.scans.resize(1);
  Nodes x{plan.scans[0].nodes};
  const auto value = static_cast<int32_t>(x.add(POp::Column, w.value));
  const auto day = static_cast<int32_t>(x.add(POp::Column, w.key));
  plan.scans[0].updates = {{AggregateKind::Sum, 0, -1, value, -1},
                           {AggregateKind::Last, 1, -1, value, day},
                           {AggregateKind::CountDistinct, 2, -1, day, -1}};
  plan.aggregateCount = 3;
  w.in.rowSubjects.resize(1);
  for (int64_t i = 0; i < plan.aggregateCount * w.in.subjects; ++i) {
    w.in.aggregateValues.push_back(static_cast<double>(i) * 1.5);
    w.in.aggregateValid.push_back(i % 4 != 0);
  }
  assign(plan, 0, [&](Nodes& f) {
    f.add(POp::Decay, f.add(POp::Aggregate, 0), f.constant(3), f.add(POp::RunParam, 0));
  });
  const Outputs expected = run(*makeInterpreter(plan), plan, w.in);

  const auto compileAndRun = [&](int times) {
    for (int i = 0; i < times; ++i) {
      std::string error;
      auto jit = compileJit(plan, error);
      ASSERT_TRUE(jit) << error;
      const Outputs got = run(*jit, plan, w.in);
      ASSERT_EQ(firstDifference(got.accumulators, expected.accumulators), "");
      ASSERT_EQ(firstDifference(got.slotValues, expected.slotValues), "");
    }
  };
  compileAndRun(100); // warm-up: LLVM's one-time allocations, the allocator's pools
  const double before = (static_cast<double>(testing_support::residentBytes()) / (1 << 20));
  compileAndRun(1000);
  const double after = (static_cast<double>(testing_support::residentBytes()) / (1 << 20));
  std::printf("[ memory   ] resident set %.1f MB after warm-up, %.1f MB after 1,000 programs "
              "(%+.2f MB)\n",
              before, after, after - before);
  if (!testing_support::kAddressSanitizer) {
    EXPECT_LE(after - before, 4.0);
  }
}

} // namespace
} // namespace fulcrum::runtime
