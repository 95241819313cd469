// Fulcrum's own syntax tree. Built from the ANTLR parse tree by compiler/parse/, annotated in
// place by compiler/check/ (types, resolutions); later phases read it and never see ANTLR.
// Nesting is bounded by the parser's depth limit, so walking it recursively is safe.
#pragma once

#include "compiler/ast/Type.h"
#include "compiler/source/SourceManager.h"
#include "runtime/plan/Aggregates.h"
#include "support/Calendar.h"
#include "support/CellFormat.h"
#include "support/Currency.h"

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace fulcrum {
struct FunctionInfo; // runtime/plan/Functions.h
}

namespace fulcrum::ast {

struct Ident {
  std::string name;
  SourceRange range;
};

struct TypeRef {
  Ident name;
  bool optional = false;
  SourceRange range;
};

// ---- expressions ------------------------------------------------------------------------------

enum class ExprKind : uint8_t {
  Number,
  Percent,
  Money,
  Date,
  PeriodLit,
  Duration,
  String,
  Bool,
  Missing,
  Name,
  Member,
  Unary,
  Binary,
  IsMissing,
  In,
  If,
  Case,
  Call,
  Error
};

struct Expr {
  const ExprKind kind;
  SourceRange range;
  Type type; // set by the checker

  explicit Expr(ExprKind k, SourceRange r) : kind(k), range(r) {}
  virtual ~Expr() = default;
  Expr(const Expr&) = delete;
  Expr& operator=(const Expr&) = delete;

