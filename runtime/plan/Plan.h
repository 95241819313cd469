// The typed plan: what both engines (the reference interpreter and the LLVM JIT) execute.
//
// A plan has two kinds of kernels over flat, post-ordered expression nodes:
//  - a ScanKernel per table: one pass over the table's rows that updates every aggregate the
//    framework needs from that table (filters and values shared between aggregates);
//  - one FormulaKernel: per subject, the framework's values in dependency order.
// Between them, finalizeAggregate (runtime/exec/Finalize.h, plain C++, shared by both engines)
// turns accumulators into per-subject results. Everything that varies per run (period bounds, as-of
// date, params) is a run parameter read at run time, so one compiled program serves every period.
#pragma once

#include "runtime/plan/Aggregates.h"
#include "runtime/plan/Ops.h"
#include "runtime/plan/Probes.h"
#include "runtime/plan/ValueType.h"
#include "support/Calendar.h"
#include "support/CellFormat.h"
#include "support/Currency.h"

#include <cmath>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace fulcrum::runtime {

// A string pool's text -> code, looked up by string_view (no string made to ask).
using StringCodes = std::map<std::string, int32_t, std::less<>>;

// Every value is a double plus a validity bit (missing = not valid). Text values are codes in
// the program's string pool, dates day numbers, bools 0/1, periods a PeriodCode, money a whole
// number of units of 1/10,000 (support/Money.h), so that sums and comparisons of money are exact.
inline double periodCode(int32_t firstDay, int32_t lastDay) {
  return static_cast<double>(firstDay) * 1048576.0 + static_cast<double>(lastDay - firstDay);
}
// A PeriodCode's first and last day, as day numbers (every step is exact in doubles, so the JIT's
// same steps give the same bits: POp::PeriodFirst, POp::PeriodLast).
inline double periodCodeFirst(double code) {
  return std::floor(code / 1048576.0);
}
inline double periodCodeLast(double code) {
  const double first = periodCodeFirst(code);
  return first + (code - first * 1048576.0);
}

struct PNode {
  POp op = POp::Const;
  uint32_t a = 0, b = 0, c = 0; // operands (node indexes, or ids as the op says)
  double value = 0;             // Const
  std::vector<uint32_t> list;   // InSet: constant values' nodes; Least/Greatest: operands
};

// Nodes are post-ordered: every operand index is smaller than its user's index, so an engine
// can evaluate a node range front to back.
struct NodeRange {
  uint32_t begin = 0, end = 0; // [begin, end); the result is node end - 1
};

// How a bound column is stored (runtime/data/Table.h keeps each kind in its own vector).
enum class Storage : uint8_t { F64, I32, U8 };

// One aggregate updated by a scan. A row counts when its subject is >= 0 and its filter is
// valid and true; rows whose value is missing are skipped (Count of rows has no value).
struct AggregateUpdate {
  AggregateKind kind = AggregateKind::Sum; // its row in runtime/plan/Aggregates.def
  uint32_t aggregate = 0;                  // index of the aggregate (its accumulator block)
  int32_t filter = -1;                     // node index in the scan, or -1 for every row
  int32_t value = -1;                      // node index, or -1 (Count of rows)
  int32_t orderKey = -1;                   // First/Last
  // The result is money (units of 1/10,000): an average or a median is rounded to a whole unit,
  // and a result outside money's range is missing (runtime/exec/Aggregation.h, settledResult).
  bool money = false;
  // The result is a text (first or last of a text): a code in the run's string pool, which means
  // nothing to another process (a distributed run ships the text itself: Partials.cpp).
  bool text = false;
  // The value aggregated is a text (pool codes): a distributed run ships count distinct's kept
  // values and first/last's value as their texts (PartialStates.cpp).
  bool textValue = false;
};

