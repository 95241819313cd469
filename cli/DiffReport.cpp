// The four layouts of a diff. Cells come from the two result tables through the formatting
// `run` uses: raw values for CSV and JSON, values as shown for people in the table and markdown.
// A side that does not exist (the subject or the output is not in that version) is an empty
// CSV cell, JSON null, and `(none)` for people; a missing value is `-` for people.
#include "cli/DiffReport.h"

#include "runtime/output/ResultFormat.h"
#include "support/Text.h"

#include <cstdint>
#include <fmt/format.h>
#include <utility>

namespace fulcrum::cli {

namespace {

constexpr const char* kAbsent = "(none)";
// A pull-request comment has a size limit: the markdown lists at most this many values (the
// summary counts all of them; CSV and JSON list all).
constexpr size_t kMarkdownRows = 300;
// Subjects in one version only, named in the summary before `and N more`.
constexpr size_t kNamedSubjects = 20;

std::string rawCell(const DiffCell& cell) {
  return cell.absent() ? "" : cell.table->raw(cell.column, cell.row);
}

std::string shownCell(const DiffCell& cell) {
  return cell.absent() ? kAbsent : runtime::humanValue(*cell.table, cell.column, cell.row);
}

// A changed value as people see it: when both sides would show the same (3.5604 and 3.5571 are
// both 3.56), each is shown in full as CSV carries it, so that no changed row reads unchanged.
std::pair<std::string, std::string> shownChange(const ResultDiff& diff, const ValueChange& change) {
  const DiffCell before = diff.oldCell(change), after = diff.newCell(change);
  if (!before.present() || !after.present())
    return {shownCell(before), shownCell(after)};
  return runtime::shownApart(shownCell(before), rawCell(before), shownCell(after), rawCell(after));
}

std::string jsonCell(const DiffCell& cell) {
  return cell.absent() ? "null" : runtime::jsonValue(*cell.table, cell.column, cell.row);
}

std::string shownDelta(double delta) {
  return runtime::shownValue(runtime::ValueType::Number, delta, true, {});
}

std::string jsonNumber(double value) {
  return fmt::format("{}", value);
}

std::string names(const std::vector<std::string>& list, size_t limit = SIZE_MAX) {
  std::string out;
  for (size_t i = 0; i < list.size() && i < limit; ++i)
    out += (i ? ", " : "") + list[i];
  if (list.size() > limit)
    out += fmt::format(" and {} more", list.size() - limit);
  return out;
}

std::string jsonList(const std::vector<std::string>& list) {
  std::string out = "[";
  for (size_t i = 0; i < list.size(); ++i)
    out += (i ? ", " : "") + jsonQuote(list[i]);
  return out + "]";
}

std::string csv(const ResultDiff& diff) {
  std::string out = "subject,output,old,new\n";
  for (const ValueChange& change : diff.changes)
    out += fmt::format("{},{},{},{}\n", runtime::csvField(diff.subjects[change.subject].key),
                       runtime::csvField(diff.outputs[change.output].name),
                       runtime::csvField(rawCell(diff.oldCell(change))),
                       runtime::csvField(rawCell(diff.newCell(change))));
  return out;
}

std::string json(const ResultDiff& diff, const DiffSummary& summary) {
  std::string out = "{\n  \"changes\": [";
  for (size_t i = 0; i < diff.changes.size(); ++i) {
    const ValueChange& change = diff.changes[i];
    out += fmt::format("{}\n    {{\"subject\": {}, \"output\": {}, \"old\": {}, \"new\": {}}}",
                       i ? "," : "", jsonQuote(diff.subjects[change.subject].key),
                       jsonQuote(diff.outputs[change.output].name), jsonCell(diff.oldCell(change)),
                       jsonCell(diff.newCell(change)));
  }
  out += diff.changes.empty() ? "],\n" : "\n  ],\n";
  out += "  \"summary\": {\n";
  out += fmt::format("    \"subjects\": {}, \"subjects_changed\": {}, \"values_changed\": {},\n",
                     diff.subjects.size(), summary.subjectsChanged, diff.changes.size());
  out += fmt::format("    \"only_old\": {}, \"only_new\": {},\n", jsonList(summary.onlyOld),
                     jsonList(summary.onlyNew));
  out += fmt::format("    \"outputs_added\": {}, \"outputs_removed\": {},\n",
                     jsonList(summary.added), jsonList(summary.removed));
  out += "    \"bands\": [";
  for (size_t b = 0; b < summary.bands.size(); ++b) {
    const BandSummary& band = summary.bands[b];
    out += fmt::format("{}\n      {{\"output\": {}, \"subjects_changed\": {}, \"transitions\": [",
                       b ? "," : "", jsonQuote(diff.outputs[band.output].name), band.changed);
    for (size_t t = 0; t < band.transitions.size(); ++t) {
      const BandTransition& move = band.transitions[t];
      out += fmt::format("{}{{\"from\": {}, \"to\": {}, \"subjects\": {}}}", t ? ", " : "",
                         jsonCell(move.fromCell), jsonCell(move.toCell), move.subjects);
    }
    out += "]}";
  }
  out += summary.bands.empty() ? "],\n" : "\n    ],\n";
  out += "    \"score_deltas\": [";
  for (size_t s = 0; s < summary.scores.size(); ++s) {
    const ScoreSummary& score = summary.scores[s];
    out += fmt::format("{}\n      {{\"output\": {}, \"subjects\": {}", s ? "," : "",
                       jsonQuote(diff.outputs[score.output].name), score.count);
    if (score.count)
      out += fmt::format(", \"min\": {}, \"median\": {}, \"max\": {}", jsonNumber(score.min),
                         jsonNumber(score.median), jsonNumber(score.max));
    out += ", \"buckets\": [";
    for (size_t k = 0; k < score.buckets.size(); ++k)
      out += fmt::format("{}{{\"delta\": {}, \"subjects\": {}}}", k ? ", " : "",
                         jsonQuote(score.buckets[k].label), score.buckets[k].subjects);
    out += "]}";
  }
  out += summary.scores.empty() ? "]\n" : "\n    ]\n";
  out += "  }\n}\n";
  return out;
}

std::string countOf(size_t n, const char* one, const char* many) {
  return fmt::format("{} {}", n, n == 1 ? one : many);
}

std::string table(const ResultDiff& diff, const DiffSummary& summary) {
  std::string out;
  if (diff.changes.empty()) {
    out += "no value changed\n";
  } else {
    std::vector<std::vector<std::string>> rows{{"subject", "output", "old -> new"}};
    for (const ValueChange& change : diff.changes) {
      const auto [old, now] = shownChange(diff, change);
      rows.push_back({diff.subjects[change.subject].key, diff.outputs[change.output].name,
                      old + " -> " + now});
    }
    out += runtime::alignedRows(rows);
  }
  out += fmt::format("\nsummary: {} of {} changed, {} changed\n", summary.subjectsChanged,
                     countOf(diff.subjects.size(), "subject", "subjects"),
                     countOf(diff.changes.size(), "value", "values"));
  if (!summary.onlyOld.empty())
    out += fmt::format("only in OLD: {}\n", names(summary.onlyOld, kNamedSubjects));
  if (!summary.onlyNew.empty())
    out += fmt::format("only in NEW: {}\n", names(summary.onlyNew, kNamedSubjects));
  if (!summary.added.empty())
    out += fmt::format("outputs added: {}\n", names(summary.added));
  if (!summary.removed.empty())
    out += fmt::format("outputs removed: {}\n", names(summary.removed));
  for (const BandSummary& band : summary.bands) {
    out += fmt::format("band {}: {} changed\n", diff.outputs[band.output].name,
                       countOf(band.changed, "subject", "subjects"));
    std::vector<std::vector<std::string>> rows;
    for (const BandTransition& move : band.transitions)
      rows.push_back({shownCell(move.fromCell) + " -> " + shownCell(move.toCell),
                      std::to_string(move.subjects)});
    out += runtime::alignedRows(rows, {}, "  ");
  }
  for (const ScoreSummary& score : summary.scores) {
    out += fmt::format("score {}: delta (NEW - OLD) over {}", diff.outputs[score.output].name,
                       countOf(score.count, "subject", "subjects"));
    if (score.count)
      out += fmt::format(": min {}, median {}, max {}", shownDelta(score.min),
                         shownDelta(score.median), shownDelta(score.max));
    out += "\n";
    std::vector<std::vector<std::string>> rows;
    for (const ScoreBucket& bucket : score.buckets)
      rows.push_back({bucket.label, std::to_string(bucket.subjects)});
    if (score.count)
      out += runtime::alignedRows(rows, {}, "  ");
  }
  return out;
}

// Text in a table cell or list of the markdown: a `|` would end the cell and a line break the
// row; GitHub renders it as HTML, so a key such as `</details>` must show as written, not close
// the fold.
std::string mdCell(const std::string& text) {
  std::string out;
  for (char c : text)
    out += c == '|'                 ? std::string("\\|")
           : c == '\n' || c == '\r' ? std::string(" ")
           : c == '<'               ? std::string("&lt;")
           : c == '>'               ? std::string("&gt;")
           : c == '&'               ? std::string("&amp;")
                                    : std::string(1, c);
  return out;
}

// Text inside a code span (`...`), which shows entities literally: only what would end the span
// or the line is replaced.
std::string mdCode(const std::string& text) {
  std::string out;
  for (char c : text)
    out += c == '`' ? '\'' : c == '\n' || c == '\r' ? ' ' : c;
  return out;
}

std::string markdown(const ResultDiff& diff, const DiffSummary& summary, const DiffTitle& title) {
  std::string out =
      fmt::format("### `fulcrum diff`: {} ({})\n\n", mdCell(title.framework), mdCell(title.when));
  out += fmt::format("`{}` -> `{}`: {} of {} changed, {} changed.\n", mdCode(title.oldName),
                     mdCode(title.newName), summary.subjectsChanged,
                     countOf(diff.subjects.size(), "subject", "subjects"),
                     countOf(diff.changes.size(), "value", "values"));
  if (!summary.onlyOld.empty())
    out += fmt::format("\n- only in OLD: {}", mdCell(names(summary.onlyOld, kNamedSubjects)));
  if (!summary.onlyNew.empty())
    out += fmt::format("\n- only in NEW: {}", mdCell(names(summary.onlyNew, kNamedSubjects)));
  if (!summary.added.empty())
    out += fmt::format("\n- outputs added: {}", mdCell(names(summary.added)));
  if (!summary.removed.empty())
    out += fmt::format("\n- outputs removed: {}", mdCell(names(summary.removed)));
  if (!summary.onlyOld.empty() || !summary.onlyNew.empty() || !summary.added.empty() ||
      !summary.removed.empty())
    out += "\n";
  if (!summary.bands.empty()) {
    out += "\n| band | from | to | subjects |\n| --- | --- | --- | ---: |\n";
    for (const BandSummary& band : summary.bands) {
      if (band.transitions.empty())
        out += fmt::format("| {} | no subject changed | | 0 |\n",
                           mdCell(diff.outputs[band.output].name));
      for (const BandTransition& move : band.transitions)
        out += fmt::format("| {} | {} | {} | {} |\n", mdCell(diff.outputs[band.output].name),
                           mdCell(shownCell(move.fromCell)), mdCell(shownCell(move.toCell)),
                           move.subjects);
    }
  }
  if (!summary.scores.empty()) {
    out += "\n| score delta (NEW - OLD) | subjects | min | median | max |";
    for (const ScoreBucket& bucket : scoreBuckets({}))
      out += fmt::format(" {} |", bucket.label);
    out += "\n| --- | ---: | ---: | ---: | ---: |";
    for (size_t k = 0; k < scoreBuckets({}).size(); ++k)
      out += " ---: |";
    out += "\n";
    for (const ScoreSummary& score : summary.scores) {
      out += fmt::format("| {} | {} | {} | {} | {} |", mdCell(diff.outputs[score.output].name),
                         score.count, score.count ? shownDelta(score.min) : "-",
                         score.count ? shownDelta(score.median) : "-",
                         score.count ? shownDelta(score.max) : "-");
      for (const ScoreBucket& bucket : score.buckets)
        out += fmt::format(" {} |", bucket.subjects);
      out += "\n";
    }
  }
  if (diff.changes.empty())
    return out;
  out += fmt::format("\n<details><summary>{}</summary>\n\n| subject | output | old | new |\n"
                     "| --- | --- | --- | --- |\n",
                     countOf(diff.changes.size(), "changed value", "changed values"));
  for (size_t i = 0; i < diff.changes.size() && i < kMarkdownRows; ++i) {
    const ValueChange& change = diff.changes[i];
    const auto [old, now] = shownChange(diff, change);
    out += fmt::format("| {} | {} | {} | {} |\n", mdCell(diff.subjects[change.subject].key),
                       mdCell(diff.outputs[change.output].name), mdCell(old), mdCell(now));
  }
  if (diff.changes.size() > kMarkdownRows)
    out += fmt::format("\nand {} more (`--format csv` lists every one)\n",
                       diff.changes.size() - kMarkdownRows);
  out += "\n</details>\n";
  return out;
}

} // namespace

std::string formatDiff(const ResultDiff& diff, const DiffSummary& summary, DiffFormat format,
                       const DiffTitle& title) {
  switch (format) {
  case DiffFormat::Csv:
    return csv(diff);
  case DiffFormat::Json:
    return json(diff, summary);
  case DiffFormat::Markdown:
    return markdown(diff, summary, title);
  case DiffFormat::Table:
    return table(diff, summary);
  }
  return "";
}

} // namespace fulcrum::cli
