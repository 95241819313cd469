// A refutation as rows (see CounterexampleRows.h). The framework is encoded again with its run
// parameters fixed to one period's and every aggregate computed from K rows per table, each row
// a set of solver values (present or not, in the field's declared range, with as many decimals
// as a test literal writes) and a boolean "the row exists": a count is the number of existing
// rows whose filter holds, a sum their values' sum, and so on. K = 1, 2, 3 are tried in turn;
// the first model's rows are the test's. A field read through the reference that names the
// subject is the subject's field; through another reference, a field of an entity row of the
// row's own. What rows cannot express here (a reference compared, rows that reach their subject
// other than by a reference field, an aggregate filtered by another) is a free value
// marked kNotFromRows: a check that depends on one gets no rows, and the reason names it.
#include "compiler/prove/CounterexampleRows.h"

#include "compiler/prove/AnswerText.h"
#include "compiler/prove/DeadlineChild.h"
#include "compiler/prove/Encoding.h"
#include "compiler/prove/FrameworkModel.h"
#include "compiler/prove/ModelSolver.h"
#include "compiler/prove/TimedSolver.h"
#include "runtime/exec/RunParams.h"
#include "support/Calendar.h"
#include "support/Money.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <deque>
#include <fmt/format.h>
#include <map>
#include <optional>
#include <set>

namespace fulcrum::prove {

using runtime::AggregateUpdate;
using runtime::PlanField;
using runtime::PlanTable;
using runtime::PNode;
using runtime::POp;
using runtime::ScanKernel;
using runtime::ValueType;

namespace {

constexpr unsigned kMostRowsPerTable = 3;
// How long past its deadline a rows search's process may take to stop on its own (its solver
// call ends at the deadline when the solver looks at its timeout) before it is killed.
constexpr unsigned kStopGraceMs = 500;

// The period a counterexample runs in: one of the cadence's, in 2024.
Period testPeriod(const runtime::Plan& plan) {
  Period period;
  period.unit = plan.cadence;
  period.year = 2024;
  period.fiscalStart = followsFiscalYear(plan.cadence) ? plan.fiscalStart : 0;
  switch (plan.cadence) {
  case PeriodUnit::Quarter:
    period.index = 2;
    break;
  case PeriodUnit::Month:
    period.index = 5;
    break;
  case PeriodUnit::Week:
    period.index = 18;
    break;
  case PeriodUnit::Year:
    period.index = 1;
    break;
  case PeriodUnit::Day:
    period.index = dayFromCivil(2024, 5, 15);
    break;
  }
  return period;
}

// Whether a period of `unit` has a literal of its own (a year's `2024` reads as a number, a
// day's `2024-12-31` as a date).
bool hasPeriodLiteral(PeriodUnit unit) {
  return unit != PeriodUnit::Year && unit != PeriodUnit::Day;
}

std::string quoted(const std::string& text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\' || c == '{')
      out += '\\';
    if (c == '\n')
      out += "\\n";
    else
      out += c;
  }
  return out + "\"";
}

// An exact rational numeral as a decimal ("1.5", "-2"); the values are built to have few digits.
std::string decimal(const z3::expr& numeral) {
  std::string text = numeral.get_decimal_string(12);
  if (!text.empty() && text.back() == '?')
    text.pop_back();
  if (text.find('.') != std::string::npos) {
    while (text.back() == '0')
      text.pop_back();
    if (text.back() == '.')
      text.pop_back();
  }
  return text;
}

z3::expr isWhole(z3::context& ctx, const z3::expr& x) {
  return z3::expr(ctx, Z3_mk_is_int(ctx, x));
}

// The values a row's field may take so that its literal reads back as the solver's value: a
// double holds every whole number up to 2^53, so a literal with k decimals is exact while its
// value times 10^k stays below that; far inside it, so that sums of a few rows are exact too.
// Dates stay within the years a date literal writes. None for texts, booleans and periods.
std::optional<std::pair<double, double>> literalBounds(ValueType type) {
  switch (type) {
  case ValueType::Count:
  case ValueType::Number: // hundredths
  case ValueType::Duration:
  case ValueType::MonthDuration:
    return std::pair{-1e12, 1e12};
  case ValueType::Money: // units of 1/10,000: up to a hundred billion dollars
    return std::pair{-1e15, 1e15};
  case ValueType::Percent: // the fraction, in steps of 1/10,000: up to 10^10 %
    return std::pair{-1e8, 1e8};
  case ValueType::Date:
    return std::pair{static_cast<double>(dayFromCivil(1900, 1, 1)),
                     static_cast<double>(dayFromCivil(2199, 12, 31))};
  default:
    return std::nullopt;
  }
}

// The row of an entity that a row's reference (other than to the subject) names: one per row
// and reference field, with the fields read through it.
struct ReferencedRow {
  uint32_t table = 0; // the entity's plan table
  z3::expr present;   // whether the reference is given
  std::map<uint32_t, SymValue> fields;
};

// A row's reference to a row of a pool (below): which one, by index, and whether it is given.
struct PoolChoice {
  uint32_t pool = 0; // the entity's plan table
  z3::expr index;    // 0 .. K-1
  z3::expr present;
};

// One table's rows: whether each exists, and the fields the scans read. The rows of an entity
// whose rows are themselves a subject's (a group's members, any entity under `subject company`)
// are a pool: a reference of another row to that entity names one of them, not a row of its own
// (which would be one more member, one more of the company's rows). A pool's rows exist in order
// (row r+1 only when row r does): rows are interchangeable, and row r's key is then its r+1.
struct TableRows {
  uint32_t table = 0;
  std::string name; // for the solver's names: `deals`, or `deals/helper` for a second set
  // The field that names the subject; for a group's member rows, the field the group is by; for
  // rows that reach a group through a member (deals.owner), that reference; -1 when every row is
  // the subject's (`subject company`).
  int32_t subjectField = -1;
  bool toMember = false; // subjectField names a member of the group subject
  bool pool = false;
  std::vector<z3::expr> exists;
  std::vector<std::map<uint32_t, SymValue>> fields;          // per row: field -> value
  std::vector<std::map<uint32_t, ReferencedRow>> references; // per row: reference field -> row
  std::vector<std::map<uint32_t, PoolChoice>> choices;       // per row: reference field -> pool row
};

// The text code of a subject key no string of the program is (a group's "g1", the company's
// name when no formula writes it): the writer writes that text for it.
constexpr int kSubjectKeyCode = 1 << 20;

class RowBuilder {
public:
  RowBuilder(Encoder& encoder, unsigned rowsPerTable, const Period& period)
      : encoder_(encoder), ctx_(encoder.ctx()), plan_(encoder.plan()), rowsPerTable_(rowsPerTable),
        subjectKey_(plan_.tables[0].isCompany || plan_.tables[0].groupMembers >= 0
                        ? ctx_.real_const("subject key")
                        : ctx_.real_val(0)) {
    // A group's key (the members' by-field) is any text; the company's is its name.
    const PlanTable& subject = plan_.tables[0];
    const std::vector<std::string>& strings = encoder_.strings();
    std::vector<z3::expr>& facts = encoder_.facts();
    const z3::expr named = ctx_.real_val(kSubjectKeyCode);
    if (subject.isCompany) {
      const auto it = std::find(strings.begin(), strings.end(), subject.name);
      facts.push_back(
          subjectKey_ ==
          (it != strings.end() ? ctx_.real_val(static_cast<int>(it - strings.begin())) : named));
    } else if (subject.groupMembers >= 0) {
      PlanField key;
      key.type = ValueType::Text;
      constrain(key, {subjectKey_, ctx_.bool_val(true)});
      facts.push_back(subjectKey_ < ctx_.real_val(static_cast<int>(strings.size())) ||
                      subjectKey_ == named);
    }
    // A year or a day has no period literal (`2024` is a number, `2024-12-31` a date): a row
    // whose period a formula reads cannot be written then, so none is built.
    if (hasPeriodLiteral(period.unit))
      for (int shift = -1; shift <= 1; ++shift) {
        const Period p = period.shifted(shift);
        periodCodes_.emplace(runtime::periodCode(p.start(), p.end()), formatPeriod(p));
      }
  }