  template <typename T> bool is() const { return kind == T::kKind; }
  template <typename T> T& as() { return static_cast<T&>(*this); }
  template <typename T> const T& as() const { return static_cast<const T&>(*this); }
};
using ExprPtr = std::unique_ptr<Expr>;

template <ExprKind K> struct ExprOf : Expr {
  static constexpr ExprKind kKind = K;
  explicit ExprOf(SourceRange r) : Expr(K, r) {}
};

struct NumberLit : ExprOf<ExprKind::Number> {
  using ExprOf::ExprOf;
  double value = 0;
};
struct PercentLit : ExprOf<ExprKind::Percent> {
  using ExprOf::ExprOf;
  double fraction = 0;
};
struct MoneyLit : ExprOf<ExprKind::Money> {
  using ExprOf::ExprOf;
  double value = 0; // dollars, for the checker's reasoning on literals
  double units = 0; // exact: units of 1/10,000 (support/Money.h), what the plan holds
  const Currency* currency = nullptr; // its sign's currency (`€40`: EUR)
};
struct DateLit : ExprOf<ExprKind::Date> {
  using ExprOf::ExprOf;
  DayNumber day = 0;
};
struct PeriodLitExpr : ExprOf<ExprKind::PeriodLit> {
  using ExprOf::ExprOf;
  // `FY2018-Q1` is fiscal: the parser reads its year and quarter, the checker sets
  // period.fiscalStart from the program's calendar declaration.
  Period period;
  bool fiscal = false;
};
struct DurationLit : ExprOf<ExprKind::Duration> {
  using ExprOf::ExprOf;
  int count = 0;
  PeriodUnit unit = PeriodUnit::Day;
};
struct BoolLit : ExprOf<ExprKind::Bool> {
  using ExprOf::ExprOf;
  bool value = false;
};
struct MissingLit : ExprOf<ExprKind::Missing> {
  using ExprOf::ExprOf;
};
// Stands where a subexpression could not be built; its error has been reported.
struct ErrorExpr : ExprOf<ExprKind::Error> {
  using ExprOf::ExprOf;
};

// A string; `{expr}` holes become expression parts.
struct StringLit : ExprOf<ExprKind::String> {
  using ExprOf::ExprOf;
  struct Part {
    std::string text; // used when expr is null
    ExprPtr expr;
  };
  std::vector<Part> parts;
  bool hasHoles() const;
  std::string plainText() const; // the text of a string without holes
};

// What a name or member refers to, filled in by the checker.
enum class RefKind : uint8_t {
  Unresolved,
  RowField,     // a field of the aggregate's current row
  SubjectField, // a field of the subject entity
  Metric,       // a framework member with a value (metric, score, band, key result)
  ScoreComponent,
  Param,
  FnParam,
  Period, // the evaluation window
  PeriodStart,
  PeriodEnd,
  Table,         // a table or entity as an aggregate source
  KeyResult,     // a key result's actual value
  KeyResultPart, // `big_wins.actual`, `.target`, `.progress` (index 0, 1, 2)
  ObjectivePart, // `revenue.score`, `revenue.grade` (index 0, 1)
  // Another framework's output for this subject or the level above it (`company_okrs.won.target`
  // in a framework over teams): decl is the field of its results, index the field's index.
  FrameworkOutput,
  Referenced // a field reached through a reference: `owner.manager`
};

struct Resolution {
  RefKind kind = RefKind::Unresolved;
  const void* decl = nullptr; // the declaration referred to (field, member, param)
  int index = -1;             // field or member index where useful
};

struct NameRef : ExprOf<ExprKind::Name> {
  using ExprOf::ExprOf;
  std::string name;
  Resolution resolution;
};

struct MemberRef : ExprOf<ExprKind::Member> {
  using ExprOf::ExprOf;
  ExprPtr base;
  Ident member;
  Resolution resolution;
};

enum class UnaryOp : uint8_t { Negate, Not };
struct UnaryExpr : ExprOf<ExprKind::Unary> {
  using ExprOf::ExprOf;
  UnaryOp op = UnaryOp::Negate;
  ExprPtr operand;
};

enum class BinaryOp : uint8_t {
#define BINARY_OP(Name, ...) Name,
#include "compiler/ast/BinaryOps.def"
};
const char* binaryOpSpelling(BinaryOp op);
bool isComparison(BinaryOp op);

struct BinaryExpr : ExprOf<ExprKind::Binary> {
  using ExprOf::ExprOf;
  BinaryOp op = BinaryOp::Add;
  SourceRange opRange;
  ExprPtr lhs, rhs;
};

struct IsMissingExpr : ExprOf<ExprKind::IsMissing> {
  using ExprOf::ExprOf;
  ExprPtr operand;
  bool negated = false;
};

// `x in (a, b)`, `d in period`, `d in previous 2 quarters`, `d in last 14 days`, `d in 2017-Q2`.
enum class InKind : uint8_t { List, Value, Previous, Last };
struct InExpr : ExprOf<ExprKind::In> {
  using ExprOf::ExprOf;
  ExprPtr value;
  bool negated = false;
  InKind inKind = InKind::List;
  std::vector<ExprPtr> items; // List: the items; Value: one item
  int count = 1;              // Previous/Last: how many units
  PeriodUnit unit = PeriodUnit::Quarter;
  bool previousPeriod = false; // `previous period`: one period of the cadence
  SourceRange windowRange;
};

struct IfExpr : ExprOf<ExprKind::If> {
  using ExprOf::ExprOf;
  ExprPtr condition, thenValue, elseValue;
};

struct CaseArm {
  ExprPtr condition;
  ExprPtr value;
  SourceRange range;
};
struct CaseExpr : ExprOf<ExprKind::Case> {
  using ExprOf::ExprOf;
  std::vector<CaseArm> arms;
  ExprPtr elseValue; // may be null: then no match is missing
  SourceRange elseRange;
};

enum class CallKind : uint8_t { Unresolved, Aggregate, Builtin, Function, PeerAggregate };

struct FnDecl;
struct CallExpr : ExprOf<ExprKind::Call> {
  using ExprOf::ExprOf;
  Ident callee;
  std::vector<ExprPtr> args;
  bool distinct = false;
  ExprPtr where;
  std::optional<Ident> by;
  std::optional<Ident> across;
  ExprPtr orderBy;
  bool orderDescending = false;
  SourceRange clausesRange;
  // Set by the checker.
  CallKind callKind = CallKind::Unresolved;
  AggregateKind aggregate = AggregateKind::Sum; // its row in runtime/plan/Aggregates.def
  const DataDecl* source = nullptr;             // Aggregate: the table or entity scanned
  // Aggregate: the source's field that selects the subject; kEveryRow for `subject company`.
  int subjectField = -1;
  static constexpr int kEveryRow = -2;
  // A framework's results whose rows are the members of the group subject (`sum(rep_okrs.x)`
  // over teams, where rep_okrs is over reps): each row belongs to its member's group.
  static constexpr int kMemberRows = -4;
  const FnDecl* function = nullptr;      // Function
  const FunctionInfo* builtin = nullptr; // Builtin: its row in runtime/plan/Functions.def
};

// ---- declarations -----------------------------------------------------------------------------

enum class DeclKind : uint8_t {
  Data,
  Param,
  Group,
  Fn,
  Import,
  Framework,
  Test,
  Calendar,
  Currency
};

struct Decl {
  const DeclKind kind;
  SourceRange range;
  Ident name;

