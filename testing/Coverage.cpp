// Test coverage (see Coverage.h).
#include "testing/Coverage.h"

#include "compiler/driver/Compilation.h"

#include <algorithm>
#include <filesystem>
#include <fmt/format.h>
#include <tuple>

namespace fulcrum::testing {

namespace {

using runtime::Probe;
using runtime::ProbeKind;

// Aggregates have no item of their own: they are part of the metric they are written in.
const char* kindOf(const Probe& probe) {
  return probe.kind == ProbeKind::Aggregate ? nullptr : runtime::probeKindName(probe.kind);
}

// Whether `file` is in the standard library's folder: what is written there (the `grade` of
// stdlib/okr, inlined into each objective) is not the user's to cover.
bool inStandardLibrary(const std::string& file) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const fs::path dir = fs::weakly_canonical(stdlibDirectory(), ec); // FULCRUM_STDLIB may move it
  const fs::path path = fs::weakly_canonical(file, ec);
  const auto [end, _] = std::mismatch(dir.begin(), dir.end(), path.begin(), path.end());
  return !dir.empty() && end == dir.end();
}

std::string percentOf(size_t covered, size_t total) {
  return total == 0 ? "100%"
                    : fmt::format("{:.1f}%", 100.0 * static_cast<double>(covered) /
                                                 static_cast<double>(total));
}

} // namespace

void Coverage::addPlan(const std::string& file, const runtime::Plan& plan) {
  const auto [entry, added] = itemOf_.try_emplace({file, plan.frameworkName});
  if (!added)
    return;
  std::vector<int>& itemOf = entry->second;
  // An arm names the member that holds it: `band outcome`, `metric win_rate`.
  std::map<std::string, std::string> memberKinds;
  for (const Probe& probe : plan.probes)
    if (probe.kind != ProbeKind::Arm && probe.kind != ProbeKind::Aggregate &&
        probe.kind != ProbeKind::Component)
      memberKinds.emplace(probe.member, kindOf(probe));
  for (const Probe& probe : plan.probes) {
    const char* kind = kindOf(probe);
    if (kind == nullptr || inStandardLibrary(probe.at.file)) {
      itemOf.push_back(-1);
      continue;
    }
    Item item{probe.at.file,
              probe.at.line,
              probe.at.column,
              plan.frameworkName,
              kind,
              probe.member,
              {},
              false,
              false,
              false};
    switch (probe.kind) {
    case ProbeKind::Check:
      item.what = fmt::format("check \"{}\"", probe.member);
      break;
    case ProbeKind::Component:
      item.what = fmt::format("score {} component {}", probe.member, probe.name);
      break;
    case ProbeKind::Alert:
      item.what = fmt::format("alert {}", probe.name);
      break;
    case ProbeKind::Arm: {
      const auto holder = memberKinds.find(probe.member);
      const std::string member =
          holder == memberKinds.end()
              ? probe.member
              : (holder->second == "check" ? fmt::format("check \"{}\"", probe.member)
                                           : holder->second + " " + probe.member);
      item.what = fmt::format("{} arm `{} => {}`", member, probe.at.text, probe.name);
      break;
    }
    default:
      item.what = fmt::format("{} {}", kind, probe.member);
      break;
    }
    itemOf.push_back(static_cast<int>(items_.size()));
    items_.push_back(std::move(item));
  }
}

void Coverage::addRun(const std::string& file, const runtime::Plan& plan,
                      const runtime::RunResult& result) {
  addPlan(file, plan);
  const std::vector<int>& itemOf = itemOf_.at({file, plan.frameworkName});
  for (const runtime::SubjectTrace& trace : result.traces) {
    const std::vector<runtime::ArmOutcome> arms = runtime::armOutcomes(plan, trace);
    for (size_t i = 0; i < plan.probes.size(); ++i) {
      if (itemOf[i] < 0)
        continue;
      const Probe& probe = plan.probes[i];
      Item& item = items_[static_cast<size_t>(itemOf[i])];
      switch (probe.kind) {
      case ProbeKind::Arm:
        item.covered = item.covered || arms[i] == runtime::ArmOutcome::Taken;
        break;
      case ProbeKind::Alert:
        break; // below: fired
      default: {
        const runtime::NodeValue& value = trace.slots.at(static_cast<size_t>(probe.slot));
        item.covered = item.covered || value.valid;
        if (probe.kind == ProbeKind::Check && value.valid) {
          item.held = item.held || value.value != 0;
          item.violated = item.violated || value.value == 0;
        }
        break;
      }
      }
    }
  }
  for (size_t i = 0; i < plan.probes.size(); ++i)
    if (itemOf[i] >= 0 && plan.probes[i].kind == ProbeKind::Alert)
      for (const runtime::AlertRecord& alert : result.alerts)
        if (alert.alert == plan.probes[i].name)
          items_[static_cast<size_t>(itemOf[i])].covered = true;
}