  // Why some values are not computed from rows (they are free values marked kNotFromRows).
  const std::set<std::string>& unbuilt() const { return unbuilt_; }
  // Whether every value the rows write lies where its literal reads back as the model's value
  // (literalBounds). Checked after solving, not asked of the solver: bounds on every row value
  // made some row searches run past their timeout inside Z3.
  bool literalsExact(const z3::model& model) const {
    for (const auto& [type, v] : written_) {
      if (!model.eval(v.present, true).is_true())
        continue;
      const auto [low, high] = *literalBounds(type);
      const double value = modelNumber(model, v.value);
      if (!(value >= low && value <= high))
        return false;
    }
    return true;
  }
  const std::deque<TableRows>& tables() const { return tables_; }
  // The text code of the subject's key (a group's or the company's).
  const z3::expr& subjectKey() const { return subjectKey_; }
  const std::map<double, std::string>& periodCodes() const { return periodCodes_; }

  // An entity row of the subject's table given to a row is another subject: a key a formula
  // reads differs from the subject's (else it would be the subject's own row, written twice).
  void otherThanSubject(const std::map<uint32_t, SymValue>& subjectFields) {
    const int32_t keyField = plan_.tables[0].keyField;
    if (keyField < 0 || plan_.tables[0].groupMembers >= 0 || plan_.tables[0].isCompany)
      return;
    const auto subjectKey = subjectFields.find(static_cast<uint32_t>(keyField));
    if (subjectKey == subjectFields.end())
      return;
    for (TableRows& rows : tables_)
      for (unsigned r = 0; r < rowsPerTable_; ++r)
        for (const auto& [field, referenced] : rows.references[r])
          if (referenced.table == 0)
            if (auto key = referenced.fields.find(static_cast<uint32_t>(keyField));
                key != referenced.fields.end())
              encoder_.facts().push_back(
                  z3::implies(rows.exists[r] && referenced.present,
                              key->second.value != subjectKey->second.value));
  }

  // Every aggregate of the plan, from the rows (peer steps' are free, as in a proof).
  std::vector<std::optional<SymValue>> aggregates() {
    std::vector<std::optional<SymValue>> out(plan_.aggregateCount);
    // Every table's rows first: a pool exists before a row names one of its rows.
    std::vector<TableRows*> scanRows(plan_.scans.size(), nullptr);
    std::vector<std::string> whys(plan_.scans.size());
    for (size_t i = 0; i < plan_.scans.size(); ++i) {
      const ScanKernel& scan = plan_.scans[i];
      if (scan.peerStage >= 0 || scan.updates.empty())
        continue;
      if (scan.pass != 0)
        whys[i] = "an aggregate filtered by another, which the rows do not compute";
      else
        scanRows[i] = rowsOf(scan, whys[i]);
    }
    // A group's members are a pool whether or not a formula aggregates them.
    const PlanTable& subject = plan_.tables[0];
    if (subject.groupMembers >= 0 && !poolOf(static_cast<uint32_t>(subject.groupMembers)))
      newRows(static_cast<uint32_t>(subject.groupMembers), subject.groupField);
    for (size_t i = 0; i < plan_.scans.size(); ++i) {
      const ScanKernel& scan = plan_.scans[i];
      if (scan.peerStage >= 0 || scan.updates.empty())
        continue;
      if (!scanRows[i]) {
        unbuilt_.insert(whys[i]);
        for (const AggregateUpdate& u : scan.updates)
          out[u.aggregate] = encoder_.freeValue("aggregate", kNotFromRows);
        continue;
      }
      aggregateScan(scan, *scanRows[i], out);
    }
    referenceFacts();
    return out;
  }

