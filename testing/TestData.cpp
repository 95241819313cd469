// A test's rows as CSV files for the ordinary loader. Writing files rather than binding columns in
// memory keeps one path from cell text to typed column: a test's `closed: 2017-05-02` or
// `value: $1.2M` is loaded exactly as a data file's cell (the same parsing, ranges, references and
// duplicate keys), and the loader needs no second entry point. Each value is written as the text
// a data cell holds (money as its exact decimal, a percent as its fraction, dates ISO).
#include "testing/TestData.h"

#include "compiler/diag/Diagnostic.h"
#include "runtime/output/ResultFormat.h"
#include "support/AtomicFile.h"
#include "support/Calendar.h"
#include "support/Money.h"
#include "support/Text.h"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fmt/format.h>
#include <map>
#include <set>

namespace fulcrum::testing {

namespace fs = std::filesystem;

TestDataFolder::~TestDataFolder() {
  if (!path_.empty()) {
    std::error_code ignored;
    fs::remove_all(path_, ignored);
  }
}

bool TestDataFolder::create(std::string& error) {
  std::error_code ec;
  fs::path base = fs::temp_directory_path(ec);
  if (ec)
    base = "/tmp";
  std::string pattern = (base / "fulcrum-test-XXXXXX").string();
  if (!mkdtemp(pattern.data())) {
    error = fmt::format("cannot make a folder for a test's rows under `{}`", base.string());
    return false;
  }
  path_ = pattern;
  return true;
}

std::string locationOf(const SourceRange& range, const SourceManager& sources) {
  return fmt::format("{}:{}:{}", sources.file(range.file).path, range.begin.line,
                     range.begin.column);
}

namespace {

// A number without an exponent, exactly as the double holds it when it has few digits.
std::string plainNumber(double value) {
  std::string text = fmt::format("{}", value);
  if (text.find_first_of("eE") != std::string::npos)
    text = fmt::format("{:.20f}", value);
  return text;
}

// The text a data cell holds for a literal; nullopt when `expr` is no literal.
std::optional<std::string> cellText(const ast::Expr& expr) {
  using namespace ast;
  if (expr.is<UnaryExpr>() && expr.as<UnaryExpr>().op == UnaryOp::Negate) {
    auto inner = cellText(*expr.as<UnaryExpr>().operand);
    if (!inner || inner->empty() || (*inner)[0] == '-')
      return std::nullopt;
    return "-" + *inner;
  }
  switch (expr.kind) {
  case ExprKind::Number:
    return plainNumber(expr.as<NumberLit>().value);
  case ExprKind::Percent:
    return plainNumber(expr.as<PercentLit>().fraction);
  case ExprKind::Money:
    return plainMoney(expr.as<MoneyLit>().units);
  case ExprKind::Date:
    return formatDate(expr.as<DateLit>().day);
  case ExprKind::PeriodLit:
    return formatPeriod(expr.as<PeriodLitExpr>().period);
  case ExprKind::Duration: {
    const auto& d = expr.as<DurationLit>();
    return fmt::format("{} {}s", d.count, periodUnitName(d.unit));
  }
  case ExprKind::String:
    if (expr.as<StringLit>().hasHoles())
      return std::nullopt;
    return expr.as<StringLit>().plainText();
  case ExprKind::Bool:
    return expr.as<BoolLit>().value ? "true" : "false";
  case ExprKind::Missing:
    return "";
  default:
    return std::nullopt;
  }
}

// A CSV field, always quoted, so that spaces, commas and quotes in text survive as written.
std::string csvQuoted(const std::string& text) {
  std::string out = "\"";
  for (char c : text) {
    out += c;
    if (c == '"')
      out += '"';
  }
  return out + "\"";
}

std::string error(const SourceRange& range, const SourceManager& sources, const ast::TestDecl& test,
                  const std::string& message) {
  return fmt::format("{}: error: test \"{}\": {}", locationOf(range, sources), test.title, message);
}

std::string folderOf(const std::string& path) {
  const fs::path parent = fs::path(path).parent_path();
  return parent.empty() ? std::string(".") : parent.string();
}

// The keys the test's inline rows give an entity (its key field's cells).
std::set<std::string> inlineKeys(const ast::TestDecl& test, const ast::DataDecl& entity) {
  std::set<std::string> keys;
  const int key = entity.keyField();
  if (key < 0)
    return keys;
  for (const ast::TestRow& row : test.rows)
    if (row.table.name == entity.name.name)
      for (const ast::FieldInit& init : row.fields)
        if (init.field.name == entity.fields[key].name.name)
          if (auto text = cellText(*init.value))
            keys.insert(*text);
  return keys;
}

// Every reference of an inline row names a key of the referenced entity's inline rows (an entity
// read from a fixture is checked by the loader).
void checkReferences(const ast::TestDecl& test, const Compilation& compilation,
                     std::vector<std::string>& errors) {
  std::set<std::string> fromFixtures;
  for (const ast::TestFixture& fixture : test.fixtures)
    fromFixtures.insert(fixture.table.name);
  for (const ast::TestRow& row : test.rows) {
    const ast::DataDecl* data = compilation.symbols.findData(row.table.name);
    if (!data)
      continue;
    for (const ast::FieldInit& init : row.fields) {
      const int index = data->fieldIndex(init.field.name);
      if (index < 0)
        continue;
      const ast::Type& type = data->fields[index].type;
      if (type.kind != ast::TypeKind::Entity || !type.data || type.data->group ||
          type.data->isCompany || fromFixtures.count(type.data->name.name))
        continue;
      const auto text = cellText(*init.value);
      if (!text || text->empty())
        continue;
      const std::set<std::string> keys = inlineKeys(test, *type.data);
      if (keys.count(*text))
        continue;
      std::string message =
          fmt::format("{}.{} is \"{}\", but no {} row of this test has that key", row.table.name,
                      init.field.name, *text, type.data->name.name);
      const std::string suggestion =
          closestMatch(*text, std::vector<std::string>(keys.begin(), keys.end()));
      if (!suggestion.empty())
        message += fmt::format(" (did you mean \"{}\"?)", suggestion);
      else if (keys.empty())
        message += fmt::format(" (give one: `{} {{ ... }}`)", type.data->name.name);
      errors.push_back(error(init.value->range, compilation.sources, test, message));
    }
  }
}

} // namespace

TestInputs prepareTestInputs(const ast::TestDecl& test, const runtime::Plan& plan,
                             const Compilation& compilation, const TestDataFolder& folder) {
  TestInputs inputs;
  inputs.folder = folder.path();
  const SourceManager& sources = compilation.sources;
  runtime::RunRequest& request = inputs.request;
  request.alerts = true;
  request.threads = 1;
  if (test.period && test.period->is<ast::PeriodLitExpr>())
    request.period = formatPeriod(test.period->as<ast::PeriodLitExpr>().period);
  if (test.asOf && test.asOf->is<ast::DateLit>())
    request.asOf = formatDate(test.asOf->as<ast::DateLit>().day);
  if (!test.period && !test.asOf)
    inputs.errors.push_back(
        error(test.range, sources, test,
              "a test runs for `period P` or `as of D` (or both); it has neither"));
  for (const ast::TestParam& param : test.params) {
    if (auto text = cellText(*param.value))
      request.params[param.name.name] = *text;
    else
      inputs.errors.push_back(error(param.value->range, sources, test,
                                    "a test's param is a literal value, like `1200000`"));
  }
  checkReferences(test, compilation, inputs.errors);

  const std::string testFolder = folderOf(sources.file(test.range.file).path);
  std::map<std::string, const ast::TestFixture*> fixtures;
  for (const ast::TestFixture& fixture : test.fixtures) {
    if (!fixtures.emplace(fixture.table.name, &fixture).second)
      inputs.errors.push_back(error(fixture.range, sources, test,
                                    fmt::format("a second fixture for `{}`", fixture.table.name)));
    for (const ast::TestRow& row : test.rows)
      if (row.table.name == fixture.table.name)
        inputs.errors.push_back(
            error(row.range, sources, test,
                  fmt::format("rows of `{}` come from \"{}\" or inline, not both", row.table.name,
                              fixture.path)));
  }

  for (const auto* list : {&plan.tables, &plan.referencedEntities})
    for (const runtime::PlanTable& table : *list) {
      if (table.isGroup || table.isCompany)
        continue;
      if (auto fixture = fixtures.find(table.name); fixture != fixtures.end()) {
        const fs::path path(fixture->second->path);
        request.dataPaths[table.name] =
            path.is_absolute() ? path.string() : (fs::path(testFolder) / path).string();
        continue;
      }
      const std::string file = fmt::format("{}/{}.csv", folder.path(), table.name);
      std::string csv;
      for (size_t f = 0; f < table.fields.size(); ++f)
        csv += (f ? "," : "") + csvQuoted(table.fields[f].column);
      csv += "\n";
      uint32_t line = 2;
      for (const ast::TestRow& row : test.rows) {
        if (row.table.name != table.name)
          continue;
        std::string record;
        for (size_t f = 0; f < table.fields.size(); ++f) {
          std::string cell;
          for (const ast::FieldInit& init : row.fields)
            if (init.field.name == table.fields[f].name) {
              if (auto text = cellText(*init.value))
                cell = *text;
              else
                inputs.errors.push_back(
                    error(init.value->range, sources, test,
                          "a test row's value is a literal, like `\"Ann\"`, `2017-05-02` or "
                          "`$1,200`"));
            }
          record += (f ? "," : "") + csvQuoted(cell);
        }
        const uint32_t lines =
            1 + static_cast<uint32_t>(std::count(record.begin(), record.end(), '\n'));
        inputs.written.push_back(WrittenRow{file, line, line + lines - 1, row.range});
        line += lines;
        csv += record + "\n";
      }
      std::string writeError;
      if (!writeFileAtomically(file, csv, AtomicFile::Access::Output, writeError))
        inputs.errors.push_back(
            fmt::format("fulcrum test: cannot write `{}`: {}", file, writeError));
      request.dataPaths[table.name] = file;
      request.plainFormData.insert(table.name); // written plainly, whatever the table's formats
    }
  return inputs;
}

std::string testRowError(const std::string& message, const std::string& title,
                         const TestInputs& inputs, const SourceManager& sources, bool& inRows) {
  inRows = false;
  for (const WrittenRow& row : inputs.written) {
    const std::string prefix = row.file + ":";
    if (message.rfind(prefix, 0) != 0)
      continue;
    const uint32_t line = static_cast<uint32_t>(std::atoi(message.c_str() + prefix.size()));
    if (line < row.firstLine || line > row.lastLine)
      continue;
    inRows = true;
    // `PATH:LINE:COL: error: MESSAGE` -> `FILE:LINE:COL: error: test "TITLE": MESSAGE`.
    const std::string error = ": error: ";
    const size_t rest = message.find(error, prefix.size());
    return fmt::format("{}: error: test \"{}\": {}", locationOf(row.row, sources), title,
                       rest == std::string::npos ? message : message.substr(rest + error.size()));
  }
  // A message about a whole written file, or naming one: say which table's rows.
  std::string text = message;
  for (const auto& [table, path] : inputs.request.dataPaths)
    if (path.rfind(inputs.folder + "/", 0) == 0)
      for (size_t at; (at = text.find(path)) != std::string::npos;)
        text.replace(at, path.size(), fmt::format("the test's rows of {}", table));
  return text;
}

} // namespace fulcrum::testing