  explicit Decl(DeclKind k) : kind(k) {}
  virtual ~Decl() = default;
  template <typename T> bool is() const { return kind == T::kKind; }
  template <typename T> T& as() { return static_cast<T&>(*this); }
  template <typename T> const T& as() const { return static_cast<const T&>(*this); }
};
using DeclPtr = std::unique_ptr<Decl>;

template <DeclKind K> struct DeclOf : Decl {
  static constexpr DeclKind kKind = K;
  DeclOf() : Decl(K) {}
};

// `in 1..5`: the values a field or param may hold, inclusive; an end may be open (`0..`). Each
// bound keeps its literal's kind (a percentage, money or a plain number) for the checker.
struct ValueRange {
  enum class BoundKind : uint8_t { Number, Percent, Money };
  std::optional<double> low, high;
  BoundKind lowKind = BoundKind::Number, highKind = BoundKind::Number;
  SourceRange range;
};

// `format "MM/DD/YYYY"` (`in zone "America/Los_Angeles"`): how a field's cells are written
// (docs/data-formats.md).
struct FieldFormat {
  std::string pattern;
  SourceRange patternRange;
  std::optional<std::string> zone;
  SourceRange zoneRange;
  std::shared_ptr<const CellFormat> compiled; // set by the checker
};

struct FieldDecl {
  Ident name;
  TypeRef typeRef;
  std::optional<ValueRange> valueRange;
  bool isKey = false;
  std::string column; // the CSV column read; the field's name unless `= column`
  std::optional<FieldFormat> format;
  SourceRange range;
  Type type; // set by the checker
};

// `from "x.csv" delimiter ";" headers loose`: how a file is written.
struct FileOptions {
  char delimiter = ',';
  bool detectDelimiter = false; // `delimiter auto`: read from the header, and reported
  bool looseHeaders = false;    // `headers loose`: columns match ignoring case and spaces
};

struct FrameworkDecl;

// `entity` and `table`; also the entity that a `group` makes, and a framework's results as read
// by another framework (`resultsOf`).
struct DataDecl : DeclOf<DeclKind::Data> {
  bool isEntity = false;
  // A framework's outputs as a table: one row per subject of that framework, one field per
  // output column (`revenue.score`); made by the checker, read from no file.
  const FrameworkDecl* resultsOf = nullptr;
  std::string fromPath;
  SourceRange fromRange;
  FileOptions fileOptions;
  std::vector<FieldDecl> fields;
  const struct GroupDecl* group = nullptr; // set for the entity a group declares
  // The implicit entity `company`, or a group without `by` (`group company of rep`): one
  // subject that every row of every table belongs to, keyed by its name.
  bool isCompany = false;
  int keyField() const;
  int fieldIndex(const std::string& name) const;
};

struct ParamDecl : DeclOf<DeclKind::Param> {
  TypeRef typeRef;
  std::optional<ValueRange> valueRange;
  ExprPtr defaultValue;
  Type type;
};

// `group team of rep by manager`: an entity whose rows are the distinct managers of reps.
struct GroupDecl : DeclOf<DeclKind::Group> {
  Ident member; // the member entity (`rep`)
  Ident by;     // the member's field that names the group (`manager`); empty: one group of all
  std::unique_ptr<DataDecl> entity; // the entity made, with one key field
};

struct FnParam {
  Ident name;
  TypeRef typeRef;
  Type type;
};
struct FnDecl : DeclOf<DeclKind::Fn> {
  std::vector<FnParam> params;
  TypeRef result;
  ExprPtr body;
  Type resultType;
};

struct ImportDecl : DeclOf<DeclKind::Import> {
  std::string path;
};

// `calendar fiscal year starts February`: quarters and years follow a fiscal year starting in
// that month; `FY2018-Q1` literals name its quarters.
struct CalendarDecl : DeclOf<DeclKind::Calendar> {
  int startMonth = 1; // 1-12
};

// `currency EUR`: the program's one currency (support/Currency.h); USD without one.
struct CurrencyDecl : DeclOf<DeclKind::Currency> {
  Ident code;                         // as written: `EUR`
  const Currency* currency = nullptr; // null when the code is unknown (the checker reports it)
};

// ---- framework members ------------------------------------------------------------------------

enum class MemberKind : uint8_t {
  Subject,
  Cadence,
  Metric,
  Score,
  Band,
  Objective,
  Rank,
  Alert,
  Check,
  Report
};

struct Member {
  const MemberKind kind;
  SourceRange range;
  Ident name; // empty for subject, cadence, check

