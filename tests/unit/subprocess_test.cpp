// cli/Subprocess: a child's output and status, and a status that cannot be had is never taken
// for a success (`fulcrum diff REV:PATH` trusts git's status to mean the revision's text).
#include "cli/Subprocess.h"

#include <csignal>
#include <gtest/gtest.h>

namespace fulcrum::cli {
namespace {

TEST(Subprocess, CollectsBothStreamsAndTheExitStatus) {
  const ProcessOutput shell = runProcess({"sh", "-c", "echo out; echo err >&2; exit 3"});
  ASSERT_TRUE(shell.started) << shell.error;
  EXPECT_EQ(shell.out, "out\n");
  EXPECT_EQ(shell.err, "err\n");
  EXPECT_EQ(shell.exitStatus, 3);
  EXPECT_EQ(shell.error, "");
}

TEST(Subprocess, AChildFillingBothPipesDoesNotDeadlock) {
  // 1 MiB to each stream, far past a pipe's buffer.
  const ProcessOutput shell =
      runProcess({"sh", "-c", "head -c 1048576 /dev/zero; head -c 1048576 /dev/zero >&2"});
  ASSERT_TRUE(shell.started) << shell.error;
  EXPECT_EQ(shell.out.size(), size_t{1} << 20);
  EXPECT_EQ(shell.err.size(), size_t{1} << 20);
  EXPECT_EQ(shell.exitStatus, 0);
}

TEST(Subprocess, AStatusThatCannotBeHadIsNotASuccess) {
  // A host that ignores SIGCHLD has its children reaped by the kernel: waitpid fails (ECHILD)
  // and the child's status is unknown. Before, it read as exit status 0.
  struct sigaction ignore {
  }, previous{};
  ignore.sa_handler = SIG_IGN;
  sigemptyset(&ignore.sa_mask);
  ASSERT_EQ(sigaction(SIGCHLD, &ignore, &previous), 0);
  const ProcessOutput failing = runProcess({"sh", "-c", "exit 1"});
  sigaction(SIGCHLD, &previous, nullptr);
  ASSERT_TRUE(failing.started) << failing.error;
  EXPECT_EQ(failing.exitStatus, -1);
  EXPECT_NE(failing.error.find("cannot wait"), std::string::npos) << failing.error;
}

TEST(Subprocess, AProgramThatIsNotThereIsNotStarted) {
  const ProcessOutput missing = runProcess({"fulcrum-no-such-program-anywhere"});
  EXPECT_FALSE(missing.started);
  EXPECT_NE(missing.error, "");
}

} // namespace
} // namespace fulcrum::cli
