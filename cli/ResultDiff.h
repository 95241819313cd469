// What a framework change does to people: two result tables of one framework (OLD's and NEW's,
// over the same data), matched subject by key and output by name, and every value that differs.
#pragma once

#include "runtime/output/ResultTable.h"

#include <optional>
#include <string>
#include <vector>

namespace fulcrum::cli {

// A subject of either version; a row is absent in a version whose subject set lacks it.
struct DiffSubject {
  std::string key;
  std::optional<size_t> oldRow, newRow;
};

// An output of either version; a column is absent in a version without it (added or removed).
struct DiffOutput {
  std::string name;
  std::optional<size_t> oldColumn, newColumn;
  bool band = false;  // a band in either version
  bool score = false; // a score in both (its deltas are summarised)
};

// One changed value: indexes into ResultDiff::subjects and ::outputs.
struct ValueChange {
  size_t subject = 0, output = 0;
};

// One side of a change: a present value, a missing value, or no value at all (the subject or
// the output is not in that version).
struct DiffCell {
  const runtime::ResultTable* table = nullptr; // null: absent
  size_t column = 0, row = 0;

  bool absent() const { return table == nullptr; }
  bool present() const { return table && table->present(column, row); }
};

struct ResultDiff {
  const runtime::ResultTable* before = nullptr; // OLD's
  const runtime::ResultTable* after = nullptr;  // NEW's
  std::vector<DiffSubject> subjects;            // every key of either, in byte order
  std::vector<DiffOutput> outputs;              // NEW's in order, then those only OLD has
  std::vector<ValueChange> changes;             // by subject, then output

  DiffCell oldCell(const ValueChange& change) const;
  DiffCell newCell(const ValueChange& change) const;
};

// A value differs when it is present in one version and missing or absent in the other, or
// present in both and printed differently by `run --format csv` (the exact value).
ResultDiff diffResults(const runtime::ResultTable& before, const runtime::ResultTable& after);

// The summary of a band: how many subjects moved from one label to another, per pair (missing
// and absent bands are labelled as the table format shows them).
struct BandTransition {
  std::string from, to; // as shown (`meets`, `-` for missing, empty when absent)
  DiffCell fromCell, toCell;
  size_t subjects = 0;
};
struct BandSummary {
  size_t output = 0;
  size_t changed = 0;                      // subjects whose band changed
  std::vector<BandTransition> transitions; // most subjects first, then by label
};

// The distribution of a score's deltas (NEW - OLD) over the subjects with a value in both.
struct ScoreBucket {
  const char* label;
  size_t subjects = 0;
};
struct ScoreSummary {
  size_t output = 0;
  size_t count = 0; // subjects with a value in both versions
  double min = 0, median = 0, max = 0;
  std::vector<ScoreBucket> buckets; // kScoreBuckets, in order
};

// The buckets a score's deltas fall in: on the score's own points (a score is out of N points,
// usually 5 or 100), by sign and decimal magnitude; `0` is an unchanged score.
std::vector<ScoreBucket> scoreBuckets(const std::vector<double>& deltas);

struct DiffSummary {
  size_t subjectsChanged = 0;                // with at least one change
  std::vector<std::string> onlyOld, onlyNew; // subjects in one version only
  std::vector<std::string> added, removed;   // outputs
  std::vector<BandSummary> bands;
  std::vector<ScoreSummary> scores;
};

DiffSummary summarize(const ResultDiff& diff);

} // namespace fulcrum::cli