  // What a value of `field` can be in a test's literal; present unless the field is optional.
  void constrain(const PlanField& field, const SymValue& v) {
    const z3::expr& x = v.value;
    std::vector<z3::expr>& facts = encoder_.facts();
    if (!field.optional)
      facts.push_back(v.present);
    if (literalBounds(field.type))
      written_.emplace_back(field.type, v);
    switch (field.type) {
    case ValueType::Count:
    case ValueType::Date:
    case ValueType::Duration:
    case ValueType::MonthDuration:
      facts.push_back(isWhole(ctx_, x));
      break;
    case ValueType::Money: // units of 1/10,000: whole cents
      facts.push_back(isWhole(ctx_, x / ctx_.real_val(100)));
      break;
    case ValueType::Number:
      facts.push_back(isWhole(ctx_, x * ctx_.real_val(100)));
      break;
    case ValueType::Percent:
      facts.push_back(isWhole(ctx_, x * ctx_.real_val(10000)));
      break;
    case ValueType::Bool:
      facts.push_back(x == ctx_.real_val(0) || x == ctx_.real_val(1));
      break;
    case ValueType::Text:
      facts.push_back(isWhole(ctx_, x) && x >= ctx_.real_val(0));
      // A present text is never empty in rows: the loader rejects an empty required text
      // ("empty `manager`"), and reads an empty optional one as missing.
      for (size_t code = 0; code < encoder_.strings().size(); ++code)
        if (encoder_.strings()[code].empty())
          facts.push_back(z3::implies(v.present, x != ctx_.real_val(static_cast<int>(code))));
      break;
    case ValueType::Period: {
      z3::expr any = ctx_.bool_val(false);
      for (const auto& [code, text] : periodCodes_)
        any = any || x == exactReal(ctx_, code);
      facts.push_back(any);
      break;
    }
    default:
      break; // a reference: marked kNotFromRows where it is read
    }
  }

private:
  TableRows* rowsOf(const ScanKernel& scan, std::string& why) {
    using runtime::SubjectPath;
    const runtime::RowSubjectSpec& path = plan_.rowSubjects[scan.subjectOfRow];
    const PlanTable& subject = plan_.tables[0];
    int32_t subjectField = path.field;
    switch (path.path) {
    case SubjectPath::Reference:
    case SubjectPath::ReferenceToMember:
      break;
    case SubjectPath::Member:
      subjectField = subject.groupField;
      break;
    case SubjectPath::Everything:
      subjectField = -1;
      break;
    default:
      why = fmt::format("an aggregate of `{}`, whose rows reach the subject other than by a "
                        "reference field",
                        plan_.tables[scan.table].name);
      return nullptr;
    }
    // A table aggregated by two reference fields to the subject (`deals by owner`, `deals by
    // helper`) gets a set of rows for each: a row of one set names another entity row by the
    // other field (TestWriter::rows), so that it is not a row of the other set too. Not for a
    // group's or the company's rows.
    for (TableRows& rows : tables_)
      if (rows.table == scan.table) {
        if (rows.subjectField == subjectField)
          return &rows;
        if (path.path != SubjectPath::Reference || rows.pool || rows.toMember ||
            rows.subjectField < 0) {
          why = fmt::format("an aggregate of `{}` by a second reference field",
                            plan_.tables[scan.table].name);
          return nullptr;
        }
      }
    TableRows& rows = newRows(scan.table, subjectField);
    rows.toMember = path.path == SubjectPath::ReferenceToMember;
    return &rows;
  }

  TableRows& newRows(uint32_t table, int32_t subjectField) {
    const PlanTable& subject = plan_.tables[0];
    TableRows& rows = tables_.emplace_back();
    rows.table = table;
    rows.subjectField = subjectField;
    rows.name = plan_.tables[table].name;
    for (const TableRows& other : tables_)
      if (&other != &rows && other.table == table)
        rows.name = fmt::format("{}/{}", plan_.tables[table].name,
                                plan_.tables[table].fields[static_cast<size_t>(subjectField)].name);
    // A group's members; an entity's rows under `subject company`.
    rows.pool = plan_.tables[table].isEntity &&
                (static_cast<int32_t>(table) == subject.groupMembers || subject.isCompany);
    for (unsigned r = 0; r < rowsPerTable_; ++r) {
      rows.exists.push_back(ctx_.bool_const(fmt::format("{}#{}.exists", rows.name, r).c_str()));
      rows.fields.emplace_back();
      rows.references.emplace_back();
      rows.choices.emplace_back();
      // A member's group is the subject.
      if (static_cast<int32_t>(table) == subject.groupMembers)
        rows.fields.back().emplace(static_cast<uint32_t>(subject.groupField),
                                   SymValue{subjectKey_, ctx_.bool_val(true)});
    }
    // A group is there only when a member is.
    if (static_cast<int32_t>(table) == subject.groupMembers)
      encoder_.facts().push_back(rows.exists[0]);
    if (rows.pool)
      for (unsigned r = 1; r < rowsPerTable_; ++r)
        encoder_.facts().push_back(z3::implies(rows.exists[r], rows.exists[r - 1]));
    return rows;
  }

  TableRows* poolOf(uint32_t table) {
    for (TableRows& rows : tables_)
      if (rows.table == table && rows.pool)
        return &rows;
    return nullptr;
  }

  // Row `row`'s reference `field` (bound column `via`) to a pool's row: which one.
  PoolChoice& choice(TableRows& rows, unsigned row, uint32_t field, TableRows& pool) {
    auto& choices = rows.choices[row];
    auto it = choices.find(field);
    if (it != choices.end())
      return it->second;
    const PlanField& reference = plan_.tables[rows.table].fields[field];
    const std::string name = fmt::format("{}.{}#{}", rows.name, reference.name, row);
    const z3::expr index = ctx_.real_const((name + ".row").c_str());
    // The reference that makes a row a member's is given; another may be left empty.
    const z3::expr present =
        reference.optional && !(rows.toMember && static_cast<int32_t>(field) == rows.subjectField)
            ? ctx_.bool_const((name + ".present").c_str())
            : ctx_.bool_val(true);
    std::vector<z3::expr>& facts = encoder_.facts();
    z3::expr named = ctx_.bool_val(false);
    for (unsigned k = 0; k < rowsPerTable_; ++k)
      named = named || (index == ctx_.real_val(static_cast<int>(k)) && pool.exists[k]);
    facts.push_back(z3::implies(rows.exists[row] && present, named));
    return choices.emplace(field, PoolChoice{pool.table, index, present}).first->second;
  }

  // The facts once every row is encoded: keys that formulas read are distinct within a table,
  // and every row's required reference to a pool entity that no formula reads names the pool's
  // first row.
  void referenceFacts() {
    std::vector<z3::expr>& facts = encoder_.facts();
    // Per table, the keys formulas read, of its rows (over all its sets: `deals by owner` and
    // `deals by helper`, a pool's) and of the entity rows given to rows: distinct, since two rows
    // of one key would be one row, and the loader rejects the second ("duplicate key").
    std::map<uint32_t, std::vector<std::pair<z3::expr, z3::expr>>> keys; // table -> (given, key)
    for (TableRows& rows : tables_)
      for (unsigned r = 0; r < rowsPerTable_; ++r) {
        if (const int32_t keyField = plan_.tables[rows.table].keyField; keyField >= 0)
          if (auto key = rows.fields[r].find(static_cast<uint32_t>(keyField));
              key != rows.fields[r].end())
            keys[rows.table].emplace_back(rows.exists[r] && key->second.present, key->second.value);
        for (const auto& [field, referenced] : rows.references[r]) {
          const int32_t keyField = plan_.tables[referenced.table].keyField;
          auto key = keyField >= 0 ? referenced.fields.find(static_cast<uint32_t>(keyField))
                                   : referenced.fields.end();
          if (key != referenced.fields.end())
            keys[referenced.table].emplace_back(rows.exists[r] && referenced.present,
                                                key->second.value);
        }
      }
    for (const auto& [table, given] : keys)
      for (size_t a = 0; a < given.size(); ++a)
        for (size_t b = a + 1; b < given.size(); ++b)
          facts.push_back(
              z3::implies(given[a].first && given[b].first, given[a].second != given[b].second));
    for (TableRows& rows : tables_) {
      const PlanTable& table = plan_.tables[rows.table];
      for (uint32_t f = 0; f < table.fields.size(); ++f) {
        const PlanField& field = table.fields[f];
        const bool link = static_cast<int32_t>(f) == rows.subjectField;
        if (field.type != ValueType::Reference || (link && !rows.toMember) ||
            (field.optional && !link))
          continue;
        const PlanTable* target = nullptr;
        for (const TableRows& pool : tables_)
          if (pool.pool && plan_.tables[pool.table].name == field.referencedTable)
            target = &plan_.tables[pool.table];
        if (!target)
          continue;
        TableRows& pool = *poolOf(static_cast<uint32_t>(target - plan_.tables.data()));
        for (unsigned r = 0; r < rowsPerTable_; ++r)
          if (!rows.choices[r].count(f))
            facts.push_back(z3::implies(rows.exists[r], pool.exists[0]));
      }
      // An entity row given to a row: its required references to a pool name the first row.
      for (unsigned r = 0; r < rowsPerTable_; ++r)
        for (const auto& [field, referenced] : rows.references[r])
          for (const PlanField& f : plan_.tables[referenced.table].fields)
            if (f.type == ValueType::Reference && !f.optional)
              for (const TableRows& pool : tables_)
                if (pool.pool && plan_.tables[pool.table].name == f.referencedTable)
                  facts.push_back(
                      z3::implies(rows.exists[r] && referenced.present, pool.exists[0]));
    }
  }

