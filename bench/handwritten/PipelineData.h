// The deals shape (bench/frameworks/deals.fulcrum, `fulcrum-gen --pipeline N`) as columns: the
// agents and accounts as key indexes, and sales_pipeline.csv's rows with the owner as an agent
// index, the stage as a small code, the product as a text code, dates as day numbers (kNoDay
// when empty) and the close value as int64 units of 1/10,000 (language.md, "Money is exact").
#pragma once

#include "bench/handwritten/StringIndex.h"

#include <cstdint>
#include <string>
#include <vector>

namespace handwritten {

// The stages the framework names, as dense codes; any other stage is OtherStage.
enum DealStage : uint8_t { StageWon, StageLost, StageEngaging, StageProspecting, OtherStage };

struct PipelineDeals {
  std::vector<int32_t> owner;   // agent row
  std::vector<int32_t> account; // account row, -1 when empty (validated, not read)
  std::vector<uint8_t> stage;   // DealStage
  std::vector<int32_t> product; // code in PipelineData::products
  std::vector<int32_t> engaged, closed;
  std::vector<int64_t> value; // units; 0 when empty
  std::vector<uint8_t> valuePresent;
  size_t size() const { return owner.size(); }
};

struct PipelineData {
  std::vector<std::string> agents; // the rep key (sales_agent), printed as the result's `id`
  StringIndex agentIndex, accountIndex;
  StringIndex products; // the product texts met, as codes
  PipelineDeals deals;
};

// Reads DIR/sales_teams.csv, accounts.csv and sales_pipeline.csv (the deals in `threads`
// line-aligned parts); throws LoadError naming the file and line of a bad cell or reference.
PipelineData loadPipelineData(const std::string& dir, int threads);

} // namespace handwritten
