// Loading the benchmark tables: one pass per file, fields parsed straight into columns.
#include "bench/handwritten/Dataset.h"

#include "bench/handwritten/Calendar.h"
#include "bench/handwritten/CsvFile.h"
#include "bench/handwritten/FieldReader.h"
#include "bench/handwritten/Maybe.h"
#include "bench/handwritten/ParseParts.h"

#include <algorithm>
#include <exception>
#include <fmt/format.h>
#include <thread>

namespace handwritten {

namespace {

// One loader a table. They go through the same steps (open, find the columns, read each line)
// but what each reads, of which type and into which columns is the table's own.
void loadReps(const std::string& path, Dataset& data, StringIndex& repIndex) {
  CsvFile file(path);
  FieldReader read(file, data.text);
  const size_t id = file.column("rep_id"), team = file.column("team"),
               hired = file.column("hire_date");
  Reps& reps = data.reps;
  while (file.next()) {
    const std::string_view key = file.field(id);
    if (key.empty())
      read.missing(id);
    if (repIndex.intern(key) != static_cast<int32_t>(reps.ids.size()))
      file.fail(fmt::format("duplicate rep_id `{}`", key));
    reps.ids.emplace_back(key);
    reps.team.push_back(read.text(team));
    reps.hired.push_back(read.day(hired));
  }
}

void loadDeals(const std::string& path, Dataset& data, const StringIndex& repIndex) {
  CsvFile file(path);
  FieldReader read(file, data.text);
  const size_t owner = file.column("owner"), stage = file.column("stage"),
               closed = file.column("closed"), value = file.column("value");
  Deals& deals = data.deals;
  while (file.next()) {
    deals.owner.push_back(read.rep(owner, repIndex));
    deals.stage.push_back(read.text(stage));
    deals.closed.push_back(read.optionalDay(closed));
    const bool present = !file.field(value).empty();
    deals.value.push_back(present ? moneyUnits(read.number(value)) : 0);
    deals.valuePresent.push_back(present);
  }
}

// The big table, parsed in `threads` line-aligned parts at once. Each part has its own text
// dictionary; its codes are mapped to the shared one as the parts are joined in file order.
void loadActivities(const std::string& path, Dataset& data, const StringIndex& repIndex,
                    int threads) {
  CsvFile file(path);
  const size_t rep = file.column("rep"), day = file.column("day"), kind = file.column("kind");
  struct Part {
    Activities rows;
    StringIndex kinds;
  };
  std::vector<CsvFile> files = file.partition(static_cast<size_t>(std::max(threads, 1)));
  std::vector<Part> parts(files.size());
  parseParts(parts.size(), [&](size_t index) {
    CsvFile& part = files[index];
    Activities& rows = parts[index].rows;
    FieldReader read(part, parts[index].kinds);
    const size_t expected = part.estimatedRows();
    rows.rep.reserve(expected);
    rows.day.reserve(expected);
    rows.kind.reserve(expected);
    while (part.next()) {
      rows.rep.push_back(read.rep(rep, repIndex));
      rows.day.push_back(read.day(day));
      rows.kind.push_back(read.text(kind));
    }
  });
  Activities& activities = data.activities;
  size_t total = 0;
  for (const Part& part : parts)
    total += part.rows.size();
  activities.rep.reserve(total);
  activities.day.reserve(total);
  activities.kind.reserve(total);
  for (const Part& part : parts) {
    std::vector<int32_t> sharedCode(part.kinds.size());
    for (size_t code = 0; code < sharedCode.size(); ++code)
      sharedCode[code] = data.text.intern(part.kinds.key(static_cast<int32_t>(code)));
    activities.rep.insert(activities.rep.end(), part.rows.rep.begin(), part.rows.rep.end());
    activities.day.insert(activities.day.end(), part.rows.day.begin(), part.rows.day.end());
    for (int32_t code : part.rows.kind)
      activities.kind.push_back(sharedCode[static_cast<size_t>(code)]);
  }
}

void loadRatings(const std::string& path, Dataset& data, const StringIndex& repIndex) {
  CsvFile file(path);
  FieldReader read(file, data.text);
  const size_t rep = file.column("rep"), quarter = file.column("quarter"),
               leadership = file.column("leadership"), leverage = file.column("leverage");
  Ratings& ratings = data.ratings;
  while (file.next()) {
    ratings.rep.push_back(read.rep(rep, repIndex));
    ratings.quarter.push_back(read.period(quarter));
    ratings.leadership.push_back(read.number(leadership));
    ratings.leverage.push_back(read.number(leverage));
  }
}

void loadQuotas(const std::string& path, Dataset& data, const StringIndex& repIndex) {
  CsvFile file(path);
  FieldReader read(file, data.text);
  const size_t rep = file.column("rep"), quarter = file.column("quarter"),
               quota = file.column("quota");
  Quotas& quotas = data.quotas;
  while (file.next()) {
    quotas.rep.push_back(read.rep(rep, repIndex));
    quotas.quarter.push_back(read.period(quarter));
    quotas.quota.push_back(moneyUnits(read.number(quota)));
  }
}

} // namespace

Dataset loadDataset(const std::string& dir, int threads) {
  Dataset data;
  StringIndex repIndex;
  loadReps(dir + "/reps.csv", data, repIndex);
  loadDeals(dir + "/deals.csv", data, repIndex);
  loadActivities(dir + "/activities.csv", data, repIndex, threads);
  loadRatings(dir + "/ratings.csv", data, repIndex);
  loadQuotas(dir + "/quotas.csv", data, repIndex);
  return data;
}

} // namespace handwritten
