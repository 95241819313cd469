// The report of `fulcrum check --prove` (see ProveChecks.h).
#include "cli/ProveChecks.h"

#include "cli/CheckReport.h"

#include <cstdio>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace fulcrum::cli {

// What an answer is about, as the text and SARIF reports name it.
static std::string subjectOf(const prove::CheckProof& proof) {
  switch (proof.question) {
  case prove::Question::ComponentRange:
    return fmt::format("component \"{}\" in [0, 1]", proof.check);
  case prove::Question::BandTotal:
    return fmt::format("band \"{}\" total", proof.check);
  case prove::Question::DivisionByZero:
    return fmt::format("division \"{}\" of \"{}\" (line {}, column {}) never by zero", proof.check,
                       proof.member, proof.line, proof.column);
  case prove::Question::Check:
    break;
  }
  return fmt::format("check \"{}\"", proof.check);
}

// The heading of a refutation's test block: confirmed, or which way its run failed
// (testing::runAppendedTest's reasons).
static const char* testBlockLabel(const std::string& reason) {
  if (reason.empty())
    return "as a test, run on both engines (paste it after the framework)";
  if (reason.find("does not compile") != std::string::npos)
    return "as a test (it does not compile)";
  if (reason.find("do not load") != std::string::npos)
    return "as a test (its rows do not load)";
  return "as a test (not reproduced)";
}

void ProofReport::add(const std::string& framework, const std::vector<prove::CheckProof>& proofs,
                      const std::vector<DeclaredAt>& declared) {
  for (size_t i = 0; i < proofs.size(); ++i) {
    const prove::CheckProof& proof = proofs[i];
    const DeclaredAt at = i < declared.size() ? declared[i] : DeclaredAt{};
    const std::string& file = at.file;
    // A component's answers are counted apart: they change no exit status.
    Counts& counts = countsOf(proof.question);
    switch (proof.verdict) {
    case prove::Verdict::Proved:
      ++counts.proved;
      break;
    case prove::Verdict::Refuted:
      ++counts.refuted;
      break;
    case prove::Verdict::Unknown:
      ++counts.unknown;
      break;
    }
    entries_.push_back({framework, proof, at});
    if (settings_.json || settings_.sarif)
      continue;
    std::string line = fmt::format("{}: {}: {}: {}", file, framework, subjectOf(proof),
                                   prove::verdictName(proof.verdict));
    if (!proof.reason.empty())
      line += " (" + proof.reason + ")";
    if (settings_.times)
      line += fmt::format(" in {:.0f} ms", proof.milliseconds);
    std::printf("%s\n", line.c_str());
    if (!proof.gap.empty())
      std::printf("  no arm takes %s, so %s is missing\n", proof.gap.c_str(), proof.check.c_str());
    if (!proof.counterexample.empty()) {
      // An unknown check's values are the solver's, which no run of rows confirmed.
      std::printf(proof.verdict == prove::Verdict::Unknown
                      ? "  the solver's counterexample (unconfirmed), one subject:\n"
                      : "  counterexample, one subject:\n");
      for (const prove::ShownValue& value : proof.counterexample)
        std::printf("    %s = %s\n", value.name.c_str(), value.value.c_str());
    }
    if (!proof.testBlock.empty()) {
      std::printf("  %s:\n", testBlockLabel(proof.reason));
      std::fputs(proof.testBlock.c_str(), stdout);
    }
  }
}

// The rules of check --prove's SARIF results, indexed by ruleIndex.
static nlohmann::ordered_json proveRules() {
  return nlohmann::ordered_json::array(
      {{{"id", "ProveRefuted"},
        {"shortDescription",
         {{"text", "a check that some possible data breaks (check --prove), with a "
                   "counterexample"}}},
        {"defaultConfiguration", {{"level", "error"}}}},
       {{"id", "ProveUnknown"},
        {"shortDescription",
         {{"text", "a check that check --prove could neither prove nor refute"}}},
        {"defaultConfiguration", {{"level", "warning"}}}},
       {{"id", "ProveComponentRange"},
        {"shortDescription",
         {{"text", "a score component whose value before clamping can leave [0, 1] (check "
                   "--prove): clamping would change it silently"}}},
        {"defaultConfiguration", {{"level", "warning"}}}},
       {{"id", "ProveBandGap"},
        {"shortDescription",
         {{"text", "a band without `else` that some input leaves to no arm (check --prove): "
                   "the band is then missing"}}},
        {"defaultConfiguration", {{"level", "warning"}}}},
       {{"id", "ProveDivisionByZero"},
        {"shortDescription",
         {{"text", "a division whose divisor can be 0 (check --prove), leaving a member not "
                   "declared `?` missing"}}},
        {"defaultConfiguration", {{"level", "warning"}}}}});
}

