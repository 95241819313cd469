// The subcommands of `fulcrum`; each returns the process exit status.
#pragma once

#include <string>
#include <vector>

namespace fulcrum::cli {

// Exit statuses shared by every command (language.md, "The commands").
inline constexpr int kExitOk = 0;
inline constexpr int kExitCompileError = 1;
inline constexpr int kExitDataError = 2;
inline constexpr int kExitCheckViolated = 3; // also `diff --fail-on` finding a change
inline constexpr int kExitUsage = 64;

// What `fulcrum version` prints after `fulcrum`, and SARIF's tool version.
inline constexpr const char* kFulcrumVersion = "0.1.0";

int checkCommand(const std::vector<std::string>& args);
int runCommand(const std::vector<std::string>& args);
int alertsCommand(const std::vector<std::string>& args);
int testCommand(const std::vector<std::string>& args);
int fmtCommand(const std::vector<std::string>& args);
int diffCommand(const std::vector<std::string>& args);
int reportCommand(const std::vector<std::string>& args);
int diagnosticsCommand(const std::vector<std::string>& args);

} // namespace fulcrum::cli
