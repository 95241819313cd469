// Test coverage (see Coverage.h).
#include "cli/Coverage.h"

#include <algorithm>
#include <fmt/format.h>
#include <tuple>

namespace fulcrum::cli {

namespace {

using runtime::Probe;
using runtime::ProbeKind;

const char* kindOf(const Probe& probe) {
  switch (probe.kind) {
  case ProbeKind::Metric:
    return "metric";
  case ProbeKind::Score:
    return "score";
  case ProbeKind::Component:
    return "component";
  case ProbeKind::Band:
    return "band";
  case ProbeKind::Check:
    return "check";
  case ProbeKind::Alert:
    return "alert";
  case ProbeKind::Arm:
    return "arm";
  case ProbeKind::Aggregate:
    break;
  }
  return nullptr;
}

std::string percentOf(size_t covered, size_t total) {
  return total == 0 ? "100%"
                    : fmt::format("{:.1f}%", 100.0 * static_cast<double>(covered) /
                                                 static_cast<double>(total));
}

} // namespace

void Coverage::addPlan(const runtime::Plan& plan) {
  if (itemOf_.count(plan.frameworkName))
    return;
  std::vector<int>& itemOf = itemOf_[plan.frameworkName];
  // An arm names the member that holds it: `band outcome`, `metric win_rate`.
  std::map<std::string, std::string> memberKinds;
  for (const Probe& probe : plan.probes)
    if (probe.kind != ProbeKind::Arm && probe.kind != ProbeKind::Aggregate &&
        probe.kind != ProbeKind::Component)
      memberKinds.emplace(probe.member, kindOf(probe));
  for (const Probe& probe : plan.probes) {
    const char* kind = kindOf(probe);
    if (kind == nullptr) {
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

void Coverage::addRun(const runtime::Plan& plan, const runtime::RunResult& result) {
  addPlan(plan);
  const std::vector<int>& itemOf = itemOf_.at(plan.frameworkName);
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

std::vector<Coverage::Item> Coverage::sorted() const {
  std::vector<Item> items = items_;
  std::stable_sort(items.begin(), items.end(), [](const Item& a, const Item& b) {
    return std::tie(a.file, a.line, a.column) < std::tie(b.file, b.line, b.column);
  });
  // One item per place and meaning (an `if` in a function inlined twice in one member).
  items.erase(std::unique(items.begin(), items.end(),
                          [](const Item& a, const Item& b) {
                            return a.file == b.file && a.line == b.line && a.column == b.column &&
                                   a.framework == b.framework && a.what == b.what &&
                                   a.covered == b.covered;
                          }),
              items.end());
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
  out += fmt::format("total: {} of {} covered ({})\n", covered, items.size(),
                     percentOf(covered, items.size()));
  return out;
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
  return {{"covered", covered}, {"total", items.size()}, {"files", std::move(files)}};
}

} // namespace fulcrum::cli
