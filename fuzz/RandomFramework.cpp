// The generator of random, well-typed frameworks and their data (see RandomFramework.h).
//
// Every expression is drawn for a wanted value class (money, a dimensionless number, bool, text,
// date) and built only from pieces the checker accepts for that class: money adds only to money,
// money times a dimensionless number is money, money / money is a number, a count never divides
// money (the generator turns the dividend into a number first), a bare literal goes
// anywhere a number or money does. Every binary operation is parenthesised, so precedence never
// decides what the text means. Names are unique across the whole program (tables, fields,
// params, members), so no name is ever resolved by the checker's shadowing order by accident.
#include "fuzz/RandomFramework.h"

#include "support/Calendar.h"

#include <algorithm>
#include <fmt/format.h>
#include <functional>
#include <utility>

namespace fulcrum::fuzz {
namespace {

// The value classes of the checker's unit rules that matter for well-typedness. `Number` is
// every dimensionless kind (number, count, percent): they mix freely.
enum class Want { Money, Number, Bool, Text, Date, Period };

enum class FieldType { Text, Money, Number, Count, Percent, Bool, Date, Period, Reference };

Want wantOf(FieldType type) {
  switch (type) {
  case FieldType::Money:
    return Want::Money;
  case FieldType::Number:
  case FieldType::Count:
  case FieldType::Percent:
    return Want::Number;
  case FieldType::Bool:
    return Want::Bool;
  case FieldType::Date:
    return Want::Date;
  case FieldType::Period:
    return Want::Period;
  default:
    return Want::Text;
  }
}

const char* typeWord(FieldType type) {
  switch (type) {
  case FieldType::Text:
    return "text";
  case FieldType::Money:
    return "money";
  case FieldType::Number:
    return "number";
  case FieldType::Count:
    return "count";
  case FieldType::Percent:
    return "percent";
  case FieldType::Bool:
    return "bool";
  case FieldType::Date:
    return "date";
  case FieldType::Period:
    return "period";
  case FieldType::Reference:
    return "reference";
  }
  return "?";
}

struct Field {
  std::string name;
  FieldType type = FieldType::Text;
  bool optional = false;
  bool key = false;
  int entity = -1;                     // a Reference: the index of the entity it names
  std::vector<std::string> vocabulary; // a Text field: the values its cells take
  std::string column;                  // the CSV header it reads (its name unless mapped)
};

// An entity or a table, with the rows generated for it.
struct Data {
  std::string name;
  bool entity = false;
  std::vector<Field> fields;
  std::vector<std::string> keys; // an entity's key texts, one per row
  int rows = 0;

