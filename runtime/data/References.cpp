// Reference resolution: keys to row indexes, unknown keys, and rejection of dependent rows.
#include "runtime/data/References.h"

#include "runtime/data/Cells.h"
#include "runtime/data/ShownText.h"
#include "support/Text.h"

#include <algorithm>
#include <deque>
#include <fmt/format.h>

namespace fulcrum::runtime {
namespace {

constexpr size_t kNone = static_cast<size_t>(-1);

size_t findTable(const std::vector<ParsedTable>& tables, const std::string& name) {
  for (size_t i = 0; i < tables.size(); ++i)
    if (tables[i].schema->name == name)
      return i;
  return kNone;
}

LoadIssue fieldIssue(const ParsedTable& table, const FieldSchema& field, uint32_t line,
                     uint32_t column, std::string_view value, std::string message) {
  return LoadIssue{table.schema->path, line,       column,
                   table.schema->name, field.name, std::string(value),
                   std::move(message), false};
}

// Why `field` cannot refer to `tables[target]`, or empty if it can.
std::string targetProblem(const std::vector<ParsedTable>& tables, const FieldSchema& field,
                          size_t target) {
  if (target == kNone)
    return fmt::format("{} refers to `{}`, which is not a declared entity", describeField(field),
                       field.referencedTable);
  const TableSchema& schema = *tables[target].schema;
  if (!schema.isEntity || schema.keyField < 0 ||
      static_cast<size_t>(schema.keyField) >= schema.fields.size())
    return fmt::format("{} refers to `{}`, which is not an entity with a key", describeField(field),
                       field.referencedTable);
  if (tables[target].unusable)
    return fmt::format("{} refers to {}, which could not be loaded", describeField(field),
                       schema.name);
  return {};
}

// Marks tables whose references cannot be resolved at all as unusable, until nothing changes
// (a table referring to an unusable table is unusable too).
void checkTargets(std::vector<ParsedTable>& tables) {
  for (bool changed = true; changed;) {
    changed = false;
    for (ParsedTable& table : tables) {
      if (table.unusable)
        continue;
      for (const PendingReference& reference : table.references) {
        const FieldSchema& field = table.schema->fields[reference.field];
        const std::string problem =
            targetProblem(tables, field, findTable(tables, field.referencedTable));
        if (problem.empty())
          continue;
        table.addFatal(fieldIssue(table, field, 0, 0, field.referencedTable, problem));
        changed = true;
        break;
      }
    }
  }
}

// Fills one reference column; unknown keys reject their rows.
void resolve(ParsedTable& table, PendingReference& reference, const ParsedTable& target) {
  const FieldSchema& field = table.schema->fields[reference.field];
  const TableSchema& targetSchema = *target.schema;
  const FieldSchema& key = targetSchema.fields[static_cast<size_t>(targetSchema.keyField)];
  std::vector<int32_t> rows(reference.keys.size(), -1);
  for (size_t code = 0; code < rows.size(); ++code) {
    const auto text = reference.keys.text(static_cast<int32_t>(code));
    if (auto canonical = canonicalKey(key.kind, key.typeName, text)) {
      rows[code] = target.firstSeen.find(*canonical);
    }
  }
  std::vector<std::string> messages(rows.size()); // per unknown key, built on first use
  std::vector<std::string> candidates;
  Column& column = table.table.columns[reference.field];
  for (size_t row = 0; row < column.rows.size(); ++row) {
    const int32_t code = column.rows[row]; // the key's code until now
    if (code < 0)
      continue;
    const auto c = static_cast<size_t>(code);
    if (rows[c] >= 0) {
      column.valid[row] = 1;
      column.rows[row] = rows[c];
      --column.missing;
      continue;
    }
    column.rows[row] = -1;
    const std::string text(reference.keys.text(code));
    if (messages[c].empty()) {
      if (candidates.empty())
        for (size_t i = 0; i < target.firstSeen.size(); ++i)
          candidates.emplace_back(target.firstSeen.key(i));
      messages[c] = fmt::format("{}: unknown {} `{}`: {} has no {} with {} `{}`",
                                describeField(field), targetSchema.name, shown(text),
                                targetSchema.path, targetSchema.name, key.name, shown(text));
      const std::string suggestion = closestMatch(text, candidates);
      if (!suggestion.empty())
        messages[c] += fmt::format(" (did you mean `{}`?)", shown(suggestion));
    }
    const WrittenCell cell = table.cell(row, reference.field);
    table.addRowIssue(static_cast<int32_t>(row),
                      fieldIssue(table, field, cell.line, cell.column, text, messages[c]));
  }
}

// Who refers to each row of one table: (table, reference, row) triples grouped by target row.
struct Dependents {
  std::vector<uint32_t> offsets; // per target row + 1
  struct Entry {
    uint32_t table, reference, row;
  };
  std::vector<Entry> entries;
};

std::vector<Dependents> collectDependents(const std::vector<ParsedTable>& tables) {
  std::vector<Dependents> all(tables.size());
  for (size_t t = 0; t < tables.size(); ++t)
    all[t].offsets.assign(tables[t].rowsInFile + 1, 0);
  auto forEachLink = [&](auto&& visit) {
    for (size_t t = 0; t < tables.size(); ++t) {
      if (tables[t].unusable)
        continue;
      for (size_t r = 0; r < tables[t].references.size(); ++r) {
        const PendingReference& reference = tables[t].references[r];
        const size_t target =
            findTable(tables, tables[t].schema->fields[reference.field].referencedTable);
        const Column& column = tables[t].table.columns[reference.field];
        for (size_t row = 0; row < column.rows.size(); ++row)
          if (column.valid[row] && !tables[t].rejected[row])
            visit(target, static_cast<size_t>(column.rows[row]),
                  Dependents::Entry{static_cast<uint32_t>(t), static_cast<uint32_t>(r),
                                    static_cast<uint32_t>(row)});
      }
    }
  };
  forEachLink(
      [&](size_t target, size_t row, const Dependents::Entry&) { ++all[target].offsets[row + 1]; });
  for (Dependents& dependents : all) {
    for (size_t i = 1; i < dependents.offsets.size(); ++i)
      dependents.offsets[i] += dependents.offsets[i - 1];
    dependents.entries.resize(dependents.offsets.back());
  }
  std::vector<std::vector<uint32_t>> next(tables.size());
  for (size_t t = 0; t < tables.size(); ++t)
    next[t].assign(all[t].offsets.begin(), all[t].offsets.end() - 1);
  forEachLink([&](size_t target, size_t row, const Dependents::Entry& entry) {
    all[target].entries[next[target][row]++] = entry;
  });
  return all;
}

// Rejects every row that refers, directly or through other rows, to a rejected row.
void rejectDependents(std::vector<ParsedTable>& tables) {
  const bool anyRejected = std::any_of(tables.begin(), tables.end(), [](const ParsedTable& table) {
    return std::find(table.rejected.begin(), table.rejected.end(), 1) != table.rejected.end();
  });
  if (!anyRejected)
    return; // nothing to cascade (and no need to index every link)
  const std::vector<Dependents> dependents = collectDependents(tables);
  std::deque<std::pair<size_t, size_t>> queue; // (table, row) rejected, dependents unvisited
  for (size_t t = 0; t < tables.size(); ++t) {
    if (dependents[t].entries.empty())
      continue;
    for (size_t row = 0; row < tables[t].rowsInFile; ++row)
      if (tables[t].rejected[row])
        queue.emplace_back(t, row);
  }
  while (!queue.empty()) {
    const auto [t, row] = queue.front();
    queue.pop_front();
    const ParsedTable& target = tables[t];
    for (uint32_t i = dependents[t].offsets[row]; i < dependents[t].offsets[row + 1]; ++i) {
      const Dependents::Entry& entry = dependents[t].entries[i];
      ParsedTable& table = tables[entry.table];
      if (table.rejected[entry.row])
        continue;
      const PendingReference& reference = table.references[entry.reference];
      const FieldSchema& field = table.schema->fields[reference.field];
      const WrittenCell cell = table.cell(entry.row, reference.field);
      const std::string_view key = trimSpaces(cell.text);
      table.addRowIssue(
          static_cast<int32_t>(entry.row),
          fieldIssue(table, field, cell.line, cell.column, key,
                     fmt::format("{}: {} `{}` ({}:{}) has errors, so this row cannot be loaded "
                                 "either",
                                 describeField(field), target.schema->name, shown(key),
                                 target.schema->path, target.table.lines[row])));
      queue.emplace_back(entry.table, entry.row);
    }
  }
}

} // namespace

void resolveReferences(std::vector<ParsedTable>& tables) {
  checkTargets(tables);
  for (ParsedTable& table : tables) {
    if (table.unusable)
      continue;
    for (PendingReference& reference : table.references) {
      const FieldSchema& field = table.schema->fields[reference.field];
      resolve(table, reference, tables[findTable(tables, field.referencedTable)]);
    }
  }
  rejectDependents(tables);
}

} // namespace fulcrum::runtime