  SymValue column(TableRows& rows, unsigned row, uint32_t column) {
    const runtime::BoundColumnSpec& spec = plan_.columns[column];
    auto& fields = rows.fields[row];
    if (auto it = fields.find(spec.field); it != fields.end())
      return it->second;
    const PlanField& field = plan_.tables[spec.table].fields[spec.field];
    SymValue v = encoder_.freshColumn(column, fmt::format("{}#{}", spec.name, row));
    constrain(field, v);
    if (field.type == ValueType::Reference) {
      unbuilt_.insert(
          fmt::format("a reference in a filter (`{}`), which the rows do not model", spec.name));
      v.approximations |= kNotFromRows;
    }
    fields.emplace(spec.field, v);
    return v;
  }

  // Bound column `n.a` through reference column `n.b` of row `row`: the subject's field when the
  // reference is the one that names the subject; else a field of the row's own referenced row.
  SymValue referenced(TableRows& rows, unsigned row, const PNode& n) {
    const runtime::BoundColumnSpec& target = plan_.columns[n.a];
    const runtime::BoundColumnSpec& via = plan_.columns[n.b];
    if (static_cast<int32_t>(via.field) == rows.subjectField && target.table == 0)
      return encoder_.subjectField(n.a);
    // A pool's row: a group's member (deals.owner.quota), any entity's under `subject company`.
    if (via.table == rows.table && target.table < plan_.tables.size())
      if (TableRows* pool = poolOf(target.table);
          pool && (static_cast<int32_t>(via.field) != rows.subjectField || rows.toMember)) {
        const PoolChoice& chosen = choice(rows, row, via.field, *pool);
        SymValue v = column(*pool, rowsPerTable_ - 1, n.a);
        for (unsigned k = rowsPerTable_ - 1; k-- > 0;) {
          const SymValue at = column(*pool, k, n.a);
          const z3::expr here = chosen.index == ctx_.real_val(static_cast<int>(k));
          v.value = z3::ite(here, at.value, v.value);
          v.present = z3::ite(here, at.present, v.present);
          v.approximations |= at.approximations;
        }
        v.present = v.present && chosen.present;
        return v;
      }
    if (via.table != rows.table || target.table >= plan_.tables.size()) {
      unbuilt_.insert(fmt::format("a field through a reference (`{}`), which the rows do not model",
                                  target.name));
      return encoder_.freeValue("row value", kNotFromRows);
    }
    auto& references = rows.references[row];
    auto it = references.find(via.field);
    if (it == references.end()) {
      const PlanField& reference = plan_.tables[rows.table].fields[via.field];
      const z3::expr present =
          reference.optional
              ? ctx_.bool_const(fmt::format("{}:{}#{}.present", rows.name, via.name, row).c_str())
              : ctx_.bool_val(true);
      it = references.emplace(via.field, ReferencedRow{target.table, present, {}}).first;
    }
    ReferencedRow& referencedRow = it->second;
    auto field = referencedRow.fields.find(target.field);
    if (field == referencedRow.fields.end()) {
      SymValue v = encoder_.freshColumn(n.a, fmt::format("{}#{}", target.name, row));
      constrain(plan_.tables[target.table].fields[target.field], v);
      field = referencedRow.fields.emplace(target.field, v).first;
    }
    SymValue v = field->second;
    v.present = v.present && referencedRow.present;
    return v;
  }