  size_t keyFieldIndex() const {
    for (size_t i = 0; i < fields.size(); ++i)
      if (fields[i].key)
        return i;
    return 0;
  }
};

struct Param {
  std::string name;
  FieldType type;
  std::string defaultText;
  std::vector<std::string> overrides; // values a run may pass with --param
};

struct FnParamInfo {
  std::string name;
  Want want;
};

struct Function {
  std::string name;
  std::vector<FnParamInfo> params;
  Want result;
};

// A value a later formula may read: a metric, a band, a score, a component, a key result part.
struct NamedValue {
  std::string text;
  Want want;
};

enum class Where { Formula, Row, Function };

// Where an expression is being generated.
struct Scope {
  Where where = Where::Formula;
  const Data* row = nullptr; // Row: the aggregate's table
  bool qualify = false;      // Row: write fields as `table.field` (an aggregate's value)
  bool subjectFields = true; // Row: the subject's fields may be read through the link
  bool peers = true;         // Formula: `across` may be used (not inside another one)
  const std::vector<FnParamInfo>* fnParams = nullptr;
};

// Words the generator's text values come from; some only appear in data, some only in code.
const std::vector<std::string> kStages = {"Won", "Lost", "Open", "Engaging", "won"};
const std::vector<std::string> kKinds = {"call", "email", "meeting", "demo", "Call"};
const std::vector<std::string> kManagers = {"Mo", "Lee", "Kim"};
const std::vector<std::string> kRegions = {"West", "East", "Café", "North, South"};
const std::vector<std::string> kTiers = {"gold", "silver", "bronze"};
const std::vector<std::string> kRepNames = {"Ann", "Bo",  "Cy",  "Di", "Ed",
                                            "Flo", "Gus", "Hal", "Ivy"};
const std::vector<std::string> kAccountCodes = {"acme",     "globex", "initech",
                                                "umbrella", "hooli",  "stark"};
// Text cells that only data holds: quotes, commas, spaces, non-ASCII.
const std::vector<std::string> kOddTexts = {"He said \"no\"", " padded ", "a,b", "Ünïcode", "x"};

std::string zeros(int count) {
  return std::string(static_cast<size_t>(count), '0');
}

// 1e300 and 1e-300 written as plain decimals (neither the CSV reader nor the grammar takes an
// exponent).
std::string hugeDecimal() {
  return "1" + zeros(300);
}
std::string tinyDecimal() {
  return "0." + zeros(299) + "1";
}

std::string quoteString(const std::string& text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\')
      out += '\\';
    out += c;
  }
  return out + "\"";
}

std::string csvCell(const std::string& text) {
  if (text.find_first_of(",\"\r\n") == std::string::npos)
    return text;
  std::string out = "\"";
  for (char c : text)
    out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

// Draws are made one statement at a time, into named locals, left to right as the text reads:
// the evaluation order of a call's arguments (or of `+`'s operands) is unspecified, and GCC and
// clang differ, so draws inside one call would give a seed one case under each.
class Generator {
public:
  Generator(ByteSource& program, ByteSource& data) : random_(&program), data_(&data) {}
  // The case; with `withData` false only its program (source, framework, programBytes).
  RandomCase run(bool withData = true);

private:
  // ---- declarations ----
  void choosePeriod();
  void declareEntities();
  void declareTables();
  void declareParams();
  void declareFunctions();
  void declareFramework();
  std::string dataText(const Data& data) const;

  // ---- framework members ----
  void addMetric();
  void addCategoryCounts();
  void addScore();
  void addBand();
  void addObjective();
  void addCheck();
  void addRank();
  void addAlert();
  std::string hole(const Scope& scope);

  // ---- expressions ----
  std::string gen(Want want, int depth, const Scope& scope);
  std::string leaf(Want want, const Scope& scope);
  std::string composite(Want want, int depth, const Scope& scope);
  std::string condition(int depth, const Scope& scope) { return gen(Want::Bool, depth, scope); }
  std::string comparison(int depth, const Scope& scope);
  std::string window(int depth, const Scope& scope);
  std::string aggregate(Want want, int depth, const Scope& scope);
  std::string peerAggregate(Want want, int depth, const Scope& scope);
  std::string functionCall(Want want, int depth, const Scope& scope);
  std::string caseExpr(Want want, int depth, const Scope& scope);
  std::string literal(Want want);
  std::string numberLiteral();
  std::string moneyCell();
  std::string moneyLiteral();
  std::string dateLiteral();
  std::string textLiteral();
  std::string durationLiteral();
  std::string periodLiteral();
  // Fields of a row (or the subject) that hold `want`, as they are written in `scope`.
  std::vector<std::string> rowFields(Want want, const Scope& scope) const;
  std::vector<std::string> subjectFieldNames(Want want) const;
  std::vector<const Data*> aggregateTables() const;
  std::string byClause(const Data& table);

  // ---- data ----
  void generateRows(Data& data);
  std::string cell(const Field& field, const Data& data);
  std::string badCell(const Field& field);
  std::string numberCell(FieldType type);
  std::string dateCell();
  std::string periodCell();

  ByteSource* random_; // the program's source until the program is done, then data_
  ByteSource* data_;
  RandomCase case_;

  PeriodUnit cadence_ = PeriodUnit::Quarter;
  Period period_;
  std::vector<DayNumber> interestingDays_;

  std::vector<Data> entities_;
  std::vector<Data> tables_;
  std::vector<Param> params_;
  std::vector<Function> functions_;
  bool badRows_ = false;
  bool holidays_ = false; // a `holidays` table takes its days out of working_days(period)

  // The framework.
  enum class Subject { Rep, Team, Account, Company };
  Subject subject_ = Subject::Rep;
  int rankCount_ = 0, alertCount_ = 0;
  std::string groupField_;            // Team: the rep field the group is by
  const Data* subjectData_ = nullptr; // Rep or Account: the entity; Team: the member entity
  std::vector<NamedValue> values_;
  std::vector<std::string> members_;
  int metricCount_ = 0, scoreCount_ = 0, bandCount_ = 0, objectiveCount_ = 0, checkCount_ = 0;
  int keyResultCount_ = 0;
};

// ---- periods and dates ------------------------------------------------------------------------

void Generator::choosePeriod() {
  const PeriodUnit units[] = {PeriodUnit::Quarter, PeriodUnit::Quarter, PeriodUnit::Month,
                              PeriodUnit::Week,    PeriodUnit::Year,    PeriodUnit::Day};
  cadence_ = units[random_->below(6)];
  // A day of 2015..2018 picks the period, so week 53 of 2015 and leap days come up.
  const DayNumber first = dayFromCivil(2015, 1, 1);
  const DayNumber day = first + static_cast<DayNumber>(random_->below(4 * 365));
  period_ = periodContaining(day, cadence_);
  const DayNumber start = period_.start(), end = period_.end();
  const Period before = period_.shifted(-1), after = period_.shifted(1);
  interestingDays_ = {start,
                      end,
                      start - 1,
                      end + 1,
                      start + 1,
                      end - 1,
                      before.start(),
                      before.end(),
                      after.start(),
                      (start + end) / 2,
                      start - 7,
                      end + 30,
                      dayFromCivil(1970, 1, 1),
                      dayFromCivil(1900, 2, 28),
                      dayFromCivil(2099, 12, 31),
                      dayFromCivil(2016, 2, 29)};
}

std::string Generator::dateCell() {
  if (random_->chance(70))
    return formatDate(random_->pick(interestingDays_));
  const DayNumber from = period_.start() - 400;
  const auto span = static_cast<uint32_t>(period_.end() + 60 - from);
  return formatDate(from + static_cast<DayNumber>(random_->below(span)));
}

// ---- declarations -----------------------------------------------------------------------------

void Generator::declareEntities() {
  Data rep;
  rep.name = "rep";
  rep.entity = true;
  rep.fields.push_back({"name", FieldType::Text, false, true, -1, {}, "name"});
  rep.fields.push_back(
      {"manager", FieldType::Text, random_->chance(10), false, -1, kManagers, "manager"});
  if (random_->chance(60))
    rep.fields.push_back({"quota", FieldType::Money, random_->chance(60), false, -1, {}, "quota"});
  if (random_->chance(50))
    rep.fields.push_back(
        {"started", FieldType::Date, random_->chance(50), false, -1, {}, "started"});
  if (random_->chance(40))
    rep.fields.push_back(
        {"region", FieldType::Text, random_->chance(30), false, -1, kRegions, "region"});
  if (random_->chance(30))
    rep.fields.push_back({"active", FieldType::Bool, random_->chance(30), false, -1, {}, "active"});
  if (random_->chance(30))
    rep.fields.push_back({"level", FieldType::Number, random_->chance(40), false, -1, {}, "level"});
  if (random_->chance(20))
    rep.fields.push_back({"ramp", FieldType::Percent, random_->chance(40), false, -1, {}, "ramp"});
  // Now and then a field reads a differently named column.
  for (Field& field : rep.fields)
    if (!field.key && random_->chance(10))
      field.column = field.name + "_col";
  entities_.push_back(std::move(rep));

  if (random_->chance(35)) {
    Data account;
    account.name = "account";
    account.entity = true;
    account.fields.push_back({"code", FieldType::Text, false, true, -1, {}, "code"});
    account.fields.push_back(
        {"tier", FieldType::Text, random_->chance(20), false, -1, kTiers, "tier"});
    if (random_->chance(60))
      account.fields.push_back(
          {"employees", FieldType::Count, random_->chance(50), false, -1, {}, "employees"});
    if (random_->chance(40))
      account.fields.push_back(
          {"opened", FieldType::Date, random_->chance(50), false, -1, {}, "opened"});
    if (random_->chance(30))
      account.fields.push_back(
          {"budget", FieldType::Money, random_->chance(50), false, -1, {}, "budget"});
    entities_.push_back(std::move(account));
  }
}

void Generator::declareTables() {
  struct Template {
    const char* name;
    const char* prefix;
    const char* category;
    const std::vector<std::string>* words;
  };
  const Template templates[] = {{"deals", "d", "stage", &kStages},
                                {"activities", "a", "kind", &kKinds},
                                {"events", "e", "label", &kKinds}};
  const int tableCount = random_->between(1, 3);
  for (int t = 0; t < tableCount; ++t) {
    const Template& tpl = templates[t];
    Data table;
    table.name = tpl.name;
    auto add = [&](const std::string& suffix, FieldType type, bool optional) {
      const std::string name = std::string(tpl.prefix) + "_" + suffix;
      table.fields.push_back({name, type, optional, false, -1, {}, name});
    };
    if (random_->chance(30)) {
      add("id", FieldType::Text, false);
      table.fields.back().key = true;
    }
    // References: to rep (one, sometimes two: aggregates then say `by`), to account.
    add("owner", FieldType::Reference, random_->chance(12));
    table.fields.back().entity = 0;
    if (random_->chance(12)) {
      add("helper", FieldType::Reference, random_->chance(60));
      table.fields.back().entity = 0;
    }
    if (entities_.size() > 1 && random_->chance(60)) {
      add("acct", FieldType::Reference, random_->chance(40));
      table.fields.back().entity = 1;
    }
    add(tpl.category, FieldType::Text, random_->chance(15));
    table.fields.back().vocabulary = *tpl.words;
    const FieldType extras[] = {FieldType::Money,  FieldType::Date,    FieldType::Money,
                                FieldType::Date,   FieldType::Count,   FieldType::Bool,
                                FieldType::Number, FieldType::Percent, FieldType::Text,
                                FieldType::Period};
    int index = 0;
    for (FieldType type : extras) {
      ++index;
      const bool common = type == FieldType::Money || type == FieldType::Date;
      if (!random_->chance(common ? 55 : type == FieldType::Period ? 15 : 35))
        continue;
      add(fmt::format("{}{}", typeWord(type), index), type, random_->chance(40));
      if (type == FieldType::Text)
        table.fields.back().vocabulary = kRegions;
    }
    // A reference field declared first or in the middle: order must not matter.
    if (random_->chance(20))
      std::rotate(table.fields.begin(), table.fields.begin() + 1, table.fields.end());
    tables_.push_back(std::move(table));
  }
}

void Generator::declareParams() {
  const int count = static_cast<int>(random_->below(4));
  for (int i = 0; i < count; ++i) {
    Param param;
    param.name = fmt::format("p{}", i + 1);
    switch (random_->below(7)) {
    case 6:
      param.type = FieldType::Period;
      param.defaultText = periodLiteral();
      param.overrides = {formatPeriod(period_), formatPeriod(period_.shifted(-1)), "2017"};
      break;
    case 0:
      param.type = FieldType::Money;
      param.defaultText = random_->pick(std::vector<std::string>{"50000", "$40k", "$0", "-250"});
      param.overrides = {"900000", "$1.5k", "0", "-3"};
      break;
    case 1:
      param.type = FieldType::Number;
      param.defaultText = random_->pick(std::vector<std::string>{"3", "0", "2.5", "-1"});
      param.overrides = {"7", "-2.5", "0", hugeDecimal()};
      break;
    case 2:
      param.type = FieldType::Percent;
      param.defaultText = random_->pick(std::vector<std::string>{"70%", "0%", "150%"});
      param.overrides = {"50%", "0.25", "0"};
      break;
    case 3:
      param.type = FieldType::Date;
      param.defaultText = formatDate(random_->pick(interestingDays_));
      param.overrides = {formatDate(period_.start()), formatDate(period_.end() + 1)};
      break;
    case 4:
      param.type = FieldType::Text;
      param.defaultText = quoteString(random_->pick(kStages));
      param.overrides = {"Lost", "Open", "nobody"};
      break;
    default:
      param.type = FieldType::Count;
      param.defaultText = random_->pick(std::vector<std::string>{"2", "0", "10"});
      param.overrides = {"1", "100"};
      break;
    }
    params_.push_back(std::move(param));
  }
}

void Generator::declareFunctions() {
  const int count = random_->chance(35) ? random_->between(1, 2) : 0;
  for (int i = 0; i < count; ++i) {
    Function fn;
    fn.name = fmt::format("f{}", i + 1);
    const int arity = random_->between(1, 3);
    for (int p = 0; p < arity; ++p) {
      const Want wants[] = {Want::Number, Want::Number, Want::Money,
                            Want::Date,   Want::Bool,   Want::Text};
      fn.params.push_back({fmt::format("x{}", p + 1), wants[random_->below(6)]});
    }
    const Want results[] = {Want::Number, Want::Number, Want::Money,
                            Want::Bool,   Want::Text,   Want::Date};
    fn.result = results[random_->below(6)];
    functions_.push_back(fn);
  }
}

// ---- expressions ------------------------------------------------------------------------------

std::string Generator::numberLiteral() {
  static const std::vector<std::string> plain = {"0",   "1",   "2",     "3",     "10", "0.5",
                                                 "2.5", "100", "1_000", "0.001", "7"};
  switch (random_->below(12)) {
  case 0:
    return random_->pick(
        std::vector<std::string>{"0%", "10%", "40%", "50%", "100%", "150%", "12.5%"});
  case 1:
    return random_->chance(50) ? hugeDecimal() : tinyDecimal();
  case 2:
    return "(-" + random_->pick(plain) + ")";
  default:
    return random_->pick(plain);
  }
}

// Always with `$`: a bare number is a NumberLiteral, which `5 * count` would turn into a count
// (see comparison() for the bare numbers money meets).
std::string Generator::moneyLiteral() {
  static const std::vector<std::string> amounts = {"$0",    "$40", "$1_200", "$1.2M", "$300k",
                                                   "$2.5k", "$1b", "$5000",  "$0.01", "$3000"};
  if (random_->chance(5))
    return "(-" + random_->pick(amounts) + ")";
  // Money is exact within +-$900,719,925,474.0991 (support/Money.h): its extremes are the
  // largest amount and the smallest unit.
  if (random_->chance(3))
    return random_->chance(50) ? "$900_719_925_474.0991" : "$0.0001";
  return random_->pick(amounts);
}

std::string Generator::dateLiteral() {
  return formatDate(random_->pick(interestingDays_));
}

std::string Generator::textLiteral() {
  switch (random_->below(6)) {
  case 0:
    return quoteString(random_->pick(kKinds));
  case 1:
    return quoteString(random_->pick(kManagers));
  case 2:
    return quoteString(random_->pick(kRegions));
  case 3:
    return quoteString(random_->pick(std::vector<std::string>{"", "He said \"no\"", "gold"}));
  default:
    return quoteString(random_->pick(kStages));
  }
}

std::string Generator::durationLiteral() {
  return random_->pick(
      std::vector<std::string>{"14 days", "1 day", "30 days", "2 weeks", "0 days", "365 days"});
}

// A quarter, month or week (a year or a day would read as a number or a date).
std::string Generator::periodLiteral() {
  const PeriodUnit units[] = {PeriodUnit::Quarter, PeriodUnit::Month, PeriodUnit::Week};
  const DayNumber day = random_->pick(interestingDays_);
  const PeriodUnit unit = units[random_->below(3)];
  return formatPeriod(periodContaining(day, unit));
}

std::string Generator::literal(Want want) {
  switch (want) {
  case Want::Period:
    return periodLiteral();
  case Want::Money:
    return moneyLiteral();
  case Want::Number:
    return numberLiteral();
  case Want::Bool:
    return random_->chance(50) ? "true" : "false";
  case Want::Text:
    return textLiteral();
  case Want::Date:
    return dateLiteral();
  }
  return "0";
}

std::vector<std::string> Generator::subjectFieldNames(Want want) const {
  std::vector<std::string> names;
  switch (subject_) {
  case Subject::Team:
    if (want == Want::Text)
      names.push_back(groupField_);
    break;
  case Subject::Company:
    if (want == Want::Text)
      names.push_back("name");
    break;
  default:
    for (const Field& field : subjectData_->fields)
      if (field.type != FieldType::Reference && wantOf(field.type) == want)
        names.push_back(field.name);
  }
  return names;
}

std::vector<std::string> Generator::rowFields(Want want, const Scope& scope) const {
  std::vector<std::string> names;
  const Data& row = *scope.row;
  const std::string prefix = scope.qualify ? row.name + "." : "";
  for (const Field& field : row.fields) {
    if (field.type == FieldType::Reference) {
      // One hop through a reference: `d_owner.quota` (never qualified: the lowering follows a
      // reference only from a bare field of the row).
      if (scope.qualify)
        continue;
      for (const Field& target : entities_[field.entity].fields)
        if (target.type != FieldType::Reference && wantOf(target.type) == want)
          names.push_back(field.name + "." + target.name);
      continue;
    }
    if (wantOf(field.type) == want)
      names.push_back(prefix + field.name);
  }
  return names;
}

// The tables an aggregate may range over for the subject, with how it links to the subject.
std::vector<const Data*> Generator::aggregateTables() const {
  std::vector<const Data*> result;
  auto refersTo = [](const Data& table, int entity) {
    return std::any_of(table.fields.begin(), table.fields.end(), [&](const Field& f) {
      return f.type == FieldType::Reference && f.entity == entity;
    });
  };
  switch (subject_) {
  case Subject::Team:
    result.push_back(&entities_[0]); // the members of each team
    [[fallthrough]];
  case Subject::Rep:
    // (Not rep itself: inside `subject rep` its fields are read directly.)
    for (const Data& table : tables_)
      if (refersTo(table, 0))
        result.push_back(&table);
    break;
  case Subject::Account:
    for (const Data& table : tables_)
      if (refersTo(table, 1))
        result.push_back(&table);
    break;
  case Subject::Company:
    for (const Data& entity : entities_)
      result.push_back(&entity);
    for (const Data& table : tables_)
      result.push_back(&table);
    break;
  }
  return result;
}

// ` by FIELD`: required when the table refers to the subject (or a team's member) twice, and
// now and then written when it refers once.
std::string Generator::byClause(const Data& table) {
  if (subject_ == Subject::Company || (subject_ == Subject::Team && &table == &entities_[0]))
    return "";
  const int entity = subject_ == Subject::Account ? 1 : 0;
  std::vector<std::string> links;
  for (const Field& field : table.fields)
    if (field.type == FieldType::Reference && field.entity == entity)
      links.push_back(field.name);
  if (links.size() > 1 || (links.size() == 1 && random_->chance(10)))
    return " by " + random_->pick(links);
  return "";
}

std::string Generator::leaf(Want want, const Scope& scope) {
  std::vector<std::string> options;
  if (scope.where == Where::Function) {
    for (const FnParamInfo& param : *scope.fnParams)
      if (param.want == want)
        options.push_back(param.name);
  } else {
    for (const Param& param : params_)
      if (wantOf(param.type) == want)
        options.push_back(param.name);
    if (scope.where == Where::Row) {
      for (std::string& name : rowFields(want, scope))
        options.push_back(std::move(name));
      if (scope.subjectFields)
        for (std::string& name : subjectFieldNames(want))
          options.push_back(std::move(name));
    } else {
      for (const NamedValue& value : values_)
        if (value.want == want)
          options.push_back(value.text);
      for (std::string& name : subjectFieldNames(want))
        options.push_back(std::move(name));
    }
    if (want == Want::Date && random_->chance(15))
      return random_->chance(50) ? "period.start" : "period.end";
    if (want == Want::Period && random_->chance(40))
      return "period";
    if (want == Want::Number && random_->chance(5))
      return "working_days(period)";
  }
  if (options.empty() || random_->chance(25))
    return literal(want);
  return random_->pick(options);
}

std::string Generator::gen(Want want, int depth, const Scope& scope) {
  if (depth <= 0)
    return scope.where == Where::Formula && random_->chance(35) ? aggregate(want, 1, scope)
                                                                : leaf(want, scope);
  switch (random_->below(10)) {
  case 0:
  case 1:
    return leaf(want, scope);
  case 2:
  case 3:
    if (scope.where == Where::Formula)
      return aggregate(want, depth, scope);
    return composite(want, depth, scope);
  default:
    return composite(want, depth, scope);
  }
}

std::string Generator::comparison(int depth, const Scope& scope) {
  static const char* const ordered[] = {"==", "!=", "<", "<=", ">", ">="};
  const int d = depth - 1;
  // `(lhs op rhs)` over values of class `w`: any of the six operators, or only `==` and `!=`.
  auto ordering = [&](Want w) {
    const std::string lhs = gen(w, d, scope);
    const char* op = ordered[random_->below(6)];
    const std::string rhs = gen(w, d, scope);
    return fmt::format("({} {} {})", lhs, op, rhs);
  };
  auto equality = [&](Want w) {
    const std::string lhs = gen(w, d, scope);
    const char* op = random_->chance(70) ? "==" : "!=";
    const std::string rhs = gen(w, d, scope);
    return fmt::format("({} {} {})", lhs, op, rhs);
  };
  switch (random_->below(7)) {
  case 6:
    return ordering(Want::Period);
  case 0: {
    // A bare number takes the unit of the money it meets: `value > 3000`.
    const std::string lhs = gen(Want::Money, d, scope);
    const char* op = ordered[random_->below(6)];
    const std::string rhs = random_->chance(30)
                                ? random_->pick(std::vector<std::string>{"3000", "0", "1"})
                                : gen(Want::Money, d, scope);
    return fmt::format("({} {} {})", lhs, op, rhs);
  }
  case 1:
  case 2:
    return ordering(Want::Number);
  case 3:
    return ordering(Want::Date);
  case 4:
    return equality(Want::Text);
  default:
    return equality(Want::Bool);
  }
}

// `d in period`, `d in previous 2 quarters`, `d in last 14 days`, ...
std::string Generator::window(int depth, const Scope& scope) {
  const std::string date = gen(Want::Date, depth - 1, scope);
  const char* negation = random_->chance(15) ? " not" : "";
  static const char* const units[] = {"days", "weeks", "months", "quarters", "years"};
  std::string target;
  switch (random_->below(8)) {
  case 0:
  case 1:
  case 2:
    target = "period";
    break;
  case 3:
    target = "previous period";
    break;
  case 4: {
    const int count = random_->between(0, 3);
    const char* unit = units[random_->below(5)];
    target = fmt::format("previous {} {}", count, unit);
    break;
  }
  case 5:
    target = fmt::format("previous {}", random_->pick(std::vector<std::string>{
                                            "quarter", "month", "week", "year", "day"}));
    break;
  case 6: {
    const int count = random_->pick(std::vector<int>{0, 1, 7, 14, 30, 90});
    const char* unit = units[random_->below(5)];
    target = fmt::format("last {} {}", count, unit);
    break;
  }
  default:
    target = periodLiteral();
    break;
  }
  return fmt::format("({}{} in {})", date, negation, target);
}

std::string Generator::caseExpr(Want want, int depth, const Scope& scope) {
  std::string text = "case {\n";
  const int arms = random_->between(1, 3);
  if (random_->chance(40)) {
    const Want tested = random_->chance(50) ? Want::Number : Want::Money;
    const std::string value = gen(tested, depth - 1, scope);
    const std::string result = random_->chance(20) ? "missing" : gen(want, depth - 1, scope);
    text += fmt::format("    {} is missing => {}\n", value, result);
  }
  for (int i = 0; i < arms; ++i) {
    const std::string test = condition(depth - 1, scope);
    const std::string result = gen(want, depth - 1, scope);
    text += fmt::format("    {} => {}\n", test, result);
  }
  if (random_->chance(80))
    text += fmt::format("    else => {}\n", gen(want, depth - 1, scope));
  return text + "  }";
}

std::string Generator::functionCall(Want want, int depth, const Scope& scope) {
  std::vector<const Function*> matching;
  for (const Function& fn : functions_)
    if (fn.result == want)
      matching.push_back(&fn);
  if (matching.empty())
    return leaf(want, scope);
  const Function& fn = *random_->pick(matching);
  std::string args;
  for (const FnParamInfo& param : fn.params)
    args += (args.empty() ? "" : ", ") + gen(param.want, depth - 1, scope);
  return fmt::format("{}({})", fn.name, args);
}

std::string Generator::composite(Want want, int depth, const Scope& scope) {
  static const std::vector<std::string> rounding = {"abs", "round", "floor", "ceil"};
  static const std::vector<std::string> extremes = {"least", "greatest", "min", "max"};
  const int d = depth - 1;
  auto g = [&](Want w) { return gen(w, d, scope); };
  // `(lhs op rhs)`, the left operand drawn first.
  auto infix = [&](Want left, const char* op, Want right) {
    const std::string lhs = g(left);
    const std::string rhs = g(right);
    return fmt::format("({} {} {})", lhs, op, rhs);
  };
  // `fn(x)` with `fn` drawn from `names`.
  auto unary = [&](const std::vector<std::string>& names, Want w) {
    const std::string fn = random_->pick(names);
    return fmt::format("{}({})", fn, g(w));
  };
  // `fn(x, y)` with `fn` drawn from `names`.
  auto binary = [&](const std::vector<std::string>& names, Want w) {
    const std::string fn = random_->pick(names);
    const std::string first = g(w);
    const std::string second = g(w);
    return fmt::format("{}({}, {})", fn, first, second);
  };
  // Choices every value class shares: if/then/else, `??`, case, a function, a missing arm.
  switch (random_->below(16)) {
  case 0: {
    const std::string test = condition(d, scope);
    const std::string then = g(want);
    const std::string otherwise = random_->chance(15) ? "missing" : g(want);
    return fmt::format("(if {} then {} else {})", test, then, otherwise);
  }
  case 1: {
    const std::string value = g(want);
    const std::string fallback = random_->chance(10) ? "missing" : g(want);
    return fmt::format("({} ?? {})", value, fallback);
  }
  case 2:
    if (random_->chance(40))
      return "(" + caseExpr(want, depth, scope) + ")";
    break;
  case 3:
    // A function body calls no function: no recursion can arise.
    if (!functions_.empty() && scope.where != Where::Function)
      return functionCall(want, depth, scope);
    break;
  default:
    break;
  }
  switch (want) {
  case Want::Money:
    switch (random_->below(11)) {
    case 0:
      return infix(Want::Money, "+", Want::Money);
    case 1:
      return infix(Want::Money, "-", Want::Money);
    case 2:
      return infix(Want::Money, "*", Want::Number);
    case 3:
      return infix(Want::Number, "*", Want::Money);
    case 4:
      return infix(Want::Money, "/", Want::Number);
    case 5:
      return fmt::format("(-{})", g(Want::Money));
    case 6:
      return unary(rounding, Want::Money);
    case 7: {
      const std::string value = g(Want::Money);
      const std::string lower = moneyLiteral();
      const std::string upper = g(Want::Money);
      return fmt::format("clamp({}, {}, {})", value, lower, upper);
    }
    case 8:
      return binary(extremes, Want::Money);
    default:
      return leaf(Want::Money, scope);
    }
  case Want::Number:
    switch (random_->below(14)) {
    case 0:
    case 1: {
      const std::string lhs = g(Want::Number);
      const std::string op = random_->pick(std::vector<std::string>{"+", "-", "*", "/"});
      const std::string rhs = g(Want::Number);
      return fmt::format("({} {} {})", lhs, op, rhs);
    }
    case 2:
      return infix(Want::Money, "/", Want::Money);
    case 3: {
      // A count over money is a unit error: the dividend is made a number first (a count times
      // a percentage is a number).
      const std::string lhs = g(Want::Number);
      return fmt::format("(({} * 100%) / {})", lhs, g(Want::Money));
    }
    case 4: {
      const std::string base = g(Want::Number);
      const std::string exponent =
          random_->pick(std::vector<std::string>{"2", "0.5", "(-1)", "0", "3"});
      return fmt::format("({} ^ {})", base, exponent);
    }
    case 5:
      return fmt::format("(-{})", g(Want::Number));
    case 6:
      return fmt::format("days_since({})", g(Want::Date));
    case 7: {
      const std::string date = g(Want::Date);
      const std::string halfLife = durationLiteral();
      return fmt::format("decay({}, {})", date, halfLife);
    }
    case 8: {
      const std::string value = g(Want::Number);
      const std::string lower = numberLiteral();
      const std::string upper = numberLiteral();
      return fmt::format("clamp({}, {}, {})", value, lower, upper);
    }
    case 9:
      return unary(rounding, Want::Number);
    case 10: {
      const std::string fn = random_->pick(extremes);
      const std::string first = g(Want::Number);
      const std::string second = g(Want::Number);
      const std::string third = random_->chance(30) ? ", " + g(Want::Number) : "";
      return fmt::format("{}({}, {}{})", fn, first, second, third);
    }
    case 11:
      if (scope.where == Where::Formula && scope.peers)
        return peerAggregate(Want::Number, depth, scope);
      return leaf(Want::Number, scope);
    default:
      return leaf(Want::Number, scope);
    }
  case Want::Bool:
    switch (random_->below(12)) {
    case 0:
    case 1:
    case 2:
      return comparison(depth, scope);
    case 3:
      return infix(Want::Bool, "and", Want::Bool);
    case 4:
      return infix(Want::Bool, "or", Want::Bool);
    case 5:
      return fmt::format("(not {})", g(Want::Bool));
    case 6:
      return infix(Want::Bool, "implies", Want::Bool);
    case 7: {
      const Want wants[] = {Want::Number, Want::Money, Want::Date, Want::Text};
      const std::string value = g(wants[random_->below(4)]);
      const char* test = random_->chance(70) ? "is missing" : "is not missing";
      return fmt::format("({} {})", value, test);
    }
    case 8:
    case 9:
      if (scope.where != Where::Function)
        return window(depth, scope);
      return comparison(depth, scope);
    default: {
      // `x in (a, b, ...)`: literals, and sometimes a computed item.
      const Want wants[] = {Want::Text, Want::Text, Want::Number, Want::Money, Want::Date};
      const Want w = wants[random_->below(5)];
      std::string items;
      const int count = random_->between(1, 4);
      for (int i = 0; i < count; ++i)
        items += (i ? ", " : "") + (random_->chance(20) ? g(w) : literal(w));
      const std::string value = g(w);
      const char* negation = random_->chance(15) ? " not" : "";
      return fmt::format("({}{} in ({}))", value, negation, items);
    }
    }
  case Want::Text:
  case Want::Period:
    return leaf(want, scope);
  case Want::Date:
    switch (const uint32_t choice = random_->below(5)) {
    case 0:
    case 1: { // a date plus or minus a duration
      const std::string date = g(Want::Date);
      const std::string duration = durationLiteral();
      return fmt::format("({} {} {})", date, choice == 0 ? "+" : "-", duration);
    }
    case 2:
      return binary(extremes, Want::Date);
    default:
      return leaf(Want::Date, scope);
    }
  }
  return leaf(want, scope);
}

// An aggregate over one of the subject's tables: the value, `by`, `where` and `order by`.
std::string Generator::aggregate(Want want, int depth, const Scope& scope) {
  const std::vector<const Data*> tables = aggregateTables();
  if (tables.empty() || scope.where != Where::Formula)
    return leaf(want, scope);
  const Data& table = *random_->pick(tables);
  // The row context: the value names the table (`deals.value`), `where` names bare fields.
  Scope valueScope;
  valueScope.where = Where::Row;
  valueScope.row = &table;
  valueScope.qualify = true;
  // A group's fields cannot be read inside its aggregates (NotSupportedYet); company's `name`
  // can be, and should mean the one subject's name.
  valueScope.subjectFields = subject_ != Subject::Team;
  Scope rowScope = valueScope;
  rowScope.qualify = false;
  const int rowDepth = std::min(depth, 2);

  const std::string by = byClause(table);
  const std::string where =
      random_->chance(65) ? " where " + gen(Want::Bool, rowDepth, rowScope) : "";

  // A value of the wanted class that names the table at least once.
  auto value = [&](Want w) {
    std::vector<std::string> direct = rowFields(w, valueScope);
    for (int attempt = 0; attempt < 3; ++attempt) {
      std::string text = gen(w, rowDepth - 1, valueScope);
      if (text.find(table.name + ".") != std::string::npos)
        return text;
    }
    if (!direct.empty())
      return random_->pick(direct);
    return std::string();
  };
  auto orderKey = [&]() {
    const Want keys[] = {Want::Date, Want::Number, Want::Money, Want::Text};
    for (int attempt = 0; attempt < 4; ++attempt) {
      const Want w = keys[random_->below(4)];
      if (!rowFields(w, rowScope).empty() || random_->chance(30)) {
        const std::string key = gen(w, rowDepth - 1, rowScope);
        const char* direction = random_->chance(15) ? (random_->chance(50) ? " desc" : " asc") : "";
        return key + direction;
      }
    }
    return gen(Want::Date, 0, rowScope);
  };

  switch (want) {
  case Want::Number: {
    switch (random_->below(8)) {
    case 0:
    case 1:
      return fmt::format("count({}{}{})", table.name, by, where);
    case 2: {
      const Field& field = random_->pick(table.fields);
      return fmt::format("count({}.{}{}{})", table.name, field.name, by, where);
    }
    case 3: {
      std::vector<std::string> fields;
      for (const Field& field : table.fields)
        if (field.type != FieldType::Reference)
          fields.push_back(field.name);
      return fmt::format("count(distinct {}.{}{}{})", table.name, random_->pick(fields), by, where);
    }
    default: {
      const std::string v = value(Want::Number);
      if (v.empty())
        return fmt::format("count({}{}{})", table.name, by, where);
      const char* ops[] = {"sum", "sum", "avg", "min", "max", "first", "last", "median"};
      const char* op = ops[random_->below(8)];
      const bool ordered = op[0] == 'f' || op[0] == 'l';
      return fmt::format("{}({}{}{}{})", op, v, by, where,
                         ordered ? " order by " + orderKey() : "");
    }
    }
  }
  case Want::Money: {
    const std::string v = value(Want::Money);
    if (v.empty())
      return leaf(Want::Money, scope);
    const char* ops[] = {"sum", "sum", "sum", "avg", "min", "max", "first", "last", "median"};
    const char* op = ops[random_->below(9)];
    const bool ordered = op[0] == 'f' || op[0] == 'l';
    return fmt::format("{}({}{}{}{})", op, v, by, where, ordered ? " order by " + orderKey() : "");
  }
  case Want::Date: {
    const std::string v = value(Want::Date);
    if (v.empty())
      return leaf(Want::Date, scope);
    const char* ops[] = {"min", "max", "first", "last"};
    const char* op = ops[random_->below(4)];
    const bool ordered = op[0] == 'f' || op[0] == 'l';
    return fmt::format("{}({}{}{}{})", op, v, by, where, ordered ? " order by " + orderKey() : "");
  }
  case Want::Text:
  case Want::Bool:
  case Want::Period: {
    const std::string v = value(want);
    if (v.empty())
      return leaf(want, scope);
    const char* op = random_->chance(50) ? "first" : "last";
    return fmt::format("{}({}{}{} order by {})", op, v, by, where, orderKey());
  }
  }
  return leaf(want, scope);
}

// `avg(m across rep by manager)`: a formula over every subject, gathered over its peers.
std::string Generator::peerAggregate(Want want, int depth, const Scope& scope) {
  Scope inner = scope;
  inner.peers = false; // an `across` inside another is not supported
  const Want valueWant = want == Want::Money || random_->chance(30) ? Want::Money : Want::Number;
  const std::string value = gen(valueWant, std::min(depth - 1, 2), inner);
  static const char* const subjectNames[] = {"rep", "team", "account", "company"};
  std::string by;
  if (random_->chance(60)) {
    std::vector<std::string> fields;
    if (subject_ == Subject::Team)
      fields.push_back(groupField_);
    else if (subject_ == Subject::Company)
      fields.push_back("name");
    else
      for (const Field& field : subjectData_->fields)
        if (field.type != FieldType::Reference)
          fields.push_back(field.name);
    by = " by " + random_->pick(fields);
  }
  const char* subjectName = subjectNames[static_cast<int>(subject_)];
  // `first(m order by k [desc] across rep)`: the value of the first peer by the key, ties by
  // subject order; the value keeps its type.
  if (random_->chance(12) && (want == Want::Money || valueWant == Want::Number)) {
    const std::string key =
        gen(random_->chance(50) ? Want::Number : Want::Money, std::min(depth - 1, 2), inner);
    const char* direction = random_->chance(40) ? " desc" : "";
    const char* which = random_->chance(50) ? "first" : "last";
    return fmt::format("{}({} order by {}{} across {}{})", which, value, key, direction,
                       subjectName, by);
  }
  std::string op;
  if (want == Want::Money)
    op = random_->pick(std::vector<std::string>{"sum", "avg", "min", "max", "median"});
  else if (valueWant == Want::Money)
    op = "count";
  else
    op = random_->pick(
        std::vector<std::string>{"sum", "avg", "min", "max", "median", "count", "count distinct"});
  if (op == "count distinct")
    return fmt::format("count(distinct {} across {}{})", value, subjectName, by);
  return fmt::format("{}({} across {}{})", op, value, subjectName, by);
}

// ---- framework members ------------------------------------------------------------------------

void Generator::addMetric() {
  const Want wants[] = {Want::Money,  Want::Money,  Want::Number, Want::Number,
                        Want::Number, Want::Number, Want::Bool,   Want::Text,
                        Want::Date,   Want::Money,  Want::Period};
  const Want want = wants[random_->below(random_->chance(90) ? 10 : 11)];
  const std::string name = fmt::format("m{}", ++metricCount_);
  Scope scope;
  std::string value;
  if (want == Want::Money && random_->chance(20))
    value = peerAggregate(Want::Money, 2, scope);
  else
    value = gen(want, random_->between(0, 3), scope);
  // Money is always declared: a formula that comes out as a bare literal would otherwise settle
  // to a number. The others are declared now and then (any dimensionless kind fits a number).
  std::string declared;
  switch (want) {
  case Want::Money:
    declared = ": money";
    break;
  case Want::Number:
    declared = random_->pick(std::vector<std::string>{"", "", ": number", ": count", ": percent"});
    break;
  case Want::Bool:
    declared = random_->chance(50) ? ": bool" : "";
    break;
  case Want::Text:
    declared = random_->chance(50) ? ": text" : "";
    break;
  case Want::Date:
    declared = random_->chance(50) ? ": date" : "";
    break;
  case Want::Period:
    declared = random_->chance(50) ? ": period" : "";
    break;
  }
  members_.push_back(fmt::format("  metric {}{} = {}", name, declared, value));
  values_.push_back({name, want});
}

// Several `count(t where field == X and P)` with one P and one field of integer codes (text or
// date), which the JIT fuses into one branch-free add per row (runtime/jit/CategoryCounts.cpp).
void Generator::addCategoryCounts() {
  std::vector<std::pair<const Data*, const Field*>> fields;
  for (const Data* table : aggregateTables())
    for (const Field& field : table->fields)
      if (!field.key && (field.type == FieldType::Text || field.type == FieldType::Date))
        fields.emplace_back(table, &field);
  if (fields.empty())
    return addMetric();
  const auto [table, field] = random_->pick(fields);
  Scope rowScope;
  rowScope.where = Where::Row;
  rowScope.row = table;
  rowScope.subjectFields = subject_ != Subject::Team;
  const std::string by = byClause(*table);
  const std::string shared = random_->chance(40) ? "" : gen(Want::Bool, 1, rowScope);
  // Consecutive values (as the plan interns them, or as days) take the JIT's compact path.
  std::vector<std::string> values;
  if (field->type == FieldType::Text) {
    for (const std::string& word : field->vocabulary)
      if (random_->chance(70))
        values.push_back(quoteString(word));
  } else {
    const DayNumber first = random_->pick(interestingDays_);
    for (int i = 0; i < 4; ++i)
      if (random_->chance(80))
        values.push_back(formatDate(first + (random_->chance(80) ? i : 3 * i)));
  }
  for (const std::string& value : values) {
    const std::string test = random_->chance(80) ? fmt::format("{} == {}", field->name, value)
                                                 : fmt::format("{} == {}", value, field->name);
    std::string where = test;
    if (!shared.empty())
      where = random_->chance(70) ? fmt::format("{} and {}", test, shared)
                                  : fmt::format("{} and {}", shared, test);
    const std::string name = fmt::format("m{}", ++metricCount_);
    members_.push_back(
        fmt::format("  metric {}: count = count({}{} where {})", name, table->name, by, where));
    values_.push_back({name, Want::Number});
  }
}

void Generator::addScore() {
  const std::string name = fmt::format("s{}", ++scoreCount_);
  const int components = random_->between(1, 3);
  // Integer percentages adding up to 100.
  std::vector<int> weights;
  int left = 100;
  for (int i = 0; i + 1 < components; ++i) {
    const int w = random_->between(0, left);
    weights.push_back(w);
    left -= w;
  }
  weights.push_back(left);
  std::string text = fmt::format("  score {} out of {} {{\n", name,
                                 random_->pick(std::vector<std::string>{"5", "100", "1", "2.5"}));
  std::vector<NamedValue> parts;
  for (int i = 0; i < components; ++i) {
    const std::string component = fmt::format("c{}", i + 1);
    std::string value;
    if (random_->chance(40))
      value = fmt::format("clamp({}, 0, 1)", gen(Want::Number, 2, Scope{}));
    else
      value = gen(Want::Number, random_->between(0, 2), Scope{});
    text += fmt::format("    {} {}% = {}\n", component, weights[i], value);
    parts.push_back({name + "." + component, Want::Number});
  }
  members_.push_back(text + "  }");
  values_.push_back({name, Want::Number});
  for (NamedValue& part : parts)
    values_.push_back(std::move(part));
}

void Generator::addBand() {
  const std::string name = fmt::format("b{}", ++bandCount_);
  members_.push_back(fmt::format("  band {} = {}", name, caseExpr(Want::Text, 2, Scope{})));
  values_.push_back({name, Want::Text});
}

void Generator::addObjective() {
  const int index = ++objectiveCount_;
  const bool weighted = random_->chance(40);
  std::string text = fmt::format("  objective \"Objective {}\"{} {{\n", index,
                                 random_->chance(20) ? " weight 50%" : "");
  const int results = random_->between(1, 3);
  std::vector<NamedValue> parts;
  // Weights on every key result or on some (the others share what remains of 100%), never
  // above 100% in total, and not all 0% when every key result has one (both ScoreWeights).
  int givenTotal = 0;
  bool everyWeighted = true;
  for (int i = 0; i < results; ++i) {
    const std::string name = fmt::format("k{}", ++keyResultCount_);
    const Want want = random_->chance(30) ? Want::Money : Want::Number;
    const std::string label = random_->chance(30) ? " \"a key result\"" : "";
    const std::string actual = gen(want, random_->between(0, 2), Scope{});
    const char* below = random_->chance(25) ? " below" : "";
    const std::string target = gen(want, random_->between(0, 1), Scope{});
    std::string weightText;
    if (weighted) {
      const bool given = i == 0 || random_->chance(75);
      if (given) {
        int weight = random_->between(0, 100 - givenTotal);
        if (i + 1 == results && everyWeighted && givenTotal + weight == 0)
          weight = 100;
        givenTotal += weight;
        weightText = fmt::format(" weight {}%", weight);
      } else {
        everyWeighted = false;
      }
    }
    text += fmt::format("    key_result {}{} = {} target{} {}{}\n", name, label, actual, below,
                        target, weightText);
    parts.push_back({name, want});
    parts.push_back({name + ".actual", want});
    parts.push_back({name + ".target", want});
    parts.push_back({name + ".progress", Want::Number});
  }
  members_.push_back(text + "  }");
  for (NamedValue& part : parts)
    values_.push_back(std::move(part));
}

void Generator::addCheck() {
  members_.push_back(fmt::format("  check \"check {}\": {}", ++checkCount_,
                                 gen(Want::Bool, random_->between(1, 3), Scope{})));
}

// `rank rN by E desc|asc [within F]`: within a text field of the subject (a rep's manager).
void Generator::addRank() {
  std::string within;
  if (subject_ == Subject::Rep && random_->chance(40))
    within = " within manager";
  members_.push_back(fmt::format(
      "  rank r{} by {} {}{}", ++rankCount_,
      gen(random_->chance(70) ? Want::Number : Want::Money, random_->between(1, 2), Scope{}),
      random_->chance(50) ? "desc" : "asc", within));
}

// A message hole: a value of the scope that holds no string literal (its quotes would end the
// message's).
std::string Generator::hole(const Scope& scope) {
  const Want wants[] = {Want::Number, Want::Money, Want::Date, Want::Text};
  for (int attempt = 0; attempt < 4; ++attempt) {
    std::string text = gen(wants[random_->below(4)], 1, scope);
    if (text.find_first_of("\"{}") == std::string::npos)
      return text;
  }
  return "1";
}

// A passive alert over the subject's values, or an active one over the rows of a table that
// refers to the subject once and has a date field (its first dates each alert).
void Generator::addAlert() {
  const int number = ++alertCount_;
  std::vector<const Data*> tables;
  if (subject_ != Subject::Team)
    for (const Data* table : aggregateTables()) {
      const int entity = subject_ == Subject::Account ? 1 : 0;
      int links = 0;
      bool dated = false;
      for (const Field& field : table->fields) {
        links += field.type == FieldType::Reference && field.entity == entity;
        dated = dated || field.type == FieldType::Date;
      }
      if (dated && (links == 1 || subject_ == Subject::Company) && !table->entity)
        tables.push_back(table);
    }
  Scope scope;
  std::string head;
  if (!tables.empty() && random_->chance(60)) {
    const Data& table = *random_->pick(tables);
    scope.where = Where::Row;
    scope.row = &table;
    scope.subjectFields = true;
    head = fmt::format("on {}", table.name);
    if (random_->chance(80))
      head += " where " + gen(Want::Bool, random_->between(1, 2), scope);
  } else {
    head = "when " + gen(Want::Bool, random_->between(1, 2), scope);
  }
  std::string message = fmt::format("alert {} says {{{}}}", number, hole(scope));
  if (random_->chance(50))
    message += fmt::format(" and {{{}}}", hole(scope));
  std::string priority;
  if (random_->chance(40)) {
    const std::string value = gen(Want::Number, 1, scope);
    if (value.find('"') == std::string::npos)
      priority = " priority " + value;
  }
  members_.push_back(fmt::format("  alert a{} \"Alert {}\" {} message \"{}\"{}", number, number,
                                 head, message, priority));
}

void Generator::declareFramework() {
  // The subject: a rep, a team (group of reps), an account, or the whole company.
  const uint32_t roll = random_->below(100);
  if (roll < 50) {
    subject_ = Subject::Rep;
  } else if (roll < 72) {
    subject_ = Subject::Team;
  } else if (roll < 85 && entities_.size() > 1) {
    subject_ = Subject::Account;
  } else {
    subject_ = Subject::Company;
  }
  subjectData_ = subject_ == Subject::Account ? &entities_[1] : &entities_[0];
  std::string groupDecl;
  if (subject_ == Subject::Team) {
    // A group by a text field of rep (manager, or region when there is one).
    std::vector<std::string> fields;
    for (const Field& field : entities_[0].fields)
      if (field.type == FieldType::Text && !field.key)
        fields.push_back(field.name);
    groupField_ = random_->pick(fields);
    groupDecl = fmt::format("group team of rep by {}\n\n", groupField_);
  }
  static const char* const subjectNames[] = {"rep", "team", "account", "company"};

  // Mostly small frameworks (the JIT's compile time is most of a case's cost), some larger.
  const int metrics = random_->chance(80) ? random_->between(1, 5) : random_->between(6, 10);
  for (int i = 0; i < metrics; ++i) {
    if (random_->chance(8))
      addCategoryCounts();
    else
      addMetric();
    if (i > 0 && random_->chance(10))
      addScore();
    if (i > 0 && random_->chance(10))
      addBand();
    if (i > 0 && random_->chance(5))
      addObjective();
  }
  const int checks = random_->chance(50) ? random_->between(1, 2) : 0;
  for (int i = 0; i < checks; ++i)
    addCheck();
  if (random_->chance(25))
    addRank();
  const int alerts = random_->chance(30) ? random_->between(1, 2) : 0;
  for (int i = 0; i < alerts; ++i)
    addAlert();

  case_.framework = "fw";
  std::string text = groupDecl;
  text += fmt::format("framework fw \"A random framework\" {{\n  subject {}\n  cadence {}\n",
                      subjectNames[static_cast<int>(subject_)], periodUnitName(cadence_));
  for (const std::string& member : members_)
    text += member + "\n";
  case_.source += text + "}\n";
}

std::string Generator::dataText(const Data& data) const {
  std::string text = fmt::format("{} {} from \"{}.csv\" {{\n", data.entity ? "entity" : "table",
                                 data.name, data.name);
  for (const Field& field : data.fields) {
    const std::string type =
        field.type == FieldType::Reference ? entities_[field.entity].name : typeWord(field.type);
    text += fmt::format("  {}{}: {}{}{}\n", field.key ? "key " : "", field.name, type,
                        field.optional ? "?" : "",
                        field.column != field.name ? " = " + field.column : "");
  }
  return text + "}\n\n";
}

// ---- data -------------------------------------------------------------------------------------

// Money cells are decimals with at most four places (trailing zeros aside) within money's range:
// cents, units of 1/10,000, whole amounts, and the extremes, whose sums leave the range.
std::string Generator::moneyCell() {
  std::string text;
  switch (random_->below(10)) {
  case 0:
    text = "0";
    break;
  case 1:
    text = random_->chance(50) ? "900719925474.0991" : "-900719925474.0991";
    break;
  case 2:
    text = fmt::format("{}.{:04}", random_->between(0, 99), random_->between(0, 9999));
    break;
  case 3:
    text = fmt::format("-{}.{:02}", random_->between(0, 5000), random_->between(0, 99));
    break;
  case 4:
    text = fmt::format("{}.{:02}0", random_->between(0, 999), random_->between(0, 99));
    break;
  case 5:
  case 6:
    text = fmt::format("{}.{:02}", random_->between(0, 999999), random_->between(0, 99));
    break;
  default:
    text = fmt::format("{}", random_->between(1, 9) * (random_->chance(50) ? 1000 : 1));
    break;
  }
  if (random_->chance(10))
    text = text[0] == '-' ? "-$" + text.substr(1) : "$" + text;
  return text;
}

std::string Generator::numberCell(FieldType type) {
  std::string text;
  // Extremes (1e300, 1e-300, -1e300) are rare enough that most sums stay finite.
  const uint32_t roll = random_->below(40);
  switch (roll < 3 ? roll + 1 : roll < 6 ? 0 : roll < 10 ? 4 + (roll - 6) % 3 : 7) {
  case 0:
    text = "0";
    break;
  case 1:
    text = hugeDecimal();
    break;
  case 2:
    text = tinyDecimal();
    break;
  case 3:
    text = "-" + hugeDecimal();
    break;
  case 4:
    text = fmt::format("-{}", random_->between(1, 5000));
    break;
  case 5: {
    const int whole = random_->between(0, 999);
    const int fraction = random_->between(0, 99);
    text = fmt::format("{}.{}", whole, fraction);
    break;
  }
  case 6:
    text = "1000000000000";
    break;
  default: {
    const int digit = random_->between(1, 9);
    const int scale = random_->chance(50) ? 1000 : 1;
    text = fmt::format("{}", digit * scale);
    break;
  }
  }
  if (type == FieldType::Count && text.find('.') != std::string::npos)
    text = text.substr(0, text.find('.'));
  if (type == FieldType::Percent && random_->chance(50))
    text += "%";
  return text;
}

// A period cell in any of the loader's forms: the run's period and its neighbours, a quarter,
// month or week around the interesting days, a year, a day.
std::string Generator::periodCell() {
  switch (random_->below(6)) {
  case 0:
    return formatPeriod(period_);
  case 1:
    return formatPeriod(period_.shifted(-1));
  case 2:
    return formatPeriod(periodContaining(random_->pick(interestingDays_), PeriodUnit::Year));
  case 3:
    return formatDate(random_->pick(interestingDays_));
  default:
    return periodLiteral();
  }
}

std::string Generator::cell(const Field& field, const Data& data) {
  if (field.optional && random_->chance(18))
    return "";
  switch (field.type) {
  case FieldType::Text:
    if (random_->chance(8))
      return random_->pick(kOddTexts);
    return field.vocabulary.empty() ? random_->pick(kStages) : random_->pick(field.vocabulary);
  case FieldType::Money:
    return moneyCell();
  case FieldType::Number:
  case FieldType::Count:
  case FieldType::Percent:
    return numberCell(field.type);
  case FieldType::Bool:
    return random_->pick(std::vector<std::string>{"true", "false", "1", "0", "TRUE"});
  case FieldType::Date:
    return dateCell();
  case FieldType::Period:
    return periodCell();
  case FieldType::Reference: {
    const Data& target = entities_[field.entity];
    if (target.keys.empty())
      return "";
    return random_->pick(target.keys);
  }
  }
  (void)data;
  return "";
}

// A cell the loader must reject for its field (for runs with --on-error skip).
std::string Generator::badCell(const Field& field) {
  switch (field.type) {
  case FieldType::Money: // also more than four decimals, and past money's range
    return random_->pick(
        std::vector<std::string>{"12x", "1e5", "--3", "$", "1.23456", "900719925474.0992"});
  case FieldType::Number:
  case FieldType::Percent:
    return random_->pick(std::vector<std::string>{"12x", "1e5", "--3", "$"});
  case FieldType::Count:
    return random_->pick(std::vector<std::string>{"1.5", "many"});
  case FieldType::Bool:
    return "maybe";
  case FieldType::Date:
    return random_->pick(std::vector<std::string>{"2017-02-30", "2017-13-01", "yesterday"});
  case FieldType::Period:
    return random_->pick(std::vector<std::string>{"2017-Q5", "2017-W60", "soon"});
  case FieldType::Reference:
    return "Nobody";
  case FieldType::Text:
    return "";
  }
  return "";
}

void Generator::generateRows(Data& data) {
  std::vector<std::string> columns;
  for (const Field& field : data.fields)
    columns.push_back(field.column);
  // Column order in the file need not follow the declaration; an extra column is ignored.
  std::vector<size_t> order(columns.size());
  for (size_t i = 0; i < order.size(); ++i)
    order[i] = i;
  if (random_->chance(20))
    for (size_t i = order.size(); i > 1; --i)
      std::swap(order[i - 1], order[random_->below(static_cast<uint32_t>(i))]);
  const bool extraColumn = random_->chance(10);

  std::vector<std::vector<std::string>> rows;
  if (data.entity) {
    const std::vector<std::string>& pool = data.name == "rep" ? kRepNames : kAccountCodes;
    data.rows = random_->chance(4) ? 0 : random_->between(1, static_cast<int>(pool.size()));
    std::vector<std::string> keys = pool;
    for (size_t i = keys.size(); i > 1; --i)
      std::swap(keys[i - 1], keys[random_->below(static_cast<uint32_t>(i))]);
    keys.resize(static_cast<size_t>(data.rows));
    data.keys = keys;
  } else {
    data.rows = random_->chance(8) ? 0 : random_->between(1, 24);
  }
  for (int r = 0; r < data.rows; ++r) {
    std::vector<std::string> row;
    for (const Field& field : data.fields) {
      if (field.key)
        row.push_back(data.entity ? data.keys[static_cast<size_t>(r)] : fmt::format("t{}", r + 1));
      else
        row.push_back(cell(field, data));
    }
    // A non-optional reference needs a key to point at: a table over an empty entity stays
    // empty.
    bool impossible = false;
    for (size_t f = 0; f < data.fields.size(); ++f)
      impossible = impossible || (!data.fields[f].optional && row[f].empty() &&
                                  data.fields[f].type == FieldType::Reference);
    if (!impossible)
      rows.push_back(std::move(row));
  }
  data.rows = static_cast<int>(rows.size());
  // Rows the loader must reject, for runs that skip them.
  if (badRows_ && random_->chance(60)) {
    const int bad = random_->between(1, 3);
    for (int b = 0; b < bad; ++b) {
      std::vector<std::string> row;
      for (const Field& field : data.fields)
        row.push_back(field.key ? fmt::format("bad{}", b + 1)
                                : (field.optional ? "" : cell(field, data)));
      std::vector<size_t> candidates;
      for (size_t f = 0; f < data.fields.size(); ++f)
        if (!data.fields[f].key &&
            (data.fields[f].type != FieldType::Text || !data.fields[f].optional))
          candidates.push_back(f);
      if (data.entity && !data.keys.empty() && random_->chance(30)) {
        row[data.keyFieldIndex()] = random_->pick(data.keys); // duplicate
      } else if (!candidates.empty()) {
        const size_t f = random_->pick(candidates);
        row[f] = badCell(data.fields[f]);
      }
      const size_t at = random_->below(static_cast<uint32_t>(rows.size() + 1));
      rows.insert(rows.begin() + static_cast<std::ptrdiff_t>(at), std::move(row));
    }
  }

  std::string csv;
  for (size_t i = 0; i < order.size(); ++i) {
    if (i > 0)
      csv += ',';
    csv += csvCell(columns[order[i]]);
  }
  if (extraColumn)
    csv += ",unused";
  csv += random_->chance(10) ? "\r\n" : "\n";
  for (const std::vector<std::string>& row : rows) {
    for (size_t i = 0; i < order.size(); ++i) {
      if (i > 0)
        csv += ',';
      csv += csvCell(row[order[i]]);
    }
    if (extraColumn)
      csv += ",ignored";
    csv += "\n";
  }
  case_.files.push_back({data.name, data.name + ".csv", std::move(csv)});
}

RandomCase Generator::run(bool withData) {
  choosePeriod();
  badRows_ = random_->chance(8);
  declareEntities();
  declareTables();
  declareParams();
  declareFunctions();
  holidays_ = random_->chance(12);

  std::string& source = case_.source;
  source = "// A random framework from the differential fuzzer.\n";
  for (const Data& entity : entities_)
    source += dataText(entity);
  for (const Data& table : tables_)
    source += dataText(table);
  if (holidays_)
    source += "table holidays from \"holidays.csv\" {\n  day: date\n}\n\n";
  for (const Param& param : params_)
    source +=
        fmt::format("param {}: {} = {}\n", param.name, typeWord(param.type), param.defaultText);
  if (!params_.empty())
    source += "\n";
  for (const Function& fn : functions_) {
    Scope scope;
    scope.where = Where::Function;
    scope.fnParams = &fn.params;
    std::string params;
    for (const FnParamInfo& param : fn.params) {
      const char* type = param.want == Want::Money    ? "money"
                         : param.want == Want::Number ? "number"
                         : param.want == Want::Bool   ? "bool"
                         : param.want == Want::Text   ? "text"
                                                      : "date";
      params += fmt::format("{}{}: {}", params.empty() ? "" : ", ", param.name, type);
    }
    const char* result = fn.result == Want::Money    ? "money"
                         : fn.result == Want::Number ? "number"
                         : fn.result == Want::Bool   ? "bool"
                         : fn.result == Want::Text   ? "text"
                                                     : "date";
    source += fmt::format("fn {}({}): {} = {}\n\n", fn.name, params, result,
                          gen(fn.result, random_->between(1, 3), scope));
  }
  declareFramework();
  case_.programBytes = random_->consumed();
  if (!withData)
    return std::move(case_);
  random_ = data_;

  // Entities first: the tables' references take their keys.
  for (Data& entity : entities_)
    generateRows(entity);
  for (Data& table : tables_)
    generateRows(table);
  if (holidays_) {
    // Days in and around the period, weekends and duplicates among them.
    std::string csv = "day\n";
    const int days = random_->between(0, 6);
    for (int i = 0; i < days; ++i)
      csv += dateCell() + "\n";
    case_.files.push_back({"holidays", "holidays.csv", std::move(csv)});
  }
  case_.hasBadRows = badRows_;

  // Runs: the period the data was made around, its neighbours, other as-of days and params.
  const int runs = random_->between(1, 3);
  for (int i = 0; i < runs; ++i) {
    RunSpec run;
    const Period period = i == 0 ? period_ : period_.shifted(random_->between(-2, 1));
    run.period = formatPeriod(period);
    if (random_->chance(40)) {
      const DayNumber days[] = {period.end(),
                                period.start(),
                                period.start() - 1,
                                period.end() + 1,
                                (period.start() + period.end()) / 2,
                                period.end() + 45};
      run.asOf = formatDate(days[random_->below(6)]);
    }
    for (const Param& param : params_)
      if (random_->chance(25))
        run.params[param.name] = random_->pick(param.overrides);
    run.skipBadRows = badRows_ && !(i > 0 && random_->chance(20));
    run.threads = random_->chance(70) ? 1 : random_->between(2, 4);
    case_.runs.push_back(std::move(run));
  }
  return std::move(case_);
}

} // namespace

RandomCase generateCase(ByteSource& random) {
  return Generator(random, random).run();
}

RandomCase generateCase(ByteSource& program, ByteSource& data) {
  return Generator(program, data).run();
}

size_t programBytes(ByteSource& random) {
  return Generator(random, random).run(false).programBytes;
}

} // namespace fulcrum::fuzz
