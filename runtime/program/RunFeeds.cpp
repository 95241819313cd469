// The frameworks a plan reads (Plan::feeds): their results, already run for the same request,
// become this run's values: slots for this subject's row or the row above it, bound columns of
// their own table for aggregates over the subject's members. Plain C++ shared by both engines.
#include "runtime/program/Run.h"

#include <algorithm>

namespace fulcrum::runtime {

// A text of another run's pool, as a code of this run's pool.
static double internText(Run& run, const std::string& text) {
  if (auto known = run.bound.stringCodes.find(text); known != run.bound.stringCodes.end())
    return known->second;
  std::vector<std::string>& strings = run.strings;
  const auto from = strings.begin() + static_cast<std::ptrdiff_t>(run.bound.strings.size());
  const auto it = std::find(from, strings.end(), text);
  const auto code = static_cast<double>(it - strings.begin());
  if (it == strings.end())
    strings.push_back(text);
  return code;
}

void readFeeds(Run& run) {
  const Plan& plan = run.plan;
  run.feedValues.assign(plan.feeds.size(), {});
  run.feedValid.assign(plan.feeds.size(), {});
  for (size_t k = 0; k < plan.feeds.size(); ++k) {
    const ResultTable& table = run.feedTables.at(k);
    const size_t rows = table.subjects();
    for (const FeedSpec::Read& read : plan.feeds[k].reads) {
      std::vector<double>& values = run.feedValues[k].emplace_back(rows, 0.0);
      std::vector<uint8_t>& valid = run.feedValid[k].emplace_back(rows, 0);
      const bool text = table.columns.at(read.output).kind == ValueType::Text;
      for (size_t row = 0; row < rows; ++row) {
        if (!table.present(read.output, row))
          continue;
        const double value = table.value(read.output, row);
        values[row] = text ? internText(run, table.strings.at(static_cast<size_t>(value))) : value;
        valid[row] = 1;
      }
    }
  }
}

void bindFeeds(Run& run) {
  const Plan& plan = run.plan;
  const size_t subjects = run.subjects;
  for (size_t k = 0; k < plan.feeds.size(); ++k) {
    const FeedSpec& feed = plan.feeds[k];
    for (size_t j = 0; j < feed.reads.size(); ++j) {
      const std::vector<double>& values = run.feedValues[k][j];
      const std::vector<uint8_t>& valid = run.feedValid[k][j];
      const uint32_t target = feed.reads[j].target;
      if (feed.relation == FeedRelation::Members) {
        run.columnValues[target] = values.data();
        run.columnValid[target] = valid.data();
        continue;
      }
      // Same: row s is subject s (the same entity, loaded alike). Parent: the company's one row,
      // or the group of member row s, as the other framework's load grouped them.
      const std::vector<int32_t>& groupOf = run.data.feeds.at(k)->bound.memberGroup;
      const bool company = feed.plan->tables[0].isCompany;
      for (size_t s = 0; s < subjects; ++s) {
        const int64_t row = feed.relation == FeedRelation::Same ? static_cast<int64_t>(s)
                            : company                           ? 0
                                      : (s < groupOf.size() ? groupOf[s] : -1);
        const bool present = row >= 0 && static_cast<size_t>(row) < values.size() &&
                             valid[static_cast<size_t>(row)] != 0;
        run.slotValues[target * subjects + s] = present ? values[static_cast<size_t>(row)] : 0.0;
        run.slotValid[target * subjects + s] = present ? 1 : 0;
      }
    }
  }
}

} // namespace fulcrum::runtime
