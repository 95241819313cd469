// Loading the deals shape: the two entity files, then sales_pipeline.csv parsed in parallel
// parts, each with its own product dictionary, joined in file order.
#include "bench/handwritten/PipelineData.h"

#include "bench/handwritten/Calendar.h"
#include "bench/handwritten/CsvFile.h"
#include "bench/handwritten/FieldReader.h"
#include "bench/handwritten/ParseParts.h"

#include <algorithm>
#include <exception>
#include <fmt/format.h>
#include <thread>

namespace handwritten {

namespace {

// A key column into `index` (row order), failing on an empty or repeated key.
void loadKeys(const std::string& path, std::string_view column, StringIndex& index,
              std::vector<std::string>* keys) {
  CsvFile file(path);
  const size_t key = file.column(column);
  while (file.next()) {
    const std::string_view cell = file.field(key);
    if (cell.empty())
      file.fail(fmt::format("field {} is empty", key + 1));
    const auto expected = static_cast<int32_t>(index.size());
    if (index.intern(cell) != expected)
      file.fail(fmt::format("duplicate {} `{}`", column, cell));
    if (keys)
      keys->emplace_back(cell);
  }
}

// Money as whole units of 1/10,000, exactly: digits with at most four decimals.
int64_t moneyCell(const CsvFile& file, std::string_view cell) {
  int64_t units = 0;
  int decimals = -1;
  for (char c : cell) {
    if (c == '.' && decimals < 0) {
      decimals = 0;
    } else if (c >= '0' && c <= '9' && decimals < 4 && units < INT64_MAX / 100) {
      units = units * 10 + (c - '0');
      if (decimals >= 0)
        ++decimals;
    } else {
      file.fail(fmt::format("`{}` is not an amount of money", cell));
    }
  }
  if (cell.empty() || cell == ".")
    file.fail(fmt::format("`{}` is not an amount of money", cell));
  for (int d = std::max(decimals, 0); d < 4; ++d)
    units *= 10;
  return units;
}

DealStage stageOf(std::string_view text) {
  if (text == "Won")
    return StageWon;
  if (text == "Lost")
    return StageLost;
  if (text == "Engaging")
    return StageEngaging;
  if (text == "Prospecting")
    return StageProspecting;
  return OtherStage;
}

} // namespace

PipelineData loadPipelineData(const std::string& dir, int threads) {
  PipelineData data;
  loadKeys(dir + "/sales_teams.csv", "sales_agent", data.agentIndex, &data.agents);
  loadKeys(dir + "/accounts.csv", "account", data.accountIndex, nullptr);

  CsvFile file(dir + "/sales_pipeline.csv");
  const size_t id = file.column("opportunity_id"), owner = file.column("sales_agent"),
               account = file.column("account"), product = file.column("product"),
               stage = file.column("deal_stage"), engaged = file.column("engage_date"),
               closed = file.column("close_date"), value = file.column("close_value");
  struct Part {
    PipelineDeals rows;
    StringIndex products;
  };
  std::vector<CsvFile> files = file.partition(static_cast<size_t>(std::max(threads, 1)));
  std::vector<Part> parts(files.size());
  parseParts(parts.size(), [&](size_t index) {
    CsvFile& part = files[index];
    PipelineDeals& rows = parts[index].rows;
    FieldReader read(part, parts[index].products);
    const size_t expected = part.estimatedRows();
    for (auto* column : {&rows.owner, &rows.account, &rows.product, &rows.engaged, &rows.closed})
      column->reserve(expected);
    rows.stage.reserve(expected);
    rows.value.reserve(expected);
    rows.valuePresent.reserve(expected);
    while (part.next()) {
      if (part.field(id).empty())
        read.missing(id);
      rows.owner.push_back(read.reference(owner, data.agentIndex, "sales_agent"));
      rows.account.push_back(
          part.field(account).empty() ? -1 : read.reference(account, data.accountIndex, "account"));
      rows.product.push_back(read.text(product));
      if (part.field(stage).empty())
        read.missing(stage);
      rows.stage.push_back(stageOf(part.field(stage)));
      rows.engaged.push_back(read.optionalDay(engaged));
      rows.closed.push_back(read.optionalDay(closed));
      const std::string_view cell = part.field(value);
      rows.value.push_back(cell.empty() ? 0 : moneyCell(part, cell));
      rows.valuePresent.push_back(!cell.empty());
    }
  });
  size_t total = 0;
  for (const Part& part : parts)
    total += part.rows.size();
  PipelineDeals& deals = data.deals;
  auto append = [total](auto& into, const auto& from) {
    into.reserve(total);
    into.insert(into.end(), from.begin(), from.end());
  };
  for (const Part& part : parts) {
    const PipelineDeals& rows = part.rows;
    append(deals.owner, rows.owner);
    append(deals.account, rows.account);
    append(deals.stage, rows.stage);
    append(deals.engaged, rows.engaged);
    append(deals.closed, rows.closed);
    append(deals.value, rows.value);
    append(deals.valuePresent, rows.valuePresent);
    std::vector<int32_t> sharedCode(part.products.size());
    for (size_t code = 0; code < sharedCode.size(); ++code)
      sharedCode[code] = data.products.intern(part.products.key(static_cast<int32_t>(code)));
    deals.product.reserve(total);
    for (int32_t code : rows.product)
      deals.product.push_back(sharedCode[static_cast<size_t>(code)]);
  }
  return data;
}

} // namespace handwritten
