// The subcommands of `fulcrum`; each returns the process exit status.
#pragma once

#include <string>
#include <vector>

namespace fulcrum::cli {

// Exit statuses shared by every command (language.md, "The commands").
inline constexpr int kExitOk = 0;
inline constexpr int kExitCompileError = 1;
inline constexpr int kExitDataError = 2;
inline constexpr int kExitCheckViolated = 3;
inline constexpr int kExitUsage = 64;

int checkCommand(const std::vector<std::string>& args);
int runCommand(const std::vector<std::string>& args);
int alertsCommand(const std::vector<std::string>& args);
int testCommand(const std::vector<std::string>& args);
int fmtCommand(const std::vector<std::string>& args);
int diagnosticsCommand(const std::vector<std::string>& args);

} // namespace fulcrum::cli