struct ScanKernel {
  uint32_t table = 0;        // index into Plan::tables
  uint32_t subjectOfRow = 0; // index into Plan::rowSubjects: row -> subject, -1 for none
  std::vector<PNode> nodes;  // shared by all updates; evaluate all of them per row
  std::vector<AggregateUpdate> updates;
  // A peer step's accumulation (see PeerStep): rows are the subjects, "subjects" their peer
  // groups; runs before formula stage `peerStage`. -1: a scan of a table, run first.
  int32_t peerStage = -1;
  // Active alerts (`alert ... on TABLE where P`): each row whose node `filter` is true (valid and
  // non-zero) is handed to fulcrumMatchRow for alert `alert` (an index into Plan::alerts). A
  // filter that reads no member rides along a table's ordinary scan; one that reads members
  // (Slot nodes: the row's subject's) has a scan of its own, run after the formula stages.
  struct AlertMatch {
    uint32_t alert = 0;
    uint32_t filter = 0;
  };
  std::vector<AlertMatch> matches;
  bool afterFormulas = false;
  // `sum(deals.value where value > avg(deals.value))`: a scan whose nodes read aggregates of the
  // row's subject (Aggregate leaves) runs in a second pass, once every first-pass scan's
  // aggregates are final. 0: the first pass.
  uint8_t pass = 0;
};

// A slot is one per-subject value: a metric, a score, a score component, a band, a check.
struct SlotAssign {
  uint32_t slot = 0;
  NodeRange nodes;
};

struct FormulaKernel {
  std::vector<PNode> nodes;
  std::vector<SlotAssign> assigns; // in dependency order
};

// `avg(m across rep by manager)`: before a formula stage, every subject gets the aggregate of
// slot `input` over its peers: all subjects, or those whose `groupColumn` (a bound column of
// the subject table) holds the same value, the subject itself included. Missing inputs are
// skipped (Sum and Count of none are 0; Avg, Min and Max of none are missing); a subject whose
// group value is missing gets a missing result. One pass accumulates per group, one hands the
// results out: linear in subjects, shared by both engines.
//
// The accumulation is an ordinary scan kernel (Plan::scans[scan], compiled by the JIT like any
// other) over the subjects as rows, reading the input slot through bound column `inputColumn`
// and grouping by each subject's group index; handing the group results back to the subjects
// is an array lookup per subject.
struct PeerStep {
  AggregateKind kind = AggregateKind::Avg; // one whose row allows `across`
  uint32_t input = 0;                      // slot
  int32_t groupColumn = -1;                // bound column, or -1 for every subject
  uint32_t output = 0;                     // slot
  bool money = false;                      // as AggregateUpdate::money
  // An aggregate that accumulates: its scan over the subjects, its aggregate (indexed by group)
  // and the bound column that shows the input slot. One that keeps its values (median,
  // count distinct) has no scan: the runtime collects each group's values and finalizes them.
  uint32_t scan = 0;
  uint32_t aggregate = 0;
  uint32_t inputColumn = 0;
  // First and last: the slot of the `order by` key and the bound column that shows it; ties go
  // by subject order, as the scan reads subjects in order (first: the earliest, last: the
  // latest). -1: no key.
  int32_t orderInput = -1;
  uint32_t orderColumn = 0;
};

// `rank priority by x desc within owner`: before a formula stage, every subject gets its place
// by slot `input` among all subjects, or among those whose `groupColumn` (a bound column of the
// subject table) holds the same value: 1 for the first, ties share the smaller place and the
// next place skips (SQL's RANK()). A missing input, or a missing group value, gives a missing
// rank. Shared by both engines (runtime/exec/Ranks.h).
struct RankStep {
  uint32_t input = 0; // slot
  bool descending = false;
  int32_t groupColumn = -1; // bound column, or -1 for every subject
  uint32_t output = 0;      // slot
};

// Formula stages after the first: each runs once the peer steps and ranks before it are done.
struct FormulaStage {
  std::vector<PeerStep> peers;
  std::vector<RankStep> ranks;
  FormulaKernel kernel;
};

// A piece of an alert's message: literal text, or a hole's value (node `value` of the alert's
// nodes, shown as `kind` is shown: language.md, "How values are shown").
struct MessagePart {
  std::string text;
  int32_t value = -1; // -1: the part is `text`
  ValueType kind = ValueType::Text;
};