// A result's rule (its index in proveRules) and level: a refuted check is an error (exit 1); a
// component that can leave [0, 1] is a warning (no exit status), as is an unknown answer.
static std::pair<std::string, int> proveRule(const prove::CheckProof& proof) {
  if (proof.verdict == prove::Verdict::Unknown)
    return {"ProveUnknown", 1};
  switch (proof.question) {
  case prove::Question::ComponentRange:
    return {"ProveComponentRange", 2};
  case prove::Question::BandTotal:
    return {"ProveBandGap", 3};
  case prove::Question::DivisionByZero:
    return {"ProveDivisionByZero", 4};
  case prove::Question::Check:
    break;
  }
  return {"ProveRefuted", 0};
}

void ProofReport::finishSarif() const {
  nlohmann::ordered_json results = nlohmann::ordered_json::array();
  for (const Entry& entry : entries_) {
    const prove::CheckProof& proof = entry.proof;
    if (proof.verdict == prove::Verdict::Proved)
      continue;
    const auto [rule, ruleIndex] = proveRule(proof);
    std::string message = fmt::format("{}: {}: {}", entry.framework, subjectOf(proof),
                                      prove::verdictName(proof.verdict));
    if (!proof.reason.empty())
      message += " (" + proof.reason + ")";
    if (!proof.gap.empty())
      message += "\nno arm takes " + proof.gap;
    for (const prove::ShownValue& value : proof.counterexample)
      message += fmt::format("\n{} = {}", value.name, value.value);
    if (!proof.testBlock.empty())
      message += "\n" + proof.testBlock;
    results.push_back({{"ruleId", rule},
                       {"ruleIndex", ruleIndex},
                       {"level", ruleIndex == 0 ? "error" : "warning"},
                       {"message", {{"text", message}}},
                       {"locations", nlohmann::ordered_json::array({sarifLocation(
                                         entry.at.file, entry.at.line, entry.at.column)})}});
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
      item["file"] = entry.at.file;
      item["framework"] = entry.framework;
      switch (entry.proof.question) {
      case prove::Question::ComponentRange:
        item["question"] = "component_range";
        item["component"] = entry.proof.check;
        break;
      case prove::Question::BandTotal:
        item["question"] = "band_total";
        item["band"] = entry.proof.check;
        if (!entry.proof.gap.empty())
          item["gap"] = entry.proof.gap;
        break;
      case prove::Question::DivisionByZero:
        item["question"] = "division_by_zero";
        item["division"] = entry.proof.check;
        item["member"] = entry.proof.member;
        item["line"] = entry.proof.line;
        item["column"] = entry.proof.column;
        break;
      case prove::Question::Check:
        item["question"] = "check";
        item["check"] = entry.proof.check;
        break;
      }
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
  const size_t checks = checks_.proved + checks_.refuted + checks_.unknown;
  std::printf("%zu check%s: %zu proved, %zu refuted, %zu unknown\n", checks, checks == 1 ? "" : "s",
              checks_.proved, checks_.refuted, checks_.unknown);
  const size_t components = components_.proved + components_.refuted + components_.unknown;
  if (components > 0)
    std::printf("%zu score component%s: %zu stay in [0, 1], %zu may leave it, %zu unknown\n",
                components, components == 1 ? "" : "s", components_.proved, components_.refuted,
                components_.unknown);
  const size_t bands = bands_.proved + bands_.refuted + bands_.unknown;
  if (bands > 0)
    std::printf("%zu band%s: %zu total, %zu with a gap, %zu unknown\n", bands,
                bands == 1 ? "" : "s", bands_.proved, bands_.refuted, bands_.unknown);
  const size_t divisions = divisions_.proved + divisions_.refuted + divisions_.unknown;
  if (divisions > 0)
    std::printf("%zu division%s: %zu never by zero, %zu may be, %zu unknown\n", divisions,
                divisions == 1 ? "" : "s", divisions_.proved, divisions_.refuted,
                divisions_.unknown);
}

ProofReport::Counts& ProofReport::countsOf(prove::Question question) {
  switch (question) {
  case prove::Question::ComponentRange:
    return components_;
  case prove::Question::BandTotal:
    return bands_;
  case prove::Question::DivisionByZero:
    return divisions_;
  case prove::Question::Check:
    break;
  }
  return checks_;
}

} // namespace fulcrum::cli
