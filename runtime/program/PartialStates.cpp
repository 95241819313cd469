// A subject's aggregate state as a partial ships it, and its merge (PartialStates.h).
#include "runtime/program/PartialStates.h"

#include "runtime/exec/AggregateTraits.h"

#include <bit>
#include <cstdint>
#include <fmt/format.h>

namespace fulcrum::runtime {

namespace {

using Ordered = FirstAggregate; // first and last keep their value at the same places

nlohmann::json bitsOf(double value) {
  return std::bit_cast<uint64_t>(value);
}

bool readBits(const nlohmann::json& json, double& value) {
  if (!json.is_number_unsigned())
    return false;
  value = std::bit_cast<double>(json.get<uint64_t>());
  return true;
}

// Whether node `key` of `scan` is a text's place in the run's order of texts (`order by` a text,
// ascending or descending): a number that means nothing in another process.
bool ordersByText(const ScanKernel& scan, int32_t key) {
  if (key < 0)
    return false;
  const PNode& node = scan.nodes[static_cast<size_t>(key)];
  if (node.op == POp::Neg)
    return scan.nodes[node.a].op == POp::TextOrder;
  return node.op == POp::TextOrder;
}

bool orderedWithText(const AggregateUpdate& update) {
  return update.textValue && aggregateInfo(update.kind).clause == AggregateClause::OrderBy;
}

} // namespace

RunTexts::RunTexts(std::vector<std::string>& strings) : strings_(strings) {
  for (size_t i = 0; i < strings_.size(); ++i)
    codes_.emplace(strings_[i], static_cast<int32_t>(i));
}

int32_t RunTexts::code(const std::string& text) {
  const auto [it, added] = codes_.emplace(text, static_cast<int32_t>(strings_.size()));
  if (added)
    strings_.push_back(text);
  return it->second;
}

std::string wholeSubjectRows(const ScanKernel& scan, const AggregateUpdate& update) {
  if (scan.pass > 0)
    return "an aggregate over it reads another aggregate of the same subject (a second pass "
           "over the subject's rows)";
  if (ordersByText(scan, update.orderKey))
    return fmt::format("`{}` orders by a text (whose order each process knows only among its "
                       "own texts)",
                       aggregateSpelling(update.kind));
  return "";
}

nlohmann::json partialState(const Run& run, const AggregateUpdate& update, size_t s) {
  const size_t at = update.aggregate * run.subjects + s;
  if (aggregateInfo(update.kind).keepsValues()) {
    nlohmann::json values = nlohmann::json::array();
    for (const double value : run.collected.values(update.aggregate, s)) {
      if (update.textValue)
        values.push_back(run.strings.at(static_cast<size_t>(value)));
      else
        values.push_back(bitsOf(value));
    }
    return {{"values", std::move(values)}};
  }
  const double* block = &run.accumulators[at * kAccumulatorWidth];
  nlohmann::json acc = nlohmann::json::array();
  for (int k = 0; k < aggregateInfo(update.kind).width; ++k)
    acc.push_back(bitsOf(block[k]));
  nlohmann::json state = {{"acc", std::move(acc)}};
  const std::span<const double> escaped = run.collected.escaped(update.aggregate, s);
  if (!escaped.empty()) {
    nlohmann::json bits = nlohmann::json::array();
    for (const double value : escaped)
      bits.push_back(bitsOf(value));
    state["escaped"] = std::move(bits);
  }
  if (orderedWithText(update) && block[Ordered::kValueValid] != 0)
    state["text"] = run.strings.at(static_cast<size_t>(block[Ordered::kValue]));
  return state;
}

std::string mergePartialState(Run& run, RunTexts& texts, const AggregateUpdate& update, size_t s,
                              const nlohmann::json& state) {
  const AggregateInfo& info = aggregateInfo(update.kind);
  if (!state.is_object())
    return "a state that is not an object";
  if (info.keepsValues()) {
    const nlohmann::json& values = state.value("values", nlohmann::json());
    if (!values.is_array())
      return fmt::format("{} without its values", aggregateSpelling(update.kind));
    for (const nlohmann::json& entry : values) {
      double value = 0;
      if (update.textValue) {
        if (!entry.is_string())
          return fmt::format("{} where a text was expected", entry.dump());
        value = texts.code(entry.get<std::string>());
      } else if (!readBits(entry, value)) {
        return fmt::format("{} where a value's bits were expected", entry.dump());
      }
      run.collected.add(update.aggregate, static_cast<int64_t>(s), value);
    }
    return "";
  }
  const nlohmann::json& acc = state.value("acc", nlohmann::json());
  if (!acc.is_array() || acc.size() != static_cast<size_t>(info.width))
    return fmt::format("{} without its block of {} values", aggregateSpelling(update.kind),
                       info.width);
  double part[kAccumulatorWidth] = {};
  for (int k = 0; k < info.width; ++k)
    if (!readBits(acc[static_cast<size_t>(k)], part[k]))
      return fmt::format("{} where a value's bits were expected",
                         acc[static_cast<size_t>(k)].dump());
  if (orderedWithText(update) && part[Ordered::kValueValid] != 0) {
    const nlohmann::json& text = state.value("text", nlohmann::json());
    if (!text.is_string())
      return fmt::format("{} of a text without its text", aggregateSpelling(update.kind));
    part[Ordered::kValue] = texts.code(text.get<std::string>());
  }
  for (const nlohmann::json& entry : state.value("escaped", nlohmann::json::array())) {
    double value = 0;
    if (!readBits(entry, value))
      return fmt::format("{} where an escaped value's bits were expected", entry.dump());
    run.collected.addEscaped(update.aggregate, static_cast<int64_t>(s), value);
  }
  const size_t at = update.aggregate * run.subjects + s;
  mergeAggregate(update.kind, &run.accumulators[at * kAccumulatorWidth], part);
  return "";
}

} // namespace fulcrum::runtime