// `alert NAME "title" on TABLE where P message "..." [priority E]` (active: one alert per row
// of `table` whose filter holds, dated by the row's first date field) or `alert NAME "title"
// when P message "..."` (passive: one per subject whose slot `condition` is true, dated the
// as-of day). The engines decide which rows and subjects fire (an active filter is a scan's
// AlertMatch, a passive condition a slot); the message and priority of each alert that fires
// are `nodes` evaluated by the reference evaluator at that row (active: row context, where a
// Slot is the row's subject's) or that subject (passive: formula context), after the formulas.
struct AlertSpec {
  std::string name;
  std::string title;
  bool active = false;
  // Active: the table and its row -> subject map, the bound column that dates a row (its first
  // date field), and the bound columns that identify a row across runs: its key, or all its
  // fields when it has none.
  uint32_t table = 0;
  uint32_t rowSubjects = 0;
  uint32_t dateColumn = 0;
  std::vector<uint32_t> identityColumns;
  bool identityIsKey = false;
  // Passive: the slot of its condition.
  uint32_t condition = 0;
  std::vector<PNode> nodes;
  std::vector<MessagePart> message;
  int32_t priority = -1; // node, or -1 when none is declared
  ValueType priorityKind = ValueType::Number;
};

struct BoundColumnSpec {
  uint32_t table = 0;
  uint32_t field = 0;
  Storage storage = Storage::F64;
  std::string name; // `deals.value`, for dumps
  // A peer step's input: the slot's values, pointed at when the step runs, not loaded data.
  bool slotInput = false;
  // Declared without `?`: the loader rejects rows with an empty cell, so every loaded value is
  // present and the engines need not read its validity.
  bool neverMissing = false;
};

// A field of a declared table or entity, as the loader reads it.
struct PlanField {
  std::string name;
  std::string column; // the CSV column read
  ValueType type = ValueType::Number;
  bool optional = false;
  std::string typeName;        // as declared (`money`, `rep`), for load messages
  std::string referencedTable; // a reference: the entity it names; else empty
  // `in 1..5`: the loader rejects a cell outside [minimum, maximum] (either end may be open).
  std::optional<double> minimum, maximum;
  // `format "MM/DD/YYYY"`: how its cells are written, compiled by the checker; null for the
  // plain forms (ISO dates, `1234.56`).
  std::shared_ptr<const CellFormat> format = nullptr;
};

// A declared table or entity (or the entity a group or `subject company` makes).
struct PlanTable {
  std::string name;
  bool isEntity = false;
  bool isGroup = false;   // a group's entity: not read from a file
  bool isCompany = false; // `company` or a group without `by`: one row, keyed by `name`
  int32_t keyField = -1;
  std::vector<PlanField> fields = {};
  // Its `from` file, resolved against the declaring file's folder; empty when it names none.
  std::string path = {};
  // `delimiter ";"` (or `auto`: read from the header and reported) and `headers loose`.
  char delimiter = ',';
  bool detectDelimiter = false;
  bool looseHeaders = false;
  // The program's currency's sign (a registry row's: static): the one a plain money cell may carry.
  std::string_view currencySign = "$";
  // A group's entity (`group team of rep by manager`) is not read from a file: its rows are
  // the distinct values of field `groupField` of table `groupMembers` (rep.manager).
  int32_t groupMembers = -1;
  int32_t groupField = -1;
  // Another framework's results (Plan::feeds[feed]): its rows are that framework's subjects, its
  // columns are filled by each run.
  int32_t feed = -1;
};

// A name `--data NAME=PATH` may give: a table or entity the program declares, read from a file,
// or a group or `company`, read from none (naming one is allowed and changes nothing).
struct DeclaredData {
  std::string name;
  bool readFromFile = true;
};

// How a row of a table finds its subject.
enum class SubjectPath : uint8_t {
  Self,              // the table is the subject entity: row i is subject i
  Reference,         // field `field` refers to the subject entity
  ReferenceToMember, // field `field` refers to a member of the subject group (deals.owner: rep)
  Member,            // the table is the group's member entity (rep rows of a team)
  Everything         // `subject company`: every row belongs to the one subject
};