  void aggregateScan(const ScanKernel& scan, TableRows& rows,
                     std::vector<std::optional<SymValue>>& out) {
    const z3::expr zero = ctx_.real_val(0), one = ctx_.real_val(1), yes = ctx_.bool_val(true);
    std::vector<std::vector<std::optional<SymValue>>> nodes(rowsPerTable_);
    for (unsigned r = 0; r < rowsPerTable_; ++r)
      encoder_.encode(
          scan.nodes, 0, static_cast<uint32_t>(scan.nodes.size()),
          [&](const PNode& n) -> SymValue {
            if (n.op == POp::Column)
              return column(rows, r, n.a);
            if (n.op == POp::RefColumn)
              return referenced(rows, r, n);
            unbuilt_.insert(
                n.op == POp::RefColumn
                    ? fmt::format("a field through a reference (`{}`), which the rows do not model",
                                  plan_.columns[n.a].name)
                    : "a value of the subject's in a filter, which the rows do not model");
            return encoder_.freeValue("row value", kNotFromRows);
          },
          nodes[r]);
    for (const AggregateUpdate& u : scan.updates) {
      std::vector<z3::expr> counted, values;
      std::vector<SymValue> rowValues;
      uint8_t read = kAggregate; // what the filter and value depend on
      for (unsigned r = 0; r < rowsPerTable_; ++r) {
        z3::expr in = rows.exists[r];
        if (u.filter >= 0) {
          const SymValue& f = *nodes[r][static_cast<size_t>(u.filter)];
          in = in && f.present && f.value != zero;
          read |= f.approximations;
        }
        const SymValue v =
            u.value >= 0 ? *nodes[r][static_cast<size_t>(u.value)] : SymValue{one, yes};
        read |= v.approximations;
        counted.push_back(in && v.present);
        rowValues.push_back(v);
      }
      SymValue result{zero, yes, read};
      z3::expr count = zero, sum = zero;
      for (unsigned r = 0; r < rowsPerTable_; ++r) {
        count = count + z3::ite(counted[r], one, zero);
        sum = sum + z3::ite(counted[r], rowValues[r].value, zero);
      }
      switch (u.kind) {
      case AggregateKind::Count:
        result.value = count;
        break;
      case AggregateKind::Sum:
        result.value = sum;
        break;
      case AggregateKind::Avg:
        result.value = z3::ite(count == zero, zero, sum / z3::ite(count == zero, one, count));
        result.present = count > zero;
        break;
      case AggregateKind::Min:
      case AggregateKind::Max: {
        z3::expr present = ctx_.bool_val(false), value = zero;
        for (unsigned r = 0; r < rowsPerTable_; ++r) {
          const z3::expr& v = rowValues[r].value;
          const z3::expr better = u.kind == AggregateKind::Min ? v < value : v > value;
          value = z3::ite(counted[r] && (!present || better), v, value);
          present = present || counted[r];
        }
        result = {value, present, read};
        break;
      }
      case AggregateKind::First:
      case AggregateKind::Last: {
        // The row with the smallest (first) or largest (last) key; ties go by file order, the
        // earliest for first and the latest for last. A counted row's key is given here.
        if (u.orderKey < 0) {
          unbuilt_.insert(fmt::format("a {} without a key", aggregateSpelling(u.kind)));
          result = encoder_.freeValue(aggregateSpelling(u.kind), kNotFromRows);
          break;
        }
        // The solver does not know the byte order of two texts (a text's place is a function of
        // the text, its order free): a key ordered by a row's text makes the counted rows' texts
        // one text, so that they tie and file order decides, as in the engines. Another key
        // that leans on a text's place or calendar arithmetic gets no rows.
        const PNode& keyNode = scan.nodes[static_cast<size_t>(u.orderKey)];
        const bool textKey = keyNode.op == POp::TextOrder && (nodes[0][keyNode.a]->approximations &
                                                              ~(kRounded | kAggregate)) == kExact;
        if (!textKey && (nodes[0][static_cast<size_t>(u.orderKey)]->approximations & kCalendar)) {
          unbuilt_.insert(fmt::format("a {} ordered by a value the rows do not model (a text's "
                                      "place among others, a date's calendar arithmetic)",
                                      aggregateSpelling(u.kind)));
          result = encoder_.freeValue(aggregateSpelling(u.kind), kNotFromRows);
          break;
        }
        if (textKey)
          for (unsigned r = 1; r < rowsPerTable_; ++r)
            for (unsigned earlier = 0; earlier < r; ++earlier)
              encoder_.facts().push_back(
                  z3::implies(counted[r] && counted[earlier],
                              nodes[r][keyNode.a]->value == nodes[earlier][keyNode.a]->value));
        z3::expr present = ctx_.bool_val(false), value = zero, best = zero;
        for (unsigned r = 0; r < rowsPerTable_; ++r) {
          const SymValue& key = *nodes[r][static_cast<size_t>(u.orderKey)];
          read |= key.approximations;
          encoder_.facts().push_back(z3::implies(counted[r], key.present));
          const z3::expr better =
              u.kind == AggregateKind::First ? key.value < best : key.value >= best;
          const z3::expr take = counted[r] && (!present || better);
          value = z3::ite(take, rowValues[r].value, value);
          best = z3::ite(take, key.value, best);
          present = present || counted[r];
        }
        result = {value, present, read};
        break;
      }
      case AggregateKind::CountDistinct: {
        z3::expr distinct = zero;
        for (unsigned r = 0; r < rowsPerTable_; ++r) {
          z3::expr fresh = counted[r];
          for (unsigned earlier = 0; earlier < r; ++earlier)
            fresh = fresh && !(counted[earlier] && rowValues[earlier].value == rowValues[r].value);
          distinct = distinct + z3::ite(fresh, one, zero);
        }
        result.value = distinct;
        break;
      }
      case AggregateKind::Median:
        result = median(counted, rowValues, read);
        break;
      default:
        unbuilt_.insert(
            fmt::format("a {}, which the rows do not compute", aggregateSpelling(u.kind)));
        result = encoder_.freeValue(aggregateSpelling(u.kind), kNotFromRows);
      }
      out[u.aggregate] = result;
    }
  }

  // The median of the counted rows' values (runtime's MedianAggregate: the middle value, or the
  // mean of the two middle ones), over each set of rows that may be the counted ones: at most 3
  // rows, so at most 7 sets, each with its middle value written out.
  SymValue median(const std::vector<z3::expr>& counted, const std::vector<SymValue>& values,
                  uint8_t read) {
    const z3::expr zero = ctx_.real_val(0);
    const size_t rows = counted.size();
    z3::expr value = zero, present = ctx_.bool_val(false);
    for (size_t set = 1; set < (size_t{1} << rows); ++set) {
      z3::expr exactly = ctx_.bool_val(true);
      std::vector<z3::expr> in;
      for (size_t r = 0; r < rows; ++r) {
        const bool member = (set >> r) & 1;
        exactly = exactly && (member ? counted[r] : !counted[r]);
        if (member)
          in.push_back(values[r].value);
      }
      const auto least = [](const z3::expr& a, const z3::expr& b) { return z3::ite(a < b, a, b); };
      const auto most = [](const z3::expr& a, const z3::expr& b) { return z3::ite(a > b, a, b); };
      z3::expr middle = in[0];
      if (in.size() == 2)
        middle = (in[0] + in[1]) / ctx_.real_val(2);
      else if (in.size() == 3)
        middle = in[0] + in[1] + in[2] - least(least(in[0], in[1]), in[2]) -
                 most(most(in[0], in[1]), in[2]);
      else if (in.size() > 3)
        return encoder_.freeValue("median", kNotFromRows); // never: at most 3 rows per table
      value = z3::ite(exactly, middle, value);
      present = present || exactly;
    }
    // The mean of two middle values is rounded in doubles.
    return {value, present, static_cast<uint8_t>(read | kRounded)};
  }

  Encoder& encoder_;
  z3::context& ctx_;
  const runtime::Plan& plan_;
  unsigned rowsPerTable_;
  z3::expr subjectKey_;
  std::deque<TableRows> tables_;
  std::map<double, std::string> periodCodes_;
  std::set<std::string> unbuilt_;
  std::vector<std::pair<ValueType, SymValue>> written_; // each value a literal writes
};

// Writes the model's rows as a test block.
class TestWriter {
public:
  // `strings`: the encoder's (Encoder::strings), which text codes index.
  TestWriter(const runtime::Plan& plan, const std::vector<std::string>& strings,
             const z3::model& model, const RowBuilder& builder, const Period& period)
      : plan_(plan), strings_(strings), model_(model), builder_(builder), period_(period) {
    // The text of kSubjectKeyCode: the company's name, or a group's "g1".
    subjectKeyText_ = plan.tables[0].isCompany ? plan.tables[0].name : "g1";
    while (!plan.tables[0].isCompany &&
           std::find(strings_.begin(), strings_.end(), subjectKeyText_) != strings_.end())
      subjectKeyText_ += "'";
  }