void Coverage::addFileWithErrors(const std::string& file) {
  filesWithErrors_.push_back(file);
}

std::vector<Coverage::Item> Coverage::sorted() const {
  std::vector<Item> items = items_;
  std::stable_sort(items.begin(), items.end(), [](const Item& a, const Item& b) {
    return std::tie(a.file, a.line, a.column) < std::tie(b.file, b.line, b.column);
  });
  // One item per place and meaning (an `if` in a function inlined twice in one member): covered
  // when any of its copies was, with every outcome any copy saw.
  std::vector<Item> merged;
  for (Item& item : items) {
    if (!merged.empty()) {
      Item& last = merged.back();
      if (std::tie(last.file, last.line, last.column, last.framework, last.what) ==
          std::tie(item.file, item.line, item.column, item.framework, item.what)) {
        last.covered = last.covered || item.covered;
        last.held = last.held || item.held;
        last.violated = last.violated || item.violated;
        continue;
      }
    }
    merged.push_back(std::move(item));
  }
  items = std::move(merged);
  return items;
}

std::string Coverage::text() const {
  const std::vector<Item> items = sorted();
  std::string out = "coverage:\n";
  size_t covered = 0, fileCovered = 0, fileTotal = 0;
  for (size_t i = 0; i < items.size(); ++i) {
    const Item& item = items[i];
    std::string what = item.what;
    if (item.kind == "check" && item.covered)
      what += item.held && item.violated ? " (held, violated)"
              : item.held                ? " (held)"
                                         : " (violated)";
    out += fmt::format("{}:{}:{}  {}  {}\n", item.file, item.line, item.column,
                       item.covered ? "covered" : "MISSED ", what);
    covered += item.covered;
    fileCovered += item.covered;
    ++fileTotal;
    if (i + 1 == items.size() || items[i + 1].file != item.file) {
      out += fmt::format("{}: {} of {} covered ({})\n", item.file, fileCovered, fileTotal,
                         percentOf(fileCovered, fileTotal));
      fileCovered = fileTotal = 0;
    }
  }
  for (const std::string& file : filesWithErrors_)
    out += fmt::format("{}: has errors, nothing covered\n", file);
  out += fmt::format("total: {} of {} covered", covered, items.size());
  if (!items.empty() || filesWithErrors_.empty())
    out += fmt::format(" ({})", percentOf(covered, items.size()));
  if (!filesWithErrors_.empty())
    out += fmt::format(", {} file{} with errors", filesWithErrors_.size(),
                       filesWithErrors_.size() == 1 ? "" : "s");
  return out + "\n";
}

nlohmann::ordered_json Coverage::json() const {
  using Json = nlohmann::ordered_json;
  const std::vector<Item> items = sorted();
  Json files = Json::array();
  size_t covered = 0;
  for (const Item& item : items) {
    if (files.empty() || files.back()["file"] != item.file)
      files.push_back(
          {{"file", item.file}, {"covered", 0}, {"total", 0}, {"items", Json::array()}});
    Json& file = files.back();
    Json entry = {{"line", item.line},      {"column", item.column}, {"framework", item.framework},
                  {"kind", item.kind},      {"member", item.member}, {"what", item.what},
                  {"covered", item.covered}};
    if (item.kind == "check") {
      Json outcomes = Json::array();
      if (item.held)
        outcomes.push_back("held");
      if (item.violated)
        outcomes.push_back("violated");
      entry["outcomes"] = std::move(outcomes);
    }
    file["items"].push_back(std::move(entry));
    file["covered"] = file["covered"].get<size_t>() + (item.covered ? 1 : 0);
    file["total"] = file["total"].get<size_t>() + 1;
    covered += item.covered;
  }
  for (const std::string& file : filesWithErrors_)
    files.push_back(
        {{"file", file}, {"errors", true}, {"covered", 0}, {"total", 0}, {"items", Json::array()}});
  return {{"covered", covered},
          {"total", items.size()},
          {"files_with_errors", filesWithErrors_.size()},
          {"files", std::move(files)}};
}

} // namespace fulcrum::testing
