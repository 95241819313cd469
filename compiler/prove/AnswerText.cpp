// Answers as JSON (see AnswerText.h).
#include "compiler/prove/AnswerText.h"

#include <nlohmann/json.hpp>

namespace fulcrum::prove {

namespace {

nlohmann::json valuesAsJson(const std::vector<ShownValue>& values) {
  nlohmann::json json = nlohmann::json::array();
  for (const ShownValue& value : values)
    json.push_back({value.name, value.value});
  return json;
}

std::vector<ShownValue> valuesFromJson(const nlohmann::json& json) {
  std::vector<ShownValue> values;
  for (const nlohmann::json& value : json)
    values.push_back({value.at(0).get<std::string>(), value.at(1).get<std::string>()});
  return values;
}

// An open end is null.
nlohmann::json endAsJson(const std::optional<double>& end) {
  return end ? nlohmann::json(*end) : nlohmann::json(nullptr);
}
std::optional<double> endFromJson(const nlohmann::json& json) {
  return json.is_null() ? std::nullopt : std::optional<double>(json.get<double>());
}

} // namespace

std::string rowsAsText(const std::optional<CounterexampleRows>& rows, const std::string& reason) {
  nlohmann::json json;
  json["reason"] = reason;
  if (rows) {
    json["title"] = rows->title;
    json["testBlock"] = rows->testBlock;
    json["subject"] = rows->subject;
    json["values"] = valuesAsJson(rows->values);
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
  rows.values = valuesFromJson(json.at("values"));
  return rows;
}

std::string proofAsText(const CheckProof& proof) {
  nlohmann::json json;
  json["check"] = proof.check;
  json["gap"] = proof.gap;
  json["gapIntervals"] = nlohmann::json::array();
  for (const GapInterval& interval : proof.gapIntervals)
    json["gapIntervals"].push_back(
        {endAsJson(interval.low), endAsJson(interval.high), interval.lowIn, interval.highIn});
  json["gapStage"] = proof.gapStage;
  json["gapNode"] = proof.gapNode;
  json["member"] = proof.member;
  json["file"] = proof.file;
  json["line"] = proof.line;
  json["column"] = proof.column;
  json["division"] = proof.division;
  json["question"] = static_cast<int>(proof.question);
  json["verdict"] = static_cast<int>(proof.verdict);
  json["reason"] = proof.reason;
  json["milliseconds"] = proof.milliseconds;
  json["counterexample"] = valuesAsJson(proof.counterexample);
  json["testBlock"] = proof.testBlock;
  json["testTitle"] = proof.testTitle;
  json["subject"] = proof.subject;
  return json.dump();
}

CheckProof proofFromText(const std::string& text) {
  const nlohmann::json json = nlohmann::json::parse(text);
  CheckProof proof;
  proof.check = json.at("check").get<std::string>();
  proof.gap = json.at("gap").get<std::string>();
  for (const nlohmann::json& interval : json.at("gapIntervals"))
    proof.gapIntervals.push_back({endFromJson(interval.at(0)), endFromJson(interval.at(1)),
                                  interval.at(2).get<bool>(), interval.at(3).get<bool>()});
  proof.gapStage = json.at("gapStage").get<int32_t>();
  proof.gapNode = json.at("gapNode").get<uint32_t>();
  proof.member = json.at("member").get<std::string>();
  proof.file = json.at("file").get<std::string>();
  proof.line = json.at("line").get<uint32_t>();
  proof.column = json.at("column").get<uint32_t>();
  proof.division = json.at("division").get<int32_t>();
  proof.question = static_cast<Question>(json.at("question").get<int>());
  proof.verdict = static_cast<Verdict>(json.at("verdict").get<int>());
  proof.reason = json.at("reason").get<std::string>();
  proof.milliseconds = json.at("milliseconds").get<double>();
  proof.counterexample = valuesFromJson(json.at("counterexample"));
  proof.testBlock = json.at("testBlock").get<std::string>();
  proof.testTitle = json.at("testTitle").get<std::string>();
  proof.subject = json.at("subject").get<std::string>();
  return proof;
}

} // namespace fulcrum::prove
