// The alert state file: {"format": "fulcrum alert state", "version": 1, "framework": NAME,
// "delivered": [[alert, subject, row], ...], "holding": [[alert, subject], ...]}.
#include "cli/AlertState.h"

#include "support/AtomicFile.h"

#include <cerrno>
#include <cstring>
#include <fmt/format.h>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

namespace fulcrum::cli {

namespace {

constexpr const char* kFormat = "fulcrum alert state";
constexpr int kVersion = 1;

// An identity's parts (runtime::AlertRecord::identity joins them with U+001F).
nlohmann::json partsOf(const std::string& identity) {
  nlohmann::json parts = nlohmann::json::array();
  size_t start = 0;
  for (size_t at = identity.find('\x1f'); at != std::string::npos;
       start = at + 1, at = identity.find('\x1f', start))
    parts.push_back(identity.substr(start, at - start));
  parts.push_back(identity.substr(start));
  return parts;
}

bool identityOf(const nlohmann::json& parts, std::string& identity) {
  if (!parts.is_array() || parts.empty())
    return false;
  identity.clear();
  for (size_t i = 0; i < parts.size(); ++i) {
    if (!parts[i].is_string())
      return false;
    identity += (i ? "\x1f" : "") + parts[i].get<std::string>();
  }
  return true;
}

bool readIdentities(const nlohmann::json& document, const char* key, std::set<std::string>& into) {
  if (!document.contains(key) || !document[key].is_array())
    return false;
  for (const nlohmann::json& parts : document[key]) {
    std::string identity;
    if (!identityOf(parts, identity))
      return false;
    into.insert(identity);
  }
  return true;
}

} // namespace

bool readAlertState(const std::string& path, const std::string& framework, AlertState& state,
                    std::string& error) {
  state = AlertState{framework, {}, {}};
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    if (errno == ENOENT)
      return true; // the first run: nothing delivered yet
    error = fmt::format("cannot read the state file `{}`: {}", path, std::strerror(errno));
    return false;
  }
  std::stringstream text;
  text << in.rdbuf();
  const nlohmann::json document = nlohmann::json::parse(text.str(), nullptr, false);
  const auto damaged = [&](const std::string& why) {
    error = fmt::format("`{}` is not a usable alert state file ({}); it was left as it is. "
                        "Name another file with --state, or remove this one to deliver every "
                        "alert again",
                        path, why);
    return false;
  };
  if (document.is_discarded())
    return damaged("it is not JSON: damaged or cut short");
  if (!document.is_object() || document.value("format", "") != kFormat)
    return damaged("it is not a state file of `fulcrum alerts`");
  if (!document.contains("version") || document["version"] != kVersion)
    return damaged(fmt::format("it is not version {} of the format", kVersion));
  if (document.value("framework", "") != framework)
    return damaged(fmt::format("it belongs to framework `{}`, not `{}`",
                               document.value("framework", ""), framework));
  if (!readIdentities(document, "delivered", state.delivered) ||
      !readIdentities(document, "holding", state.holding))
    return damaged("its lists of alerts are damaged");
  return true;
}

bool writeAlertState(const std::string& path, const AlertState& state, std::string& error) {
  nlohmann::json document = {{"format", kFormat},
                             {"version", kVersion},
                             {"framework", state.framework},
                             {"delivered", nlohmann::json::array()},
                             {"holding", nlohmann::json::array()}};
  for (const std::string& identity : state.delivered)
    document["delivered"].push_back(partsOf(identity));
  for (const std::string& identity : state.holding)
    document["holding"].push_back(partsOf(identity));
  std::string writeError;
  if (writeFileAtomically(path, document.dump(1) + "\n", AtomicFile::Access::Output, writeError))
    return true;
  error = fmt::format("cannot write the state file `{}`: {}", path, writeError);
  return false;
}

std::vector<runtime::AlertRecord> newAlerts(const std::vector<runtime::AlertRecord>& alerts,
                                            AlertState& state) {
  std::vector<runtime::AlertRecord> fresh;
  std::set<std::string> holding;
  for (const runtime::AlertRecord& alert : alerts) {
    if (alert.active) {
      if (state.delivered.insert(alert.identity).second)
        fresh.push_back(alert);
    } else {
      holding.insert(alert.identity);
      if (!state.holding.count(alert.identity))
        fresh.push_back(alert);
    }
  }
  state.holding = std::move(holding);
  return fresh;
}

} // namespace fulcrum::cli
