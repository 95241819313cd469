// The check phase as a script of passes: declare every name, resolve data declarations and
// groups, params, functions (recursion is an error), frameworks, then tests.
#include "compiler/check/Check.h"

#include "compiler/ast/Walk.h"
#include "compiler/check/CaseAnalysis.h"
#include "compiler/check/FrameworkChecker.h"
#include "compiler/check/Graph.h"
#include "compiler/check/UnitRules.h"
#include "compiler/source/Limits.h"
#include "support/Text.h"

#include <fmt/format.h>
#include <set>

namespace fulcrum {

using namespace fulcrum::ast;

namespace {

class Checker {
public:
  Checker(const std::vector<Module*>& modules, const SourceManager& sources, Symbols& symbols,
          DiagnosticSink& sink)
      : modules_(modules), sources_(sources), symbols_(symbols), sink_(sink),
        exprs_(symbols, sink) {}

  void run() {
    declareNames();
    declareCompany();
    declareGroups();
    for (auto& [name, data] : symbols_.data)
      checkData(*data);
    for (auto& [name, param] : symbols_.params)
      checkParam(*param);
    checkFunctions();
    checkFrameworks();
    for (TestDecl* test : symbols_.tests)
      checkTest(*test);
  }

private:
  void declareNames();
  void declareGroups();
  void declareCompany();
  void checkData(DataDecl& data);
  void checkFormat(FieldDecl& field);
  Type resolveType(const TypeRef& ref, bool allowEntity);
  void checkParam(ParamDecl& param);
  void checkFunctions();
  void checkFrameworks();
  void checkTest(TestDecl& test);
  void checkTestOutcomes(TestDecl& test, const FrameworkDecl& framework);

