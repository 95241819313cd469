// Matching two result tables and summarising what changed. Values compare by the text the CSV
// format prints for them: exact (money in units, a number in its shortest round-trip form), and
// the same whichever table's dictionary holds a text.
#include "cli/ResultDiff.h"

#include "runtime/output/ResultFormat.h"

#include <algorithm>
#include <cmath>
#include <map>

namespace fulcrum::cli {

using runtime::OutputRole;
using runtime::ResultTable;

namespace {

std::optional<size_t> columnNamed(const ResultTable& table, const std::string& name) {
  for (size_t c = 0; c < table.columns.size(); ++c)
    if (table.columns[c].name == name)
      return c;
  return std::nullopt;
}

DiffCell cellOf(const ResultTable& table, std::optional<size_t> column, std::optional<size_t> row) {
  if (!column || !row)
    return DiffCell{};
  return DiffCell{&table, *column, *row};
}

bool sameValue(const DiffCell& a, const DiffCell& b) {
  if (a.absent() || b.absent())
    return a.absent() == b.absent();
  if (a.present() != b.present())
    return false;
  return !a.present() || a.table->raw(a.column, a.row) == b.table->raw(b.column, b.row);
}

// A band's label as the table format shows it; empty when the subject has no such band.
std::string bandLabel(const DiffCell& cell) {
  return cell.absent() ? "" : runtime::humanValue(*cell.table, cell.column, cell.row);
}

} // namespace

DiffCell ResultDiff::oldCell(const ValueChange& change) const {
  return cellOf(*before, outputs[change.output].oldColumn, subjects[change.subject].oldRow);
}

DiffCell ResultDiff::newCell(const ValueChange& change) const {
  return cellOf(*after, outputs[change.output].newColumn, subjects[change.subject].newRow);
}

ResultDiff diffResults(const ResultTable& before, const ResultTable& after) {
  ResultDiff diff;
  diff.before = &before;
  diff.after = &after;
  std::map<std::string, DiffSubject> byKey;
  for (size_t row = 0; row < before.subjects(); ++row) {
    byKey[before.keys[row]].key = before.keys[row];
    byKey[before.keys[row]].oldRow = row;
  }
  for (size_t row = 0; row < after.subjects(); ++row) {
    byKey[after.keys[row]].key = after.keys[row];
    byKey[after.keys[row]].newRow = row;
  }
  for (auto& [key, subject] : byKey)
    diff.subjects.push_back(std::move(subject));

  auto addOutput = [&](const std::string& name) {
    DiffOutput output{name, columnNamed(before, name), columnNamed(after, name)};
    const auto role = [](const ResultTable& t, std::optional<size_t> c) {
      return c ? t.columns[*c].role : OutputRole::Value;
    };
    output.band = role(before, output.oldColumn) == OutputRole::Band ||
                  role(after, output.newColumn) == OutputRole::Band;
    output.score = role(before, output.oldColumn) == OutputRole::Score &&
                   role(after, output.newColumn) == OutputRole::Score;
    diff.outputs.push_back(std::move(output));
  };
  for (const runtime::OutputColumn& column : after.columns)
    addOutput(column.name);
  for (const runtime::OutputColumn& column : before.columns)
    if (!columnNamed(after, column.name))
      addOutput(column.name);

  for (size_t s = 0; s < diff.subjects.size(); ++s)
    for (size_t o = 0; o < diff.outputs.size(); ++o) {
      const ValueChange change{s, o};
      const DiffCell old = diff.oldCell(change), now = diff.newCell(change);
      if (!sameValue(old, now))
        diff.changes.push_back(change);
    }
  return diff;
}

std::vector<ScoreBucket> scoreBuckets(const std::vector<double>& deltas) {
  std::vector<ScoreBucket> buckets = {{"<= -1", 0}, {"-1 .. -0.1", 0}, {"-0.1 .. 0", 0},
                                      {"0", 0},     {"0 .. 0.1", 0},   {"0.1 .. 1", 0},
                                      {">= 1", 0}};
  for (double d : deltas) {
    const size_t at = d <= -1     ? 0
                      : d <= -0.1 ? 1
                      : d < 0     ? 2
                      : d == 0    ? 3
                      : d < 0.1   ? 4
                      : d < 1     ? 5
                                  : 6;
    ++buckets[at].subjects;
  }
  return buckets;
}

DiffSummary summarize(const ResultDiff& diff) {
  DiffSummary summary;
  for (const DiffSubject& subject : diff.subjects) {
    if (!subject.newRow)
      summary.onlyOld.push_back(subject.key);
    if (!subject.oldRow)
      summary.onlyNew.push_back(subject.key);
  }
  for (const DiffOutput& output : diff.outputs) {
    if (!output.oldColumn)
      summary.added.push_back(output.name);
    if (!output.newColumn)
      summary.removed.push_back(output.name);
  }
  for (size_t i = 0; i < diff.changes.size(); ++i)
    if (i == 0 || diff.changes[i].subject != diff.changes[i - 1].subject)
      ++summary.subjectsChanged;

  for (size_t o = 0; o < diff.outputs.size(); ++o) {
    if (!diff.outputs[o].band)
      continue;
    BandSummary band{o, 0, {}};
    std::map<std::pair<std::string, std::string>, BandTransition> pairs;
    for (const ValueChange& change : diff.changes)
      if (change.output == o) {
        ++band.changed;
        const DiffCell from = diff.oldCell(change), to = diff.newCell(change);
        BandTransition& t = pairs[{bandLabel(from), bandLabel(to)}];
        t = BandTransition{bandLabel(from), bandLabel(to), from, to, t.subjects + 1};
      }
    for (auto& [labels, transition] : pairs)
      band.transitions.push_back(std::move(transition));
    std::stable_sort(
        band.transitions.begin(), band.transitions.end(),
        [](const BandTransition& a, const BandTransition& b) { return a.subjects > b.subjects; });
    summary.bands.push_back(std::move(band));
  }

  for (size_t o = 0; o < diff.outputs.size(); ++o) {
    const DiffOutput& output = diff.outputs[o];
    if (!output.score)
      continue;
    std::vector<double> deltas;
    for (const DiffSubject& subject : diff.subjects) {
      if (!subject.oldRow || !subject.newRow)
        continue;
      const size_t oc = *output.oldColumn, nc = *output.newColumn;
      if (diff.before->present(oc, *subject.oldRow) && diff.after->present(nc, *subject.newRow))
        deltas.push_back(diff.after->value(nc, *subject.newRow) -
                         diff.before->value(oc, *subject.oldRow));
    }
    ScoreSummary score{o, deltas.size(), 0, 0, 0, scoreBuckets(deltas)};
    if (!deltas.empty()) {
      std::sort(deltas.begin(), deltas.end());
      const size_t n = deltas.size();
      score.min = deltas.front();
      score.max = deltas.back();
      score.median = n % 2 ? deltas[n / 2] : (deltas[n / 2 - 1] + deltas[n / 2]) / 2;
    }
    summary.scores.push_back(std::move(score));
  }
  return summary;
}

} // namespace fulcrum::cli
