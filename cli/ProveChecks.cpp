// The report of `fulcrum check --prove` (see ProveChecks.h).
#include "cli/ProveChecks.h"

#include "cli/CheckReport.h"

#include <cstdio>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace fulcrum::cli {

void ProofReport::add(const std::string& file, const std::string& framework,
                      const std::vector<prove::CheckProof>& proofs,
                      const std::vector<std::pair<uint32_t, uint32_t>>& lines) {
  for (size_t i = 0; i < proofs.size(); ++i) {
    const prove::CheckProof& proof = proofs[i];
    const auto [declaredLine, declaredColumn] =
        i < lines.size() ? lines[i] : std::pair<uint32_t, uint32_t>{};
    switch (proof.verdict) {
    case prove::Verdict::Proved:
      ++proved_;
      break;
    case prove::Verdict::Refuted:
      ++refuted_;
      break;
    case prove::Verdict::Unknown:
      ++unknown_;
      break;
    }
    entries_.push_back({file, framework, proof, declaredLine, declaredColumn});
    if (settings_.json || settings_.sarif)
      continue;
    std::string line = fmt::format("{}: {}: check \"{}\": {}", file, framework, proof.check,
                                   prove::verdictName(proof.verdict));
    if (!proof.reason.empty())
      line += " (" + proof.reason + ")";
    if (settings_.times)
      line += fmt::format(" in {:.0f} ms", proof.milliseconds);
    std::printf("%s\n", line.c_str());
    if (!proof.counterexample.empty()) {
      std::printf("  counterexample, one subject:\n");
      for (const prove::ShownValue& value : proof.counterexample)
        std::printf("    %s = %s\n", value.name.c_str(), value.value.c_str());
    }
    if (!proof.testBlock.empty()) {
      std::printf("  %s:\n", proof.reason.empty()
                                 ? "as a test, run on both engines (paste it after the framework)"
                                 : "as a test (not reproduced)");
      std::fputs(proof.testBlock.c_str(), stdout);
    }
  }
}

// The rules of check --prove's SARIF results, indexed by ruleIndex.
nlohmann::ordered_json proveRules() {
  return nlohmann::ordered_json::array(
      {{{"id", "ProveRefuted"},
        {"shortDescription",
         {{"text", "a check that some possible data breaks (check --prove), with a "
                   "counterexample"}}},
        {"defaultConfiguration", {{"level", "error"}}}},
       {{"id", "ProveUnknown"},
        {"shortDescription",
         {{"text", "a check that check --prove could neither prove nor refute"}}},
        {"defaultConfiguration", {{"level", "warning"}}}}});
}

void ProofReport::finishSarif() const {
  nlohmann::ordered_json results = nlohmann::ordered_json::array();
  for (const Entry& entry : entries_) {
    const prove::CheckProof& proof = entry.proof;
    if (proof.verdict == prove::Verdict::Proved)
      continue;
    const bool refuted = proof.verdict == prove::Verdict::Refuted;
    std::string message = fmt::format("{}: check \"{}\": {}", entry.framework, proof.check,
                                      prove::verdictName(proof.verdict));
    if (!proof.reason.empty())
      message += " (" + proof.reason + ")";
    for (const prove::ShownValue& value : proof.counterexample)
      message += fmt::format("\n{} = {}", value.name, value.value);
    if (!proof.testBlock.empty())
      message += "\n" + proof.testBlock;
    results.push_back({{"ruleId", refuted ? "ProveRefuted" : "ProveUnknown"},
                       {"ruleIndex", refuted ? 0 : 1},
                       {"level", refuted ? "error" : "warning"},
                       {"message", {{"text", message}}},
                       {"locations", nlohmann::ordered_json::array(
                                         {sarifLocation(entry.file, entry.line, entry.column)})}});
  }
  std::fputs(sarifLog(proveRules(), results).c_str(), stdout);
}

void ProofReport::finish() {
  if (settings_.sarif) {
    finishSarif();
    return;
  }
  if (settings_.json) {
    nlohmann::ordered_json all = nlohmann::ordered_json::array();
    for (const Entry& entry : entries_) {
      nlohmann::ordered_json item;
      item["file"] = entry.file;
      item["framework"] = entry.framework;
      item["check"] = entry.proof.check;
      item["verdict"] = prove::verdictName(entry.proof.verdict);
      if (!entry.proof.reason.empty())
        item["reason"] = entry.proof.reason;
      if (settings_.times)
        item["milliseconds"] = entry.proof.milliseconds;
      if (!entry.proof.counterexample.empty()) {
        nlohmann::ordered_json values = nlohmann::ordered_json::object();
        for (const prove::ShownValue& value : entry.proof.counterexample)
          values[value.name] = value.value;
        item["counterexample"] = values;
      }
      if (!entry.proof.testBlock.empty()) {
        item["test"] = entry.proof.testBlock;
        item["confirmed"] = entry.proof.reason.empty();
      }
      all.push_back(item);
    }
    std::printf("%s\n", all.dump(2).c_str());
    return;
  }
  const size_t checks = proved_ + refuted_ + unknown_;
  std::printf("%zu check%s: %zu proved, %zu refuted, %zu unknown\n", checks, checks == 1 ? "" : "s",
              proved_, refuted_, unknown_);
}

} // namespace fulcrum::cli