  const std::vector<Module*>& modules_;
  const SourceManager& sources_;
  Symbols& symbols_;
  DiagnosticSink& sink_;
  ExprChecker exprs_;
  std::vector<GroupDecl*> groups_;
};

void Checker::declareNames() {
  std::map<std::string, const Decl*> declared;
  std::map<std::string, const Decl*> testTitles;
  auto declare = [&](std::map<std::string, const Decl*>& table, const Decl& decl,
                     const char* what) {
    auto [it, inserted] = table.emplace(decl.name.name, &decl);
    if (!inserted) {
      const SourceRange& first = it->second->name.range;
      sink_.report(DiagKind::DuplicateDeclaration, decl.name.range,
                   fmt::format("{} `{}` is already declared", what, decl.name.name),
                   fmt::format("the first is at {}:{}:{}", sources_.file(first.file).path,
                               first.begin.line, first.begin.column));
    }
    return inserted;
  };
  for (Module* module : modules_) {
    if (module->standardOkr)
      for (DeclPtr& decl : module->decls)
        if (decl->is<FnDecl>() && decl->name.name == "grade")
          symbols_.okrGrade = &decl->as<FnDecl>();
    if (module->implicit)
      continue; // read for `grade` alone: its names are not the program's
    for (DeclPtr& decl : module->decls) {
      switch (decl->kind) {
      case DeclKind::Data:
        if (declare(declared, *decl, "name"))
          symbols_.data[decl->name.name] = &decl->as<DataDecl>();
        break;
      case DeclKind::Param:
        if (declare(declared, *decl, "name"))
          symbols_.params[decl->name.name] = &decl->as<ParamDecl>();
        break;
      case DeclKind::Fn:
        if (declare(declared, *decl, "name"))
          symbols_.fns[decl->name.name] = &decl->as<FnDecl>();
        break;
      case DeclKind::Group:
        if (declare(declared, *decl, "name")) {
          symbols_.groups[decl->name.name] = &decl->as<GroupDecl>();
          groups_.push_back(&decl->as<GroupDecl>());
        }
        break;
      case DeclKind::Framework:
        if (declare(declared, *decl, "name"))
          symbols_.frameworks[decl->name.name] = &decl->as<FrameworkDecl>();
        break;
      case DeclKind::Test:
        if (declare(testTitles, *decl, "test"))
          symbols_.tests.push_back(&decl->as<TestDecl>());
        break;
      case DeclKind::Import:
        break;
      case DeclKind::Currency:
        if (const auto& currency = decl->as<CurrencyDecl>(); currency.currency == nullptr) {
          std::string codes;
          for (const Currency& c : currencies())
            codes += fmt::format("{}{} ({})", codes.empty() ? "" : ", ", c.code, c.sign);
          sink_.report(DiagKind::InvalidCurrency, currency.code.range,
                       fmt::format("`{}` is not a currency Fulcrum knows", currency.code.name),
                       fmt::format("the currencies are {}", codes));
        }
        if (symbols_.currencyDecl == nullptr) {
          symbols_.currencyDecl = &decl->as<CurrencyDecl>();
        } else {
          const SourceRange& first = symbols_.currencyDecl->range;
          sink_.report(DiagKind::InvalidCurrency, decl->range,
                       "a program has one currency, and this is a second one",
                       fmt::format("the first is at {}:{}:{}; amounts of two currencies in one "
                                   "program are out of scope (docs/data-formats.md)",
                                   sources_.file(first.file).path, first.begin.line,
                                   first.begin.column));
        }
        break;
      case DeclKind::Calendar:
        if (symbols_.calendar == nullptr) {
          symbols_.calendar = &decl->as<CalendarDecl>();
        } else {
          const SourceRange& first = symbols_.calendar->range;
          sink_.report(DiagKind::InvalidCalendar, decl->range,
                       "a program has one calendar, and this is a second one",
                       fmt::format("the first is at {}:{}:{}; keep one of them",
                                   sources_.file(first.file).path, first.begin.line,
                                   first.begin.column));
        }
        break;
      }
    }
  }
}

// `subject company`: unless the program declares its own `company`, there is one, with one row
// that every row of every table belongs to.
void Checker::declareCompany() {
  if (symbols_.data.count("company") || symbols_.params.count("company") ||
      symbols_.fns.count("company") || symbols_.groups.count("company") ||
      symbols_.frameworks.count("company"))
    return;
  auto company = std::make_unique<DataDecl>();
  company->name = Ident{"company", {}};
  company->isEntity = true;
  company->isCompany = true;
  FieldDecl key;
  key.name = Ident{"name", {}};
  key.isKey = true;
  key.column = "name";
  key.type = Type::of(TypeKind::Text);
  key.typeRef = TypeRef{Ident{"text", {}}, false, {}};
  company->fields.push_back(std::move(key));
  symbols_.data["company"] = company.get();
  symbols_.implicitEntities.push_back(std::move(company));
}

// `group team of rep by manager` declares an entity `team` keyed by the managers' names;
// `group company of rep` (no `by`) one subject, like `company`, that holds every row.
void Checker::declareGroups() {
  for (GroupDecl* group : groups_) {
    auto entity = std::make_unique<DataDecl>();
    entity->range = group->range;
    entity->name = group->name;
    entity->isEntity = true;
    if (group->by.name.empty()) {
      const DataDecl* member = symbols_.findData(group->member.name);
      if (!member || !member->isEntity)
        sink_.report(member ? DiagKind::InvalidReference : DiagKind::UnknownName,
                     group->member.range,
                     member ? fmt::format("`{}` is a table; a group gathers an entity's rows",
                                          group->member.name)
                            : fmt::format("unknown entity `{}`", group->member.name));
      entity->isCompany = true;
      FieldDecl key;
      key.name = Ident{"name", group->name.range};
      key.isKey = true;
      key.column = "name";
      key.type = Type::of(TypeKind::Text);
      key.typeRef = TypeRef{Ident{"text", group->name.range}, false, group->name.range};
      entity->fields.push_back(std::move(key));
      symbols_.data[group->name.name] = entity.get();
      group->entity = std::move(entity);
      continue;
    }
    entity->group = group;
    FieldDecl key;
    key.name = group->by;
    key.isKey = true;
    key.column = group->by.name;
    key.range = group->by.range;
    key.type = Type::of(TypeKind::Text);
    key.typeRef = TypeRef{Ident{"text", group->by.range}, false, group->by.range};
    const DataDecl* member = symbols_.findData(group->member.name);
    if (!member || !member->isEntity) {
      std::vector<std::string> names;
      for (const auto& [name, data] : symbols_.data)
        if (data->isEntity)
          names.push_back(name);
      sink_.report(member ? DiagKind::InvalidReference : DiagKind::UnknownName, group->member.range,
                   member ? fmt::format("`{}` is a table; a group gathers an entity's rows",
                                        group->member.name)
                          : fmt::format("unknown entity `{}`", group->member.name),
                   member ? NameSuggestion{} : suggestName(group->member.name, names));
    } else if (const int index = member->fieldIndex(group->by.name); index < 0) {
      std::vector<std::string> names;
      for (const FieldDecl& field : member->fields)
        names.push_back(field.name.name);
      sink_.report(DiagKind::UnknownField, group->by.range,
                   fmt::format("entity `{}` has no field `{}`", member->name.name, group->by.name),
                   suggestName(group->by.name, names));
    } else {
      key.typeRef = member->fields[index].typeRef;
    }
    entity->fields.push_back(std::move(key));
    symbols_.data[group->name.name] = entity.get();
    group->entity = std::move(entity);
  }
}

Type Checker::resolveType(const TypeRef& ref, bool allowEntity) {
  const TypeKind builtin = builtinTypeKind(ref.name.name);
  if (builtin != TypeKind::Error)
    return Type::of(builtin, ref.optional);
  if (const DataDecl* data = symbols_.findData(ref.name.name)) {
    if (!allowEntity) {
      sink_.report(DiagKind::TypeMismatch, ref.name.range,
                   fmt::format("a reference to `{}` is not allowed here", ref.name.name),
                   "use a value type: number, count, money, percent, bool, text, date, period");
      return Type::error();
    }
    if (!data->isEntity) {
      sink_.report(DiagKind::InvalidReference, ref.name.range,
                   fmt::format("`{}` is a table; a reference must name an entity", ref.name.name),
                   "declare what it points at with `entity`");
      return Type::error();
    }
    Type type = Type::of(TypeKind::Entity, ref.optional);
    type.data = data;
    return type;
  }
  std::vector<std::string> names = {"number", "count", "money",  "percent", "bool",
                                    "text",   "date",  "period", "duration"};
  for (const auto& [name, data] : symbols_.data)
    if (data->isEntity)
      names.push_back(name);
  sink_.report(DiagKind::UnknownType, ref.name.range,
               fmt::format("unknown type `{}`", ref.name.name), suggestName(ref.name.name, names));
  return Type::error();
}

// `in lo..hi` on a field or param: only numbers, counts, money and percentages have one; a money
// bound only on money; low at most high.
static void checkValueRange(const ValueRange& range, const Type& type, const std::string& what,
                            DiagnosticSink& sink) {
  if (type.isError())
    return;
  const bool numeric = type.kind == TypeKind::Number || type.kind == TypeKind::Count ||
                       type.kind == TypeKind::Money || type.kind == TypeKind::Percent;
  if (!numeric) {
    sink.report(DiagKind::TypeMismatch, range.range,
                fmt::format("{} is `{}`, which has no range", what, typeName(type)),
                "ranges are for numbers, counts, money and percentages: `in 1..5`");
    return;
  }
  for (const auto kind : {range.lowKind, range.highKind})
    if (kind == ValueRange::BoundKind::Money && type.kind != TypeKind::Money) {
      sink.report(DiagKind::UnitMismatch, range.range,
                  fmt::format("{} is `{}`, but its range is in money", what, typeName(type)),
                  "write the bounds as plain numbers: `in 0..100`");
      return;
    }
  if (range.low && range.high && *range.low > *range.high)
    sink.report(
        DiagKind::InvalidLiteral, range.range,
        fmt::format("the range of {} is empty: {:g} is above {:g}", what, *range.low, *range.high),
        "write the lower bound first: `in 1..5`");
}

// `format "..."` (`in zone "..."`): compiled once here; a format that does not compile is an
// InvalidFormat error at the offending characters (docs/data-formats.md).
void Checker::checkFormat(FieldDecl& field) {
  FieldFormat& format = *field.format;
  const std::string& typeName = field.typeRef.name.name; // `rep` for a reference: no format
  CellFormatError error;
  format.compiled = compileCellFormat(
      format.pattern, typeName, format.zone ? &*format.zone : nullptr, symbols_.currency(), error);
  if (format.compiled)
    return;
  SourceRange at = error.inZone ? format.zoneRange : format.patternRange;
  // Inside the string (past its quote), when the format has no escapes to shift the columns.
  const SourceRange& whole = error.inZone ? format.zoneRange : format.patternRange;
  const std::string& written = error.inZone ? *format.zone : format.pattern;
  if (whole.begin.line == whole.end.line &&
      static_cast<size_t>(whole.end.column - whole.begin.column) == written.size() + 2 &&
      error.length > 0 && error.length < written.size()) {
    at.begin.column = whole.begin.column + 1 + static_cast<uint32_t>(error.offset);
    at.end.column = at.begin.column + static_cast<uint32_t>(error.length);
  }
  sink_.report(error.foreignCurrency ? DiagKind::InvalidCurrency : DiagKind::InvalidFormat, at,
               fmt::format("format of field `{}`: {}", field.name.name, error.message), error.hint);
}

void Checker::checkData(DataDecl& data) {
  if (data.group || data.isCompany)
    return; // made by declareGroups and declareCompany
  std::map<std::string, const FieldDecl*> seen;
  std::vector<const FieldDecl*> keys;
  for (FieldDecl& field : data.fields) {
    if (auto [it, inserted] = seen.emplace(field.name.name, &field); !inserted)
      sink_.report(
          DiagKind::DuplicateDeclaration, field.name.range,
          fmt::format("field `{}` is already declared in `{}`", field.name.name, data.name.name),
          fmt::format("the first is on line {}", it->second->range.begin.line));
    field.type = resolveType(field.typeRef, true);
    if (field.valueRange)
      checkValueRange(*field.valueRange, field.type, fmt::format("field `{}`", field.name.name),
                      sink_);
    if (field.format)
      checkFormat(field);
    if (field.isKey)
      keys.push_back(&field);
  }
  if (data.isEntity && keys.empty())
    sink_.report(DiagKind::MissingKey, data.name.range,
                 fmt::format("entity `{}` has no key field", data.name.name),
                 "mark the field that names each row: `key name: text`");
  if (keys.size() > 1)
    sink_.report(DiagKind::MissingKey, keys[1]->range,
                 fmt::format("`{}` has more than one key field", data.name.name),
                 fmt::format("the key is `{}`; one field identifies a row", keys[0]->name.name));
  for (const FieldDecl* key : keys)
    if (key->typeRef.optional)
      sink_.report(DiagKind::MissingKey, key->typeRef.range,
                   fmt::format("key `{}` cannot be optional", key->name.name),
                   "every row needs a key; remove the `?`");
}

void Checker::checkParam(ParamDecl& param) {
  param.type = resolveType(param.typeRef, false);
  if (param.valueRange)
    checkValueRange(*param.valueRange, param.type, fmt::format("param `{}`", param.name.name),
                    sink_);
  if (!param.defaultValue)
    return;
  if (const std::optional<double> value = numericLiteral(*param.defaultValue);
      value && param.valueRange &&
      ((param.valueRange->low && *value < *param.valueRange->low) ||
       (param.valueRange->high && *value > *param.valueRange->high)))
    sink_.report(DiagKind::TypeMismatch, param.defaultValue->range,
                 fmt::format("the default of param `{}` is outside its range", param.name.name),
                 "change the default, or the range");
  const Type value = exprs_.check(*param.defaultValue, ExprContext{});
  // `param lookback: duration = 2 months` holds months: overrides are months, quarters or years.
  if (param.type.kind == TypeKind::Duration && value.kind == TypeKind::MonthDuration)
    param.type.kind = TypeKind::MonthDuration;
  if (!assignable(value.kind, param.type.kind)) {
    const bool units = value.isNumeric() && param.type.isNumeric();
    sink_.report(units ? DiagKind::UnitMismatch : DiagKind::TypeMismatch, param.defaultValue->range,
                 fmt::format("param `{}` is `{}`, but its default is `{}`", param.name.name,
                             typeName(param.type), typeName(value)));
  }
}

void Checker::checkFunctions() {
  std::vector<FnDecl*> fns;
  std::map<std::string, int> index;
  // The stdlib's `grade`, when not imported, is checked under a name no program can call.
  std::map<std::string, FnDecl*> byName = symbols_.fns;
  if (auto it = symbols_.fns.find("grade");
      symbols_.okrGrade && (it == symbols_.fns.end() || it->second != symbols_.okrGrade))
    byName[" grade"] = symbols_.okrGrade;
  for (auto& [name, fn] : byName) {
    index[name] = static_cast<int>(fns.size());
    fns.push_back(fn);
    for (FnParam& param : fn->params)
      param.type = resolveType(param.typeRef, true);
    fn->resultType = resolveType(fn->result, true);
  }
  // Calls between functions, found syntactically; any cycle is recursion.
  std::vector<std::vector<int>> calls(fns.size());
  for (size_t i = 0; i < fns.size(); ++i)
    walkPreorder(*fns[i]->body, [&](const Expr& e) {
      if (e.is<CallExpr>())
        if (auto it = index.find(e.as<CallExpr>().callee.name); it != index.end())
          calls[i].push_back(it->second);
    });
  const DependencyOrder order = orderDependencies(calls);
  for (const std::vector<int>& cycle : order.cycles) {
    std::string path;
    for (size_t k = 0; k < cycle.size(); ++k)
      path += (k ? " -> " : "") + fns[cycle[k]]->name.name;
    const FnDecl& first = *fns[cycle.front()];
    sink_.report(DiagKind::RecursiveFunction, first.name.range,
                 fmt::format("function `{}` calls itself: {}", first.name.name, path),
                 "functions cannot recurse, so that every program terminates");
  }
  // Calls are inlined when planned: a long chain of functions calling functions would make one
  // expression as deep as all their bodies together.
  std::vector<size_t> chain(fns.size(), 1); // functions on the longest call path from each
  std::vector<bool> tooDeep(fns.size(), false);
  for (int i : order.order) {
    for (int callee : calls[i]) {
      chain[i] = std::max(chain[i], chain[callee] + 1);
      tooDeep[i] = tooDeep[i] || tooDeep[callee];
    }
    if (chain[i] > kMaxCallDepth && !tooDeep[i]) {
      tooDeep[i] = true; // reported once, where the chain first gets too long
      sink_.report(DiagKind::NestingTooDeep, fns[i]->name.range,
                   fmt::format("function `{}` starts a chain of {} functions calling each "
                               "other; the limit is {}",
                               fns[i]->name.name, chain[i], kMaxCallDepth),
                   "call fewer functions in turn: compute a part as a metric");
    }
  }
  std::vector<bool> checked(fns.size(), false);
  auto checkBody = [&](FnDecl& fn) {
    ExprContext ctx;
    ctx.fn = &fn;
    const Type body = exprs_.check(*fn.body, ctx);
    if (!assignable(body.kind, fn.resultType.kind)) {
      const bool units = body.isNumeric() && fn.resultType.isNumeric();
      sink_.report(units ? DiagKind::UnitMismatch : DiagKind::TypeMismatch, fn.body->range,
                   fmt::format("function `{}` returns `{}`, but its body gives `{}`", fn.name.name,
                               typeName(fn.resultType), typeName(body)));
    }
    fn.resultType = fn.resultType.asOptional(fn.resultType.optional || body.optional);
    walkPreorder(*fn.body, [&](const Expr& e) {
      if (e.is<CaseExpr>()) {
        checkCaseReachability(e.as<CaseExpr>(), sink_);
        checkCaseGaps(e.as<CaseExpr>(), sink_);
      }
    });
  };
  for (int i : order.order) {
    checkBody(*fns[i]);
    checked[i] = true;
  }
  for (size_t i = 0; i < fns.size(); ++i)
    if (!checked[i])
      checkBody(*fns[i]);
}

// The frameworks a framework reads (`team_okrs.revenue.score`), found syntactically: a name of
// another framework that no member of its own hides.
static std::vector<std::string> frameworksRead(const FrameworkDecl& framework,
                                               const Symbols& symbols) {
  std::set<std::string> own;
  for (const MemberPtr& member : framework.members) {
    own.insert(member->name.name);
    if (member->is<ObjectiveMember>())
      for (const KeyResult& kr : member->as<ObjectiveMember>().keyResults)
        own.insert(kr.name.name);
  }
  std::set<std::string> read;
  for (const MemberPtr& member : framework.members)
    for (const Expr* expr : memberExpressions(*member))
      walkPreorder(*expr, [&](const Expr& e) {
        if (e.is<NameRef>() && e.as<NameRef>().name != framework.name.name &&
            symbols.frameworks.count(e.as<NameRef>().name) && !own.count(e.as<NameRef>().name))
          read.insert(e.as<NameRef>().name);
      });
  return {read.begin(), read.end()};
}

// Frameworks are checked after those they read, whose outputs they see as tables; a cycle of
// frameworks reading each other is an error with its path.
void Checker::checkFrameworks() {
  std::vector<FrameworkDecl*> frameworks;
  std::map<std::string, int> index;
  for (auto& [name, framework] : symbols_.frameworks) {
    index[name] = static_cast<int>(frameworks.size());
    frameworks.push_back(framework);
  }
  std::vector<std::vector<int>> reads(frameworks.size());
  for (size_t i = 0; i < frameworks.size(); ++i)
    for (const std::string& name : frameworksRead(*frameworks[i], symbols_))
      reads[i].push_back(index.at(name));
  const DependencyOrder order = orderDependencies(reads);
  for (const std::vector<int>& cycle : order.cycles) {
    std::string path;
    for (size_t k = 0; k < cycle.size(); ++k)
      path += (k ? " -> " : "") + frameworks[cycle[k]]->name.name;
    const FrameworkDecl& first = *frameworks[cycle.front()];
    sink_.report(DiagKind::FrameworkCycle, first.name.range,
                 fmt::format("framework `{}` reads itself: {}", first.name.name, path),
                 "one of them must be computed without the others' outputs");
  }
  std::vector<bool> checked(frameworks.size(), false);
  for (int i : order.order) {
    checkFramework(*frameworks[i], symbols_, sink_);
    checked[i] = true;
  }
  // Frameworks in or behind a cycle are still checked, so their other errors are not lost.
  for (size_t i = 0; i < frameworks.size(); ++i)
    if (!checked[i])
      checkFramework(*frameworks[i], symbols_, sink_);
}

// For a value written in quotes where a date, period or number is expected.
static std::string unquotedExample(TypeKind kind, const Currency& currency) {
  switch (kind) {
  case TypeKind::Date:
    return "write a date without quotes: `2017-05-02`";
  case TypeKind::Period:
    return "write a period without quotes: `2017-Q2`";
  case TypeKind::Money:
    return fmt::format("write an amount without quotes: `{}600k`", currency.sign);
  case TypeKind::Number:
  case TypeKind::Count:
  case TypeKind::Percent:
    return "write a number without quotes: `10`";
  default:
    return "";
  }
}

void Checker::checkTest(TestDecl& test) {
  auto it = symbols_.frameworks.find(test.framework.name);
  if (it == symbols_.frameworks.end()) {
    std::vector<std::string> names;
    for (const auto& [name, fw] : symbols_.frameworks)
      names.push_back(name);
    sink_.report(DiagKind::UnknownFramework, test.framework.range,
                 fmt::format("test \"{}\" is for `{}`, which is not a framework", test.title,
                             test.framework.name),
                 suggestName(test.framework.name, names));
    return;
  }
  const FrameworkDecl& framework = *it->second;
  const ExprContext constant{};
  if (test.period) {
    const Type type = exprs_.check(*test.period, constant);
    if (!type.isError() && type.kind != TypeKind::Period)
      sink_.report(
          DiagKind::TypeMismatch, test.period->range,
          fmt::format("a test's period is a period like `2017-Q2`, not `{}`", typeName(type)));
    else if (test.period->is<PeriodLitExpr>() && framework.cadence &&
             test.period->as<PeriodLitExpr>().period.unit != *framework.cadence)
      sink_.report(DiagKind::TypeMismatch, test.period->range,
                   fmt::format("`{}` is a {}, but framework `{}` runs every {}",
                               formatPeriod(test.period->as<PeriodLitExpr>().period),
                               periodUnitName(test.period->as<PeriodLitExpr>().period.unit),
                               framework.name.name, periodUnitName(*framework.cadence)));
  }
  if (test.asOf) {
    const Type type = exprs_.check(*test.asOf, constant);
    if (!type.isError() && type.kind != TypeKind::Date)
      sink_.report(DiagKind::TypeMismatch, test.asOf->range,
                   fmt::format("`as_of` is a date, not `{}`", typeName(type)));
  }
  for (TestParam& param : test.params) {
    auto p = symbols_.params.find(param.name.name);
    const Type value = exprs_.check(*param.value, constant);
    if (p == symbols_.params.end()) {
      std::vector<std::string> names;
      for (const auto& [name, decl] : symbols_.params)
        names.push_back(name);
      sink_.report(DiagKind::UnknownName, param.name.range,
                   fmt::format("unknown param `{}`", param.name.name),
                   suggestName(param.name.name, names));
    } else if (!assignable(value.kind, p->second->type.kind)) {
      sink_.report(DiagKind::TypeMismatch, param.value->range,
                   fmt::format("param `{}` is `{}`, not `{}`", param.name.name,
                               typeName(p->second->type), typeName(value)),
                   value.kind == TypeKind::Text
                       ? unquotedExample(p->second->type.kind, symbols_.currency())
                       : "");
    }
  }
  for (TestRow& row : test.rows) {
    const DataDecl* data = symbols_.findData(row.table.name);
    if (!data || data->group) {
      std::vector<std::string> names;
      for (const auto& [name, decl] : symbols_.data)
        names.push_back(name);
      sink_.report(DiagKind::UnknownName, row.table.range,
                   fmt::format("unknown table or entity `{}`", row.table.name),
                   suggestName(row.table.name, names));
      continue;
    }
    for (FieldInit& init : row.fields) {
      const Type value = exprs_.check(*init.value, constant);
      const int index = data->fieldIndex(init.field.name);
      if (index < 0) {
        std::vector<std::string> names;
        for (const FieldDecl& field : data->fields)
          names.push_back(field.name.name);
        sink_.report(DiagKind::UnknownField, init.field.range,
                     fmt::format("`{}` has no field `{}`", data->name.name, init.field.name),
                     suggestName(init.field.name, names));
        continue;
      }
      const Type field = data->fields[index].type;
      const bool referenceByKey = field.kind == TypeKind::Entity && value.kind == TypeKind::Text;
      if (!referenceByKey && !assignable(value.kind, field.kind))
        sink_.report(DiagKind::TypeMismatch, init.value->range,
                     fmt::format("field `{}` is `{}`, not `{}`", init.field.name, typeName(field),
                                 typeName(value)),
                     value.kind == TypeKind::Text ? unquotedExample(field.kind, symbols_.currency())
                                                  : "");
    }
  }
  // Expected values name the framework's output columns, as lowering names them
  // (compiler/lower/Members.cpp): a score's components and an objective's parts are dotted.
  std::vector<std::string> outputs;
  for (const MemberPtr& member : framework.members) {
    if (member->is<MetricMember>() || member->is<ScoreMember>() || member->is<BandMember>() ||
        member->is<RankMember>())
      outputs.push_back(member->name.name);
    if (member->is<ScoreMember>())
      for (const ScoreComponent& component : member->as<ScoreMember>().components)
        outputs.push_back(member->name.name + "." + component.name.name);
    if (member->is<ObjectiveMember>()) {
      for (const KeyResult& kr : member->as<ObjectiveMember>().keyResults)
        for (const char* part : {".actual", ".target", ".progress"})
          outputs.push_back(kr.name.name + part);
      for (const char* part : {".score", ".grade"})
        outputs.push_back(member->name.name + part);
    }
  }
  for (TestExpect& expect : test.expects) {
    exprs_.check(*expect.subjectKey, constant);
    for (ExpectedValue& init : expect.values) {
      exprs_.check(*init.value, constant);
      if (init.tolerance)
        exprs_.check(*init.tolerance, constant);
      if (std::find(outputs.begin(), outputs.end(), init.field.name) != outputs.end())
        continue;
      NameSuggestion suggestion = suggestName(init.field.name, outputs);
      // A key result or objective is no column; its parts are.
      std::string parts;
      for (const std::string& output : outputs)
        if (output.starts_with(init.field.name + "."))
          parts += fmt::format("{}`{}`", parts.empty() ? "" : ", ", output);
      if (suggestion.hint.empty() && !parts.empty())
        suggestion.hint = "its columns are " + parts;
      sink_.report(
          DiagKind::UnknownField, init.field.range,
          fmt::format("framework `{}` has no output `{}`", framework.name.name, init.field.name),
          std::move(suggestion));
    }
  }
  checkTestOutcomes(test, framework);
  for (const TestFixture& fixture : test.fixtures) {
    const DataDecl* data = symbols_.findData(fixture.table.name);
    if (!data || data->group) {
      std::vector<std::string> names;
      for (const auto& [name, decl] : symbols_.data)
        names.push_back(name);
      sink_.report(DiagKind::UnknownName, fixture.table.range,
                   fmt::format("unknown table or entity `{}`", fixture.table.name),
                   suggestName(fixture.table.name, names));
    }
  }
}

// `expect violation "CHECK"` names one of the framework's checks, `expect alert NAME` one of its
// alerts.
void Checker::checkTestOutcomes(TestDecl& test, const FrameworkDecl& framework) {
  const ExprContext constant{};
  for (TestOutcome& outcome : test.outcomes) {
    if (outcome.subjectKey)
      exprs_.check(*outcome.subjectKey, constant);
    if (outcome.dated) {
      const Type type = exprs_.check(*outcome.dated, constant);
      if (!type.isError() && type.kind != TypeKind::Date)
        sink_.report(DiagKind::TypeMismatch, outcome.dated->range,
                     fmt::format("`dated` takes a date, not `{}`", typeName(type)));
    }
    if (outcome.kind == OutcomeKind::NoViolation)
      continue;
    const bool violation = outcome.kind == OutcomeKind::Violation;
    std::vector<std::string> names;
    for (const MemberPtr& member : framework.members)
      if (violation ? member->is<CheckMember>() : member->is<AlertMember>())
        names.push_back(member->name.name);
    if (std::find(names.begin(), names.end(), outcome.name.name) == names.end())
      sink_.report(DiagKind::UnknownName, outcome.name.range,
                   fmt::format("framework `{}` has no {} {}{}{}", framework.name.name,
                               violation ? "check" : "alert", violation ? "\"" : "`",
                               outcome.name.name, violation ? "\"" : "`"),
                   didYouMean(outcome.name.name, names));
  }
}

} // namespace

void checkModules(const std::vector<Module*>& modules, const SourceManager& sources,
                  Symbols& symbols, DiagnosticSink& sink) {
  Checker(modules, sources, symbols, sink).run();
}

} // namespace fulcrum
