// A run split in two for a cluster (Partials.h): the partial of one partition, and the run that
// puts the partials in place of its own scans.
#include "runtime/program/Partials.h"

#include "runtime/exec/Finalize.h"
#include "runtime/program/PartialStates.h"
#include "runtime/program/Run.h"
#include "support/PostgresUri.h"

#include <algorithm>
#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <numeric>
#include <unordered_map>
#include <utility>

namespace fulcrum::runtime {

namespace {

constexpr int kPartialFormat = 3; // the JSON's "format": grows when its fields change

// A scan whose aggregates a partial of `table` ships: a first- or second-pass scan of the table's
// rows (not a peer step's, not an alert's after the formulas).
bool shipped(const ScanKernel& scan, uint32_t table) {
  return scan.table == table && scan.peerStage < 0 && !scan.afterFormulas;
}

// The aggregates a partial of `table` ships, with the scan of each, in the plan's order.
std::vector<std::pair<const ScanKernel*, const AggregateUpdate*>> shippedUpdates(const Plan& plan,
                                                                                 uint32_t table) {
  std::vector<std::pair<const ScanKernel*, const AggregateUpdate*>> updates;
  for (const ScanKernel& scan : plan.scans)
    if (shipped(scan, table))
      for (const AggregateUpdate& update : scan.updates)
        updates.emplace_back(&scan, &update);
  return updates;
}

int64_t tableIndex(const Plan& plan, const std::string& name) {
  for (size_t t = 1; t < plan.tables.size(); ++t)
    if (plan.tables[t].name == name && plan.tables[t].feed < 0)
      return static_cast<int64_t>(t);
  return -1;
}

// Why the plan cannot be split by subject, or "".
std::string unsplittable(const Plan& plan) {
  if (!plan.feeds.empty())
    return fmt::format("framework `{}` reads other frameworks' results; a distributed run "
                       "evaluates one framework over its own tables",
                       plan.frameworkName);
  return "";
}

// Per aggregate of plan: the scan (index) it belongs to, or -1 (peer steps' and none).
std::vector<int64_t> scanOfAggregate(const Plan& plan) {
  std::vector<int64_t> scanOf(plan.aggregateCount, -1);
  for (size_t i = 0; i < plan.scans.size(); ++i)
    if (plan.scans[i].peerStage < 0)
      for (const AggregateUpdate& update : plan.scans[i].updates)
        scanOf[update.aggregate] = static_cast<int64_t>(i);
  return scanOf;
}

// The one rule on reading across fact tables: a second-pass aggregate over one table that reads an
// aggregate over another fact table cannot run when either of the two is partitioned (a
// partition holds one table's rows, the other table's rows of its subjects are elsewhere).
// `partitioned(table)` says which are; the message, or "".
template <class Partitioned> std::string crossTableRead(const Plan& plan, Partitioned partitioned) {
  const std::vector<int64_t> scanOf = scanOfAggregate(plan);
  for (const ScanKernel& scan : plan.scans) {
    if (scan.peerStage >= 0 || scan.afterFormulas)
      continue;
    for (const PNode& node : scan.nodes) {
      if (node.op != POp::Aggregate || scanOf[node.a] < 0)
        continue;
      const uint32_t inner = plan.scans[static_cast<size_t>(scanOf[node.a])].table;
      if (inner == scan.table || plan.tables[inner].isEntity ||
          (!partitioned(scan.table) && !partitioned(inner)))
        continue;
      return fmt::format("an aggregate over `{}` reads an aggregate over `{}`, another fact "
                         "table: a distributed run cannot evaluate that (a partition holds one "
                         "table's rows; every fact table given with --data is partitioned); run "
                         "framework `{}` on one machine",
                         plan.tables[scan.table].name, plan.tables[inner].name, plan.frameworkName);
    }
  }
  return "";
}

// A keyed table's rows' keys in this partition, each with its row's line ([key, line]), so that
// the second stage applies the loader's duplicate-key rule across partitions; [] for no key.
nlohmann::json rowKeys(const LoadedData& data, const std::string& tableName) {
  nlohmann::json keys = nlohmann::json::array();
  const Table* table = data.loaded.table(tableName);
  if (!table || table->schema.keyField < 0)
    return keys;
  for (size_t i = 0; i < table->keyIndex.size(); ++i) {
    const int32_t row = table->keyIndex.row(i);
    const bool known = row >= 0 && static_cast<size_t>(row) < table->lines.size();
    keys.push_back(
        {std::string(table->keyIndex.key(i)), known ? table->lines[static_cast<size_t>(row)] : 0});
  }
  return keys;
}

std::string partitionOf(const nlohmann::json& partial) {
  return partial.value("partition", std::string("?"));
}

} // namespace

PartialOutcome scanPartial(const Program& program, const RunRequest& request,
                           const LoadedData& data, const std::string& tableName,
                           const std::string& partition) {
  const Plan& plan = program.plan();
  PartialOutcome outcome;
  auto fail = [&](RunStatus status, std::string message) {
    outcome.status = status;
    outcome.errors.push_back(std::move(message));
    return outcome;
  };
  if (std::string why = unsplittable(plan); !why.empty())
    return fail(RunStatus::UsageError, why);
  const int64_t found = tableIndex(plan, tableName);
  if (found < 0 || plan.tables[static_cast<size_t>(found)].isEntity)
    return fail(RunStatus::UsageError,
                fmt::format("framework `{}` aggregates over no table `{}`: only a table whose rows "
                            "its aggregates read can be partitioned",
                            plan.frameworkName, tableName));
  const auto table = static_cast<uint32_t>(found);
  if (std::string why = crossTableRead(plan, [&](uint32_t t) { return t == table; }); !why.empty())
    return fail(RunStatus::UsageError, why);
  const auto updates = shippedUpdates(plan, table);
  nlohmann::json aggregates = nlohmann::json::array();
  for (const auto& [scan, update] : updates)
    aggregates.push_back(update->aggregate);

  Run run(plan, program.engine(), data, request);
  RunResult prepared;
  if (!prepareArguments(run, prepared)) {
    outcome.status = prepared.status;
    outcome.errors = std::move(prepared.errors);
    return outcome;
  }
  runScans(run);
  if (cancelRequested(run))
    return fail(RunStatus::Cancelled, "the run was cancelled");

  // The subjects this partition's rows belong to: the only ones it has results for.
  const size_t subjects = run.subjects;
  std::vector<uint8_t> seen(subjects, 0);
  for (const ScanKernel& scan : plan.scans) {
    if (!shipped(scan, table))
      continue;
    const int32_t* rowSubjects = data.bound.rowSubjects[scan.subjectOfRow];
    const size_t rows = data.bound.tableRows[table];
    for (size_t row = 0; row < rows; ++row)
      if (rowSubjects[row] >= 0)
        seen[static_cast<size_t>(rowSubjects[row])] = 1;
  }
  nlohmann::json rows = nlohmann::json::array();
  for (size_t s = 0; s < subjects; ++s) {
    if (!seen[s])
      continue;
    // Each aggregate's mergeable state: the subject may have rows in other partitions too.
    nlohmann::json values = nlohmann::json::array();
    for (const auto& [scan, update] : updates)
      values.push_back(partialState(run, *update, s));
    rows.push_back({s, data.bound.subjectKeys.at(s), std::move(values)});
  }
  nlohmann::json partial = {{"format", kPartialFormat}, {"framework", plan.frameworkName},
                            {"table", tableName},       {"partition", dataSourceLabel(partition)},
                            {"subjects", subjects},     {"aggregates", std::move(aggregates)},
                            {"rows", std::move(rows)},  {"keys", rowKeys(data, tableName)}};
  outcome.partial = partial.dump();
  return outcome;
}

RunResult evaluateFromPartials(const Program& program, const RunRequest& request,
                               const LoadedData& data, const std::vector<std::string>& partials) {
  const Plan& plan = program.plan();
  RunResult result;
  auto fail = [&](RunStatus status, std::string message) {
    result = RunResult();
    result.status = status;
    result.errors.push_back(std::move(message));
    return result;
  };
  if (std::string why = unsplittable(plan); !why.empty())
    return fail(RunStatus::UsageError, why);
  if (request.alerts && !plan.alerts.empty())
    return fail(RunStatus::UsageError,
                fmt::format("a distributed run gives framework `{}`'s results, not its alerts "
                            "(their rows are in the partitions): run `fulcrum alerts` on one "
                            "machine",
                            plan.frameworkName));
  Run run(plan, program.engine(), data, request);
  if (!prepareArguments(run, result))
    return result;
  // The whole tables' scans; the partitioned tables are empty here, so their aggregates are
  // what no rows give until a partial says otherwise.
  runScans(run);
  if (stopIfCancelled(run, result))
    return result;
  const size_t subjects = run.subjects;
  std::vector<nlohmann::json> parsed;
  parsed.reserve(partials.size());
  for (size_t p = 0; p < partials.size(); ++p) {
    nlohmann::json partial = nlohmann::json::parse(partials[p], nullptr, false);
    if (partial.is_discarded() || !partial.is_object() ||
        partial.value("format", 0) != kPartialFormat)
      return fail(RunStatus::UsageError,
                  fmt::format("partial {} is not a partial of format {} (made by another "
                              "version of fulcrum?)",
                              p + 1, kPartialFormat));
    if (partial.value("framework", std::string()) != plan.frameworkName)
      return fail(RunStatus::UsageError,
                  fmt::format("partition `{}` is a partial of framework `{}`, not `{}`",
                              partitionOf(partial), partial.value("framework", std::string()),
                              plan.frameworkName));
    if (partial.value("subjects", size_t{0}) != subjects)
      return fail(RunStatus::UsageError,
                  fmt::format("partition `{}` was scanned with {} subjects, this run has {}: every "
                              "process must load the same entity files",
                              partitionOf(partial), partial.value("subjects", size_t{0}),
                              subjects));
    parsed.push_back(std::move(partial));
  }
  // The merge order: by table, then by the partition's name. Exact sums, counts and kept values
  // merge in any order; first and last take a later partition's rows as later rows, so a tie
  // on the order key across partitions goes as in the partitions concatenated in name order,
  // whatever order the partials came in.
  std::vector<size_t> order(parsed.size());
  std::iota(order.begin(), order.end(), size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    const std::string ta = parsed[a].value("table", std::string());
    const std::string tb = parsed[b].value("table", std::string());
    return ta != tb ? ta < tb : partitionOf(parsed[a]) < partitionOf(parsed[b]);
  });
  // Per table: the first partition each subject's rows came from (index into parsed, or -1).
  std::unordered_map<std::string, std::vector<int64_t>> from;
  // Per table: each row key seen so far, with the partial and the line it came from.
  std::unordered_map<std::string, std::unordered_map<std::string, std::pair<size_t, uint64_t>>>
      keysOf;
  RunTexts texts(run.strings);
  const size_t poolBefore = run.strings.size();
  for (const size_t p : order) {
    const nlohmann::json& partial = parsed[p];
    const std::string tableName = partial.value("table", std::string());
    const int64_t table = tableIndex(plan, tableName);
    if (table < 0)
      return fail(RunStatus::UsageError, fmt::format("partition `{}` is of unknown table `{}`",
                                                     partitionOf(partial), tableName));
    const auto updates = shippedUpdates(plan, static_cast<uint32_t>(table));
    std::vector<uint32_t> aggregates;
    for (const auto& [scan, update] : updates)
      aggregates.push_back(update->aggregate);
    if (partial.at("aggregates").get<std::vector<uint32_t>>() != aggregates)
      return fail(RunStatus::UsageError,
                  fmt::format("partition `{}` ships other aggregates than this framework's "
                              "(made from another version of the framework?)",
                              partitionOf(partial)));
    std::vector<int64_t>& owner = from[tableName];
    owner.resize(subjects, -1);
    for (const nlohmann::json& row : partial.at("rows")) {
      const auto s = row.at(0).get<size_t>();
      const std::string key = row.at(1).get<std::string>();
      if (s >= subjects || run.bound.subjectKeys[s] != key)
        return fail(RunStatus::UsageError,
                    fmt::format("partition `{}` has subject `{}` where this run has `{}`: every "
                                "process must load the same entity files",
                                partitionOf(partial), key,
                                s < subjects ? run.bound.subjectKeys[s] : std::string("none")));
      if (owner[s] >= 0) {
        // Rows in an earlier partition too: every state merges, unless one needs the
        // subject's every row in one place.
        for (const auto& [scan, update] : updates)
          if (std::string why = wholeSubjectRows(*scan, *update); !why.empty())
            return fail(RunStatus::DataError,
                        fmt::format("subject `{}` has rows of `{}` in two partitions, `{}` and "
                                    "`{}`, and {}: partition the table by subject (each "
                                    "subject's rows in one file), or run framework `{}` on one "
                                    "machine",
                                    key, tableName,
                                    partitionOf(parsed[static_cast<size_t>(owner[s])]),
                                    partitionOf(partial), why, plan.frameworkName));
      } else {
        owner[s] = static_cast<int64_t>(p);
      }
      const nlohmann::json& states = row.at(2);
      if (!states.is_array() || states.size() != updates.size())
        return fail(RunStatus::UsageError,
                    fmt::format("partition `{}` ships {} states for subject `{}`, this framework "
                                "has {} aggregates over `{}`",
                                partitionOf(partial), states.is_array() ? states.size() : 0, key,
                                updates.size(), tableName));
      for (size_t k = 0; k < updates.size(); ++k)
        if (std::string wrong = mergePartialState(run, texts, *updates[k].second, s, states[k]);
            !wrong.empty())
          return fail(RunStatus::UsageError,
                      fmt::format("partition `{}` ships {} for subject `{}`'s aggregate {} (made "
                                  "by another version of fulcrum?)",
                                  partitionOf(partial), wrong, key, aggregates[k]));
    }
    // The loader's duplicate-key rule, across the files of a table.
    auto& seenKeys = keysOf[tableName];
    for (const nlohmann::json& entry : partial.value("keys", nlohmann::json::array())) {
      const std::string key = entry.at(0).get<std::string>();
      const auto line = entry.at(1).get<uint64_t>();
      const auto [it, added] = seenKeys.emplace(key, std::make_pair(p, line));
      if (!added)
        return fail(RunStatus::DataError,
                    fmt::format("{}:{}: error: duplicate key `{}` in `{}`: the first row with it "
                                "is at line {} of `{}`, another partition",
                                partitionOf(partial), line, key, tableName, it->second.second,
                                partitionOf(parsed[it->second.first])));
    }
  }
  // Every partitioned table's aggregates from the merged states, as a scan finalizes them.
  for (const auto& [tableName, owners] : from)
    for (const auto& [scan, update] :
         shippedUpdates(plan, static_cast<uint32_t>(tableIndex(plan, tableName))))
      finalizeAggregate(*update, subjects, subjects, run.accumulators, run.collected,
                        run.aggregateValues, run.aggregateValid);
  if (std::string why = crossTableRead(
          plan, [&](uint32_t table) { return from.count(plan.tables[table].name) > 0; });
      !why.empty())
    return fail(RunStatus::UsageError, why);
  if (run.strings.size() != poolBefore)
    rankTexts(run); // `order by` a text that came in a partial
  finishEvaluation(run, result);
  return result;
}

} // namespace fulcrum::runtime