  std::string literal(ValueType type, const z3::expr& value) {
    const z3::expr v = model_.eval(value, true);
    switch (type) {
    case ValueType::Count:
    case ValueType::Number:
      return decimal(v);
    case ValueType::Money:
      return plainMoney(modelNumber(model_, v));
    case ValueType::Percent:
      return decimal(model_.eval(v * model_.ctx().real_val(100), true)) + "%";
    case ValueType::Bool:
      return modelNumber(model_, v) != 0 ? "true" : "false";
    case ValueType::Date:
      return formatDate(static_cast<DayNumber>(modelNumber(model_, v)));
    case ValueType::Duration:
      return decimal(v) + " days";
    case ValueType::MonthDuration:
      return decimal(v) + " months";
    case ValueType::Period: {
      auto it = builder_.periodCodes().find(modelNumber(model_, v));
      return it != builder_.periodCodes().end() ? it->second : formatPeriod(period_);
    }
    case ValueType::Text:
      return quoted(text(modelNumber(model_, v)));
    default:
      return "\"?\"";
    }
  }

  // A text code: the program's string, or a text no string of the program is.
  std::string text(double code) {
    if (code == kSubjectKeyCode)
      return subjectKeyText_;
    if (code >= 0 && code < static_cast<double>(strings_.size()))
      return strings_[static_cast<size_t>(code)];
    std::string made = fmt::format("text {}", static_cast<int64_t>(code));
    while (std::find(strings_.begin(), strings_.end(), made) != strings_.end())
      made += "'";
    return made;
  }

  // The literal of a field no formula reads, when the loader needs one.
  std::string placeholder(const PlanField& field, const std::string& keyText) {
    switch (field.type) {
    case ValueType::Text:
      return quoted(keyText.empty() ? "x" : keyText);
    case ValueType::Bool:
      return "false";
    case ValueType::Date:
      return formatDate(period_.start());
    case ValueType::Period:
      // A period literal that exists: the period's own, or (a year, a day) its first quarter.
      return formatPeriod(
          hasPeriodLiteral(period_.unit)
              ? period_
              : periodContaining(period_.start(), PeriodUnit::Quarter, plan_.fiscalStart));
    case ValueType::Duration:
      return "0 days";
    case ValueType::MonthDuration:
      return "0 months";
    case ValueType::Reference:
      return quoted(entityKey(field.referencedTable));
    default: {
      // Inside a declared range.
      const double low = field.minimum.value_or(0);
      const double value = field.maximum && *field.maximum < low ? *field.maximum : low;
      if (field.type == ValueType::Money)
        return plainMoney(value);
      if (field.type == ValueType::Percent)
        return fmt::format("{}%", value * 100);
      return keyText.empty() ? fmt::format("{}", value) : keyText;
    }
    }
  }

  // The entity table named `entity`: one the framework reads, or one only references reach.
  const PlanTable* entityTable(const std::string& entity) const {
    for (const PlanTable& table : plan_.referencedEntities)
      if (table.name == entity)
        return &table;
    for (const PlanTable& table : plan_.tables)
      if (table.isEntity && table.name == entity)
        return &table;
    return nullptr;
  }

  // The key of the one row a referenced entity (not the subject's) gets.
  std::string entityKey(const std::string& entity) {
    if (entity == plan_.tables[0].name)
      return subjectKey;
    for (const TableRows& pool : builder_.tables())
      if (pool.pool && plan_.tables[pool.table].name == entity)
        return poolKey(pool, 0); // it exists (RowBuilder::referenceFacts)
    if (!entityRows_.count(entity))
      entityRows_[entity] = ""; // written below, once
    return entity + "-1";
  }

  // `TABLE { field: value, ... }`, fields in declaration order; `given`: field -> literal.
  std::string row(const PlanTable& table, const std::map<uint32_t, std::string>& given,
                  const std::string& keyText) {
    std::string fields;
    for (uint32_t f = 0; f < table.fields.size(); ++f) {
      const PlanField& field = table.fields[f];
      std::string value;
      if (auto it = given.find(f); it != given.end())
        value = it->second;
      else if (static_cast<int32_t>(f) == table.keyField)
        value = placeholder(field, keyText);
      else if (!field.optional)
        value = placeholder(field, "");
      if (value.empty())
        continue;
      fields += fmt::format("{}{}: {}", fields.empty() ? "" : ", ", field.name, value);
    }
    return fmt::format("  {} {{ {} }}\n", table.name, fields);
  }

  // Given literals of read fields: those present in the model. A reference read as a value (a
  // count of `activities.a_owner`) is not one: the solver's value names no row (a check that
  // depends on it gets no rows), so it is left to the rows' references or a placeholder.
  std::map<uint32_t, std::string> readFields(const PlanTable& table,
                                             const std::map<uint32_t, SymValue>& values) {
    std::map<uint32_t, std::string> given;
    for (const auto& [field, v] : values)
      if (table.fields[field].type == ValueType::Reference)
        continue;
      else if (model_.eval(v.present, true).is_true())
        given[field] = literal(table.fields[field].type, v.value);
      else
        given[field] = ""; // missing: left out
    return given;
  }

  // The key of a pool's row `r`: the one a formula reads, or `rep-1` for the first.
  std::string poolKey(const TableRows& pool, unsigned r) {
    const PlanTable& table = plan_.tables[pool.table];
    if (table.keyField >= 0) {
      auto it = pool.fields[r].find(static_cast<uint32_t>(table.keyField));
      if (it != pool.fields[r].end() && model_.eval(it->second.present, true).is_true())
        return table.fields[static_cast<size_t>(table.keyField)].type == ValueType::Text
                   ? text(modelNumber(model_, it->second.value))
                   : literal(table.fields[static_cast<size_t>(table.keyField)].type,
                             it->second.value);
    }
    return fmt::format("{}-{}", table.name, r + 1);
  }

  // A row of the subject's entity that is not the subject (written once, its fields
  // placeholders): what a row names by a field other than the one its set is by.
  std::string otherSubject() {
    std::string key = subjectKey + "-other";
    while (std::find(strings_.begin(), strings_.end(), key) != strings_.end())
      key += "'";
    if (otherSubjectRow_.empty())
      otherSubjectRow_ = row(plan_.tables[0], {}, key);
    return key;
  }

