// `fulcrum`: dispatches to one subcommand. A thin client of the compiler and runtime libraries.
#include "cli/Commands.h"
#include "runtime/data/ByteScan.h"
#include "runtime/jit/FatalErrors.h"

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <new>
#include <stdexcept>
#include <string>
#include <vector>

namespace {

const char* const kUsage = R"(usage: fulcrum <command> [options]

commands:
  check FILE...      parse and check frameworks (--format text|json|sarif|github, --werror,
                     --with-data, --dump-ast; --prove [--timeout-ms N] [--fail-unknown])
  run FILE ...       compile, load data and evaluate a framework, or --explain KEY one subject
                     (see `fulcrum run` alone)
  alerts FILE ...    the alert feed of a framework (see `fulcrum alerts` alone)
  test FILE...       run the files' test blocks on both engines (--junit PATH, --format text|json,
                     --engine jit|interp|both, --coverage)
  fmt FILE...        files in the canonical layout, to stdout (--check lists those that would
                     change; --write rewrites them)
  diff OLD NEW ...   what a framework change does to each subject (see `fulcrum diff` alone)
  report FILE ...    the run as one self-contained HTML page (see `fulcrum report` alone)
  diagnostics        list every diagnostic the compiler can report
  version            print the version
)";

// What the command printed on stdout must all have arrived (a full disk, a closed pipe): else the
// run failed, whatever the command returned, with the system's reason.
int finished(int status) {
  using namespace fulcrum::cli;
  errno = 0;
  if (std::fflush(stdout) != 0 || std::ferror(stdout)) {
    std::fprintf(stderr, "fulcrum: cannot write the output: %s\n",
                 errno ? std::strerror(errno) : "write error");
    return kExitDataError;
  }
  return status;
}

int dispatch(int argc, char** argv) {
  using namespace fulcrum::cli;
  if (argc < 2 || !std::strcmp(argv[1], "help") || !std::strcmp(argv[1], "--help") ||
      !std::strcmp(argv[1], "-h")) {
    std::fputs(kUsage, argc < 2 ? stderr : stdout);
    return argc < 2 ? kExitUsage : kExitOk;
  }
  // A CSV scan level forced through the environment must be one this CPU runs (ByteScan.h).
  if (const std::string error = fulcrum::runtime::scanLevelEnvironmentError(); !error.empty()) {
    std::fprintf(stderr, "fulcrum: %s\n", error.c_str());
    return kExitUsage;
  }
  const std::string command = argv[1];
  const std::vector<std::string> args(argv + 2, argv + argc);
  if (command == "check")
    return checkCommand(args);
  if (command == "run")
    return runCommand(args);
  if (command == "alerts")
    return alertsCommand(args);
  if (command == "test")
    return testCommand(args);
  if (command == "diagnostics")
    return diagnosticsCommand(args);
  if (command == "version" || command == "--version") {
    std::printf("fulcrum %s\n", kFulcrumVersion);
    return kExitOk;
  }
  if (command == "fmt")
    return fmtCommand(args);
  if (command == "diff")
    return diffCommand(args);
  if (command == "report")
    return reportCommand(args);
  std::fprintf(stderr, "fulcrum: unknown command `%s`\n\n%s", command.c_str(), kUsage);
  return kExitUsage;
}

int run(int argc, char** argv) {
  try {
    return finished(dispatch(argc, argv));
  } catch (const std::bad_alloc&) {
    // The loader and the output writer stop at --memory-limit; an allocation that still fails is
    // a data error with a message, never an abort.
    std::fputs("fulcrum: out of memory; --memory-limit sets what run, alerts and diff may "
               "take\n",
               stderr);
    return fulcrum::cli::kExitDataError;
  } catch (const std::runtime_error& e) {
    // A library that failed where no result can be given (support/Sha256.h): a message, exit 2.
    std::fprintf(stderr, "fulcrum: %s\n", e.what());
    return fulcrum::cli::kExitDataError;
  }
}

} // namespace

int main(int argc, char** argv) {
  const int status = run(argc, argv);
  // After an LLVM fatal error the JIT was left where it failed (runtime/jit/FatalErrors.h), and
  // its other compile threads may still be working: the static destructors that returning runs
  // (LLVM's, ANTLR's) would free state under them, a crash after the results were written
  // (e2e/jit_failure_test under load, 14 of 240 runs). Nothing is left to flush but the streams.
  if (!fulcrum::runtime::jit::jitDisabledReason().empty()) {
    std::fflush(nullptr);
    std::_Exit(status);
  }
  return status;
}
