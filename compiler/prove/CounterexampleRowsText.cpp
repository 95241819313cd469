// A rows search's answer as JSON (nlohmann-json), the form it crosses from the search's child
// process in.
#include "compiler/prove/CounterexampleRows.h"

#include <nlohmann/json.hpp>

namespace fulcrum::prove {

std::string rowsAsText(const std::optional<CounterexampleRows>& rows, const std::string& reason) {
  nlohmann::json json;
  json["reason"] = reason;
  if (rows) {
    json["title"] = rows->title;
    json["testBlock"] = rows->testBlock;
    json["subject"] = rows->subject;
    json["values"] = nlohmann::json::array();
    for (const ShownValue& value : rows->values)
      json["values"].push_back({value.name, value.value});
  }
  return json.dump();
}

std::optional<CounterexampleRows> rowsFromText(const std::string& text, std::string& reason) {
  const nlohmann::json json = nlohmann::json::parse(text);
  reason = json.at("reason").get<std::string>();
  if (!json.contains("testBlock"))
    return std::nullopt;
  CounterexampleRows rows;
  rows.title = json.at("title").get<std::string>();
  rows.testBlock = json.at("testBlock").get<std::string>();
  rows.subject = json.at("subject").get<std::string>();
  for (const nlohmann::json& value : json.at("values"))
    rows.values.push_back({value.at(0).get<std::string>(), value.at(1).get<std::string>()});
  return rows;
}

} // namespace fulcrum::prove