struct RowSubjectSpec {
  uint32_t table = 0;
  int32_t field = -1; // the reference field, for Reference and ReferenceToMember
  SubjectPath path = SubjectPath::Self;
};

enum class RunParamKind : uint8_t {
  UserParam,  // a `param`, default or overridden
  PeriodCode, // the evaluation period as a PeriodCode
  PeriodStart,
  PeriodEnd,       // the period's last day (`period.end`)
  PeriodToDateEnd, // where `in period` ends: the period's last day, or the as-of day if earlier
  AsOf,
  WindowStart, // start of `previous N units` / `last N units` (see window fields)
  WindowEnd,
  WorkingDays // Monday..Friday days of the period
};

struct RunParamSpec {
  RunParamKind kind = RunParamKind::UserParam;
  // UserParam: the param's declared type (and its name as written, for messages) and its
  // default: a literal's value (negated if written so), or a string literal's text, read as a
  // `--param` value is. Neither: it has no default the run can use.
  ValueType paramType = ValueType::Number;
  std::string paramTypeName;
  std::optional<double> defaultValue;
  std::optional<std::string> defaultText;
  std::optional<double> minimum, maximum; // `param x: number in 0..10`: an override outside is
                                          // a usage error
  // Windows: `previous period` is previousPeriods = 1 of the cadence; `previous 2 quarters`
  // is count = 2, unit quarter (whole quarters before the period's start); `last 14 days`
  // is last = true: count units ending at the as-of day.
  bool last = false;
  bool ofCadence = false;
  int count = 1;
  PeriodUnit unit = PeriodUnit::Day;
  std::string
      name; // the param's name; for dumps: `period.start`, `quota`, `previous 2 quarter.start`
  // WorkingDays: weekdays listed in this plan table's date field are not working days
  // (a declared `table holidays { day: date }`); -1 when there is none. The days counted are
  // the run's period's, or those of a period written in the source (`working_days(2017-Q1)`).
  int32_t holidaysTable = -1;
  int32_t holidaysField = -1;
  std::optional<std::pair<DayNumber, DayNumber>> fixedPeriod;
};

// What member an output column comes from, where its type alone does not tell: a band is text
// and a score a number like any metric (`fulcrum diff` counts band changes and score deltas).
enum class OutputRole : uint8_t { Value, Score, Band, Rank };

// An output column, in declaration order after the subject's key.
struct OutputColumn {
  std::string name; // `won`, `llr`, `llr.results`, `outcome`
  uint32_t slot = 0;
  ValueType kind = ValueType::Number; // how to print it
  OutputRole role = OutputRole::Value;
};

struct CheckSpec {
  std::string label;
  uint32_t slot = 0;
  std::vector<OutputColumn> inputs; // the values a violation report shows
};

// A score component outside [0, 1] is clamped; the run reports how often, per component.
struct ClampSpec {
  std::string name; // `llr.results`
  uint32_t rawSlot = 0;
};

// `a / b` written in a per-subject formula (a metric, a score, a band, a check, an alert's
// `when`), or a key result's progress (`actual / target`, written by the language), for `check
// --prove`'s question "can it divide by zero where the member's value is then missing?"
// (compiler/prove/). The engines never read it.
struct DivisionSpec {
  std::string member;                // as Probe::member: `attainment`, `no PIP above quota`
  uint32_t stage = 0;                // the formula stage of its nodes
  uint32_t divisor = 0;              // the divisor's node
  ProbeSource at;                    // the division as written; line and column of its `/`
  bool declaredMayBeMissing = false; // its member is a metric declared `T?`
  // The slot of its member's value (a check's, a passive alert's condition), set once the member
  // is lowered (a key result's progress: the progress): a check's label may be another member's
  // name, so the member is not looked up by name. -1 when the member has no slot of its own (a
  // key result's actual and target).
  int32_t memberSlot = -1;
};

// `stage == "won"`: a text field of a table compared with a literal. Once the data is loaded, a
// literal that no row holds is a warning with the closest values (the loader knows every value
// of a text column): a typo that would otherwise count nothing, silently.
struct TextLiteralSpec {
  uint32_t table = 0; // plan table
  uint32_t field = 0;
  std::string literal;
  // Where the literal is written (1-based line and column, its length in columns).
  std::string file;
  uint32_t line = 0, column = 0, length = 0;
};

