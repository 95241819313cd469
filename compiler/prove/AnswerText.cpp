// Answers as JSON (see AnswerText.h).
#include "compiler/prove/AnswerText.h"

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

std::string proofAsText(const CheckProof& proof) {
  nlohmann::json json;
  json["check"] = proof.check;
  json["gap"] = proof.gap;
  json["member"] = proof.member;
  json["file"] = proof.file;
  json["line"] = proof.line;
  json["column"] = proof.column;
  json["division"] = proof.division;
  json["question"] = static_cast<int>(proof.question);
  json["verdict"] = static_cast<int>(proof.verdict);
  json["reason"] = proof.reason;
  json["milliseconds"] = proof.milliseconds;
  json["counterexample"] = nlohmann::json::array();
  for (const ShownValue& value : proof.counterexample)
    json["counterexample"].push_back({value.name, value.value});
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
  proof.member = json.at("member").get<std::string>();
  proof.file = json.at("file").get<std::string>();
  proof.line = json.at("line").get<uint32_t>();
  proof.column = json.at("column").get<uint32_t>();
  proof.division = json.at("division").get<int32_t>();
  proof.question = static_cast<Question>(json.at("question").get<int>());
  proof.verdict = static_cast<Verdict>(json.at("verdict").get<int>());
  proof.reason = json.at("reason").get<std::string>();
  proof.milliseconds = json.at("milliseconds").get<double>();
  for (const nlohmann::json& value : json.at("counterexample"))
    proof.counterexample.push_back(
        {value.at(0).get<std::string>(), value.at(1).get<std::string>()});
  proof.testBlock = json.at("testBlock").get<std::string>();
  proof.testTitle = json.at("testTitle").get<std::string>();
  proof.subject = json.at("subject").get<std::string>();
  return proof;
}

} // namespace fulcrum::prove