  // The pool row that reference `field` of row `r` names (the first when no formula chose one).
  std::string chosenKey(const TableRows& rows, unsigned r, uint32_t field) {
    const std::string& entity = plan_.tables[rows.table].fields[field].referencedTable;
    for (const TableRows& pool : builder_.tables())
      if (pool.pool && plan_.tables[pool.table].name == entity) {
        unsigned index = 0;
        if (auto it = rows.choices[r].find(field); it != rows.choices[r].end())
          index = static_cast<unsigned>(modelNumber(model_, it->second.index));
        return poolKey(pool, index);
      }
    return entityKey(entity);
  }

  std::string rows(const std::map<uint32_t, SymValue>& subjectValues) {
    const PlanTable& subjectTable = plan_.tables[0];
    std::map<uint32_t, std::string> subjectFields = readFields(subjectTable, subjectValues);
    subjectKey = "s1";
    // A group's or the company's key: no row of its own is written.
    const bool synthesized = subjectTable.groupMembers >= 0 || subjectTable.isCompany;
    if (synthesized)
      subjectKey = text(modelNumber(model_, builder_.subjectKey()));
    else if (subjectTable.keyField >= 0) {
      auto it = subjectFields.find(static_cast<uint32_t>(subjectTable.keyField));
      if (it != subjectFields.end() && !it->second.empty() && it->second[0] == '"')
        subjectKey = text(modelNumber(
            model_, subjectValues.at(static_cast<uint32_t>(subjectTable.keyField)).value));
    }
    std::string facts;
    // The pools' rows (a group's members) first, then the rows that name them.
    std::vector<const TableRows*> order;
    for (const TableRows& rows : builder_.tables())
      if (rows.pool)
        order.push_back(&rows);
    for (const TableRows& rows : builder_.tables())
      if (!rows.pool)
        order.push_back(&rows);
    std::map<uint32_t, unsigned> writtenOf; // per table: rows written, over its sets
    for (const TableRows* each : order) {
      const TableRows& rows = *each;
      const PlanTable& table = plan_.tables[rows.table];
      unsigned& written = writtenOf[rows.table];
      // The fields by which the table's other sets of rows name the subject.
      std::set<uint32_t> otherLinks;
      for (const TableRows& other : builder_.tables())
        if (other.table == rows.table && other.subjectField != rows.subjectField &&
            other.subjectField >= 0)
          otherLinks.insert(static_cast<uint32_t>(other.subjectField));
      for (size_t r = 0; r < rows.exists.size(); ++r) {
        if (!model_.eval(rows.exists[r], true).is_true())
          continue;
        std::map<uint32_t, std::string> given = readFields(table, rows.fields[r]);
        if (rows.subjectField >= 0)
          given[static_cast<uint32_t>(rows.subjectField)] =
              rows.toMember ? quoted(chosenKey(rows, static_cast<unsigned>(r),
                                               static_cast<uint32_t>(rows.subjectField)))
                            : quoted(subjectKey);
        // Not the subject by another set's field: a row of another entity, or none.
        for (uint32_t field : otherLinks)
          if (!given.count(field) && !rows.references[r].count(field))
            given[field] = table.fields[field].optional ? "" : quoted(otherSubject());
        for (const auto& [field, chosen] : rows.choices[r])
          given[field] = model_.eval(chosen.present, true).is_true()
                             ? quoted(chosenKey(rows, static_cast<unsigned>(r), field))
                             : "";
        std::set<uint32_t> entitiesNamed; // the entities this row's given rows are of
        for (const auto& [field, referenced] : rows.references[r]) {
          if (!model_.eval(referenced.present, true).is_true()) {
            given[field] = ""; // an optional reference left empty
            continue;
          }
          const PlanTable& entity = plan_.tables[referenced.table];
          // Its key: the one a formula reads (distinct: RowBuilder::referenceFacts), or made
          // (with the field's name when the row names a second row of the entity).
          std::string key = fmt::format("{}-{}-{}", entity.name, table.name, written + 1);
          if (!entitiesNamed.insert(referenced.table).second)
            key += "-" + table.fields[field].name;
          if (entity.keyField >= 0)
            if (auto it = referenced.fields.find(static_cast<uint32_t>(entity.keyField));
                it != referenced.fields.end() && model_.eval(it->second.present, true).is_true())
              key = entity.fields[static_cast<size_t>(entity.keyField)].type == ValueType::Text
                        ? text(modelNumber(model_, it->second.value))
                        : literal(entity.fields[static_cast<size_t>(entity.keyField)].type,
                                  it->second.value);
          referencedRows_ += row(entity, readFields(entity, referenced.fields), key);
          given[field] = quoted(key);
        }
        ++written;
        facts += row(table, given,
                     rows.pool ? poolKey(rows, static_cast<unsigned>(r))
                               : fmt::format("{}-{}", table.name, written));
      }
    }
    std::string entities =
        (synthesized ? "" : row(subjectTable, subjectFields, subjectKey)) + otherSubjectRow_;
    // Rows of the other entities required references name, and of the entities their rows'
    // required references name in turn (a worklist: each entity's one row is written once, so a
    // cycle of references ends).
    std::set<std::string> written;
    for (bool more = true; more;) {
      more = false;
      std::vector<std::string> pending;
      for (const auto& [entity, text] : entityRows_)
        if (!written.count(entity))
          pending.push_back(entity);
      for (const std::string& entity : pending) {
        written.insert(entity);
        more = true;
        if (const PlanTable* table = entityTable(entity))
          entityRows_[entity] = row(*table, {}, entity + "-1");
      }
    }
    for (const auto& [entity, text] : entityRows_)
      entities += text;
    return entities + referencedRows_ + facts;
  }