  explicit Member(MemberKind k) : kind(k) {}
  virtual ~Member() = default;
  template <typename T> bool is() const { return kind == T::kKind; }
  template <typename T> T& as() { return static_cast<T&>(*this); }
  template <typename T> const T& as() const { return static_cast<const T&>(*this); }
};
using MemberPtr = std::unique_ptr<Member>;

template <MemberKind K> struct MemberOf : Member {
  static constexpr MemberKind kKind = K;
  MemberOf() : Member(K) {}
};

struct SubjectMember : MemberOf<MemberKind::Subject> {
  Ident entity;
};
struct CadenceMember : MemberOf<MemberKind::Cadence> {
  Ident unit;
};

struct MetricMember : MemberOf<MemberKind::Metric> {
  std::optional<TypeRef> declaredType;
  ExprPtr value;
  Type type;
};

struct ScoreComponent {
  Ident name;
  double weight = 0; // a fraction
  SourceRange weightRange;
  ExprPtr value;
};
struct ScoreMember : MemberOf<MemberKind::Score> {
  double outOf = 0;
  std::vector<ScoreComponent> components;
};

struct BandMember : MemberOf<MemberKind::Band> {
  ExprPtr value;
  Type type;
};

struct KeyResult {
  Ident name;
  std::string title;
  ExprPtr actual;
  ExprPtr target;
  bool lowerIsBetter = false;
  std::optional<double> weight;
  SourceRange range;
};
// `objective NAME "title"`; an unnamed one is named `objective_N` by the checker (N: its place
// among the framework's objectives). Its outputs are `NAME.score` and `NAME.grade`.
struct ObjectiveMember : MemberOf<MemberKind::Objective> {
  std::string title;
  bool named = false; // written with a name
  std::optional<double> weight;
  std::vector<KeyResult> keyResults;
};

struct RankMember : MemberOf<MemberKind::Rank> {
  ExprPtr by;
  bool descending = false;
  // `within owner` (a field of the subject) or `within team` (a group of the subject entity:
  // its `by` field). Set by the checker: the subject's field that names the group, or -1.
  std::optional<Ident> within;
  int withinField = -1;
};

struct AlertMember : MemberOf<MemberKind::Alert> {
  std::string title;
  std::optional<Ident> onTable; // active alert: one per matching row
  ExprPtr where;                // with onTable (may be null)
  ExprPtr when;                 // passive alert: one per subject
  std::unique_ptr<StringLit> message;
  ExprPtr priority;
  // Set by the checker for an active alert: its table, the table's field that refers to the
  // subject (-1 when the table is the subject entity itself; CallExpr::kEveryRow under
  // `subject company`), and the table's first date field, which dates its alerts.
  const DataDecl* table = nullptr;
  int subjectField = -1;
  int dateField = -1;
};

struct CheckMember : MemberOf<MemberKind::Check> {
  std::string label;
  ExprPtr condition;
};

// `report { quadrant x temperature, y size_of_prize, size priority  funnel quota, pipeline }`:
// how `fulcrum report` draws the framework (cli/report/ReportShape.cpp); no effect on a
// run but one: a funnel stage's param is a run param (its value reaches the report).
struct ReportMember : MemberOf<MemberKind::Report> {
  struct Quadrant {
    SourceRange range;
    Ident x, y;
    std::optional<Ident> size; // a rank: rank 1 the largest point
  };
  struct Funnel {
    SourceRange range;
    std::vector<Ident> stages; // from quota back to daily activity
  };
  std::optional<Quadrant> quadrant;
  std::optional<Funnel> funnel;
};

struct FrameworkDecl : DeclOf<DeclKind::Framework> {
  std::string title;
  std::vector<MemberPtr> members;
  // Set by the checker.
  const DataDecl* subject = nullptr;
  std::optional<PeriodUnit> cadence;
  // Members with values, alerts and checks, each after everything it reads.
  std::vector<const Member*> evaluationOrder;
  // Its output columns as a table other frameworks read (`team_okrs.revenue.score`).
  std::unique_ptr<DataDecl> results;
};

// Every expression a member holds (formulas, conditions, messages), in source order.
std::vector<const Expr*> memberExpressions(const Member& member);

// The value of a number, percent or money literal, possibly negated; nullopt for anything else.
std::optional<double> numericLiteral(const Expr& expr);

// ---- tests ------------------------------------------------------------------------------------

struct FieldInit {
  Ident field;
  ExprPtr value;
};
struct TestRow {
  Ident table;
  std::vector<FieldInit> fields;
  SourceRange range;
};
// `attainment: 166%` or `attainment: 166% ± 1%`: one output's expected value.
struct ExpectedValue {
  Ident field; // the output
  ExprPtr value;
  ExprPtr tolerance;   // null: the value matches to the precision it is written with
  std::string written; // the value as written (`166%`, `$1_234.50`), for that precision
  SourceRange range;
};
struct TestExpect {
  ExprPtr subjectKey;
  std::vector<ExpectedValue> values;
  SourceRange range;
};
// `expect violation "CHECK" for SUBJECT`, `expect no violation`,
// `expect alert NAME for SUBJECT [dated D]`.
enum class OutcomeKind : uint8_t { Violation, NoViolation, Alert };
struct TestOutcome {
  OutcomeKind kind = OutcomeKind::Violation;
  Ident name;         // the check's label (a violation) or the alert's name
  ExprPtr subjectKey; // null for `no violation`
  ExprPtr dated;      // an alert's date, or null
  SourceRange range;
};
// `deals from "fixtures/deals.csv"`: a table's rows from a CSV file, relative to the test's file.
struct TestFixture {
  Ident table;
  std::string path;
  SourceRange range;
};
struct TestParam {
  Ident name;
  ExprPtr value;
};
struct TestDecl : DeclOf<DeclKind::Test> {
  std::string title; // the test's name is its title string
  Ident framework;
  ExprPtr period;
  ExprPtr asOf;
  std::vector<TestParam> params;
  std::vector<TestRow> rows;
  std::vector<TestFixture> fixtures;
  std::vector<TestExpect> expects;
  std::vector<TestOutcome> outcomes;
};

// One source file's declarations.
struct Module {
  FileId file = 0;
  std::vector<DeclPtr> decls;
  // The standard library's `okr` module, whose `grade` grades every objective (imported or
  // not); `implicit` when only that brought it in: its names are then not declared.
  bool standardOkr = false;
  bool implicit = false;
};

} // namespace fulcrum::ast