// An objective's score over the key results that are not missing: the run notes, per key
// result, for how many subjects it was missing while the objective still had a score.
struct PartialScoreSpec {
  std::string objective; // `objective_1`
  std::string keyResult; // `engaged`
  uint32_t progress = 0; // the key result's progress slot
  uint32_t score = 0;    // the objective's score slot
};

struct Plan;

// Another framework this one reads (`team_okrs.revenue.score`, `avg(team_okrs.revenue.score)`):
// it runs first, for the same request, and its output columns become values of this run: slots
// for reads of this subject's row (Same) or of the row above it (Parent: the company's one row,
// or the group the subject belongs to), bound columns of a table of its own, one row per
// subject of that framework, for aggregates over the subject's members (runtime/program/
// RunFeeds.cpp).
enum class FeedRelation : uint8_t { Same, Parent, Members };
struct FeedSpec {
  std::shared_ptr<const Plan> plan;
  FeedRelation relation = FeedRelation::Same;
  int32_t table = -1; // the plan table of its rows (Members), or -1
  struct Read {
    uint32_t output = 0; // its plan's output column
    uint32_t target = 0; // this plan's slot (Same, Parent) or bound column (Members)
  };
  std::vector<Read> reads;
};

struct Plan {
  std::string frameworkName;
  PeriodUnit cadence = PeriodUnit::Quarter; // a run's period must be one of these
  // `calendar fiscal year starts February`: the month (1-12) the program's fiscal year starts
  // in, or 0. Quarters and years (the cadence's, `previous N quarters`) are then fiscal ones.
  int fiscalStart = 0;
  // `currency EUR`: the sign money is shown with (`€1,234`); USD's `$` without one.
  const Currency* currency = &defaultCurrency();
  std::vector<PlanTable> tables; // tables[0] is the subject entity
  // Entities the tables' references lead to (transitively) that are not tables: the loader
  // reads them too, to resolve the references.
  std::vector<PlanTable> referencedEntities;
  std::vector<DeclaredData> declaredData; // by name
  std::vector<BoundColumnSpec> columns;
  std::vector<RowSubjectSpec> rowSubjects;
  std::vector<RunParamSpec> runParams;
  std::vector<ScanKernel> scans;
  uint32_t aggregateCount = 0;
  FormulaKernel formulas;                // the first formula stage
  std::vector<FormulaStage> laterStages; // only frameworks with `across` have any
  uint32_t slotCount = 0;
  std::vector<OutputColumn> outputs;
  std::vector<CheckSpec> checks;
  std::vector<ClampSpec> clamps;
  std::vector<DivisionSpec> divisions; // in the order they were lowered
  std::vector<PartialScoreSpec> partialScores;
  std::vector<TextLiteralSpec> textLiterals;
  std::vector<AlertSpec> alerts;    // in declaration order
  int32_t orderOutput = -1;         // the first rank's output column: the table's order
  std::vector<std::string> strings; // the string pool: code -> text
  bool usesTextOrder = false;       // some node is a TextOrder: runs rank their texts
  // working_days of a period value (POp::WorkingDaysOf) takes out the days of this table's date
  // field (a declared `holidays` table); -1 when there is none.
  int32_t holidaysTable = -1;
  int32_t holidaysField = -1;
  std::vector<FeedSpec> feeds; // the frameworks it reads, run first
  // Where each value comes from, for `run --explain` and `test --coverage` (Probes.h); in the
  // order the members were lowered. The engines and the plan's dump ignore them.
  std::vector<Probe> probes;
};

// Formula stage `stage`: 0 is Plan::formulas, then the later stages' kernels.
inline const FormulaKernel& formulaKernel(const Plan& plan, size_t stage) {
  return stage == 0 ? plan.formulas : plan.laterStages[stage - 1].kernel;
}

// A readable dump of a plan, for `--dump-plan` and its tests.
std::string dumpPlan(const Plan& plan);

} // namespace fulcrum::runtime