  std::string subjectKey = "s1";

private:
  const runtime::Plan& plan_;
  const std::vector<std::string>& strings_;
  const z3::model& model_;
  const RowBuilder& builder_;
  Period period_;
  std::string subjectKeyText_;
  std::string otherSubjectRow_;
  std::map<std::string, std::string> entityRows_;
  std::string referencedRows_; // the rows that the rows' references name
};

} // namespace

std::string quotedText(const std::string& text) {
  return quoted(text);
}

namespace {

// The search itself, in the process that runs it: every solver call has the time left until
// `deadline` as its timeout.
std::optional<CounterexampleRows> searchRows(z3::context& ctx, const runtime::Plan& plan,
                                             const runtime::CheckSpec& check,
                                             const ProveOptions& options,
                                             std::chrono::steady_clock::time_point deadline,
                                             std::string& reason) {
  const auto msLeft = [&] {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                          deadline - std::chrono::steady_clock::now())
                          .count();
    return static_cast<unsigned>(std::max<long long>(left, 1));
  };
  const Period period = testPeriod(plan);
  runtime::StringCodes codes;
  std::vector<std::string> strings = plan.strings;
  for (size_t i = 0; i < strings.size(); ++i)
    codes.emplace(strings[i], static_cast<int32_t>(i));
  const runtime::RunParamValues params =
      runtime::computeRunParams(plan, formatPeriod(period), "", {}, codes, strings);
  const PlanTable& subjectTable = plan.tables[0];
  bool tooLarge = false; // rows were found, with a value no literal writes exactly
  for (unsigned rowsPerTable = 1; rowsPerTable <= kMostRowsPerTable; ++rowsPerTable) {
    std::optional<RowBuilder> builder;
    FrameworkModel framework(
        ctx, plan, false,
        [&](Encoder& encoder) {
          builder.emplace(encoder, rowsPerTable, period);
          return builder->aggregates();
        },
        [&](Encoder& encoder) {
          encoder.fixRunParams(params.values);
          if (options.freeParams)
            encoder.freeParams();
        });
    for (const auto& [field, v] : framework.encoder().subjectFields()) {
      builder->constrain(plan.tables[0].fields[field], v);
      // A group's or the company's one field, its key.
      if (subjectTable.groupMembers >= 0 || subjectTable.isCompany)
        framework.encoder().facts().push_back(v.value == builder->subjectKey());
    }
    builder->otherThanSubject(framework.encoder().subjectFields());
    // A free param's value as a test literal writes it.
    for (uint32_t i = 0; i < plan.runParams.size(); ++i)
      if (plan.runParams[i].kind == runtime::RunParamKind::UserParam &&
          framework.encoder().paramIsFree(i)) {
        PlanField field;
        field.type = plan.runParams[i].paramType;
        builder->constrain(field, framework.encoder().runParam(i));
      }
    const SymValue holds = framework.slot(check.slot);
    if (holds.approximations & kNotFromRows) {
      std::string what;
      for (const std::string& item : builder->unbuilt())
        what += (what.empty() ? "" : "; ") + item;
      reason = "no rows were built: the check reads " + what;
      return std::nullopt;
    }
    // A row's filter or value may read what the solver does not decide (`e_owner.level ^ 0.5`
    // in a `where`): the first solve saw the aggregate as a free value, the rows do not make it
    // decided, and their model may give `^` a value the engines never compute. (Calendar values
    // are not refused: the rows' run fixes the period, and blocks reading them reproduce.)
    if (holds.approximations & (kUninterpreted | kAcrossSubjects)) {
      reason = "no rows were built: " + approximationReason(holds.approximations);
      return std::nullopt;
    }
    z3::solver solver = timedSolver(ctx, msLeft());
    for (const z3::expr& fact : framework.encoder().facts())
      solver.add(fact);
    solver.add(holds.present && holds.value == ctx.real_val(0));
    // A group's key is "g1" when it can be (not a text that a formula compares with).
    z3::check_result result = z3::unknown;
    if (subjectTable.groupMembers >= 0) {
      solver.push();
      solver.add(builder->subjectKey() == ctx.real_val(kSubjectKeyCode));
      result = solver.check();
      if (result != z3::sat)
        solver.pop();
    }
    if (result != z3::sat) {
      setTimeout(solver, msLeft());
      result = solver.check();
    }
    if (result == z3::unknown) {
      reason = fmt::format("no rows were found within {} ms", options.timeoutMs);
      return std::nullopt;
    }
    if (result == z3::unsat)
      continue;
    const z3::model model = solver.get_model();
    if (!builder->literalsExact(model)) { // more rows may do with smaller values
      tooLarge = true;
      continue;
    }
    TestWriter writer(plan, framework.encoder().strings(), model, *builder, period);
    CounterexampleRows found;
    const std::string rows = writer.rows(framework.encoder().subjectFields());
    found.subject = writer.subjectKey;
    found.title = "counterexample: " + check.label;
    // A year or a day has no period literal: the run as of its last day is the same run.
    const bool hasLiteral = hasPeriodLiteral(plan.cadence);
    std::string head = hasLiteral ? fmt::format("  period {}\n", formatPeriod(period))
                                  : fmt::format("  as of {}\n", formatDate(period.end()));
    // Params without a default: the solver's values.
    for (uint32_t i = 0; i < plan.runParams.size(); ++i) {
      const runtime::RunParamSpec& spec = plan.runParams[i];
      if (spec.kind == runtime::RunParamKind::UserParam && framework.encoder().paramIsFree(i))
        head += fmt::format("  param {} = {}\n", spec.name,
                            writer.literal(spec.paramType, framework.encoder().runParam(i).value));
    }
    found.testBlock = fmt::format("test {} for {} {{\n{}{}  expect violation {} for {}\n}}\n",
                                  quoted(found.title), plan.frameworkName, head, rows,
                                  quoted(check.label), quoted(found.subject));
    for (const runtime::OutputColumn& column : plan.outputs) {
      const SymValue value = framework.slot(column.slot);
      found.values.push_back({column.name, value.approximations & kNotFromRows
                                               ? "(not computed from the rows)"
                                               : shownModelValue(plan, column, model, value)});
    }
    return found;
  }
  reason = tooLarge ? fmt::format("no rows were built: the rows that break the check in {} need a "
                                  "value too large for its literal to read back exactly",
                                  formatPeriod(period))
                    : fmt::format("no rows were built: no {} rows per table break the check in {}",
                                  kMostRowsPerTable, formatPeriod(period));
  return std::nullopt;
}

} // namespace

std::optional<CounterexampleRows> counterexampleRows(z3::context& ctx, const runtime::Plan& plan,
                                                     const runtime::CheckSpec& check,
                                                     const ProveOptions& options,
                                                     std::string& reason) {
  // The search has the check's time; its process is ended a little after, when the solver has
  // not stopped by itself.
  const auto deadline =
      std::chrono::steady_clock::now() + std::chrono::milliseconds(options.timeoutMs);
  const ChildAnswer answer = answerInChild(options.timeoutMs + kStopGraceMs, [&] {
    std::string why;
    const std::optional<CounterexampleRows> rows =
        searchRows(ctx, plan, check, options, deadline, why);
    return rowsAsText(rows, why);
  });
  switch (answer.status) {
  case ChildAnswer::Status::Answered:
    return rowsFromText(answer.text, reason);
  case ChildAnswer::Status::TimedOut:
    reason = fmt::format("no rows were found within {} ms", options.timeoutMs);
    return std::nullopt;
  case ChildAnswer::Status::Failed:
    break;
  }
  reason = "no rows were searched: " + answer.text;
  return std::nullopt;
}

} // namespace fulcrum::prove
