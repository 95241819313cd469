// compiler/prove/DeadlineChild: a question answered in a child process within its deadline, or
// the child killed (the guarantee behind `check --prove --timeout-ms` when Z3 overruns its own).
#include "compiler/prove/DeadlineChild.h"

#include <chrono>
#include <csignal>
#include <fstream>
#include <gtest/gtest.h>
#include <stdexcept>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

using fulcrum::prove::answerInChild;
using fulcrum::prove::ChildAnswer;

namespace {

double millisecondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
      .count();
}

} // namespace

TEST(DeadlineChild, AnswerComesBackWhole) {
  // Larger than a pipe's buffer: the parent reads while the child writes.
  std::string big(3 << 20, 'x');
  big[12345] = ':';
  const ChildAnswer answer = answerInChild(60000, [&] { return big; });
  EXPECT_EQ(answer.status, ChildAnswer::Status::Answered);
  EXPECT_EQ(answer.text, big);
  const ChildAnswer empty = answerInChild(60000, [] { return std::string(); });
  EXPECT_EQ(empty.status, ChildAnswer::Status::Answered);
  EXPECT_EQ(empty.text, "");
}

TEST(DeadlineChild, ChildThatNeverAnswersIsKilledAtTheDeadline) {
  const auto start = std::chrono::steady_clock::now();
  const ChildAnswer answer = answerInChild(300, [] {
    volatile unsigned long spins = 0;
    for (;;) // like a solver that never looks at its timeout
      spins = spins + 1;
    return std::string("never");
  });
  EXPECT_EQ(answer.status, ChildAnswer::Status::TimedOut);
  EXPECT_GE(millisecondsSince(start), 290);
  EXPECT_LT(millisecondsSince(start), 30000);
}

TEST(DeadlineChild, ThrownErrorIsAFailureWithItsMessage) {
  const ChildAnswer answer =
      answerInChild(60000, []() -> std::string { throw std::runtime_error("out of rows"); });
  EXPECT_EQ(answer.status, ChildAnswer::Status::Failed);
  EXPECT_EQ(answer.text, "out of rows");
}

TEST(DeadlineChild, ChildKilledBeforeAnsweringIsAFailureNamingTheSignal) {
  const ChildAnswer answer = answerInChild(60000, []() -> std::string {
    raise(SIGKILL);
    return "unreachable";
  });
  EXPECT_EQ(answer.status, ChildAnswer::Status::Failed);
  EXPECT_NE(answer.text.find("died"), std::string::npos) << answer.text;
}

TEST(DeadlineChild, ChildLeavesThisProcessAlone) {
  int value = 1;
  const ChildAnswer answer = answerInChild(60000, [&] {
    value = 2;
    return std::to_string(value);
  });
  EXPECT_EQ(answer.text, "2");
  EXPECT_EQ(value, 1);
}

TEST(DeadlineChild, ChildDiesWithItsParent) {
  // A parent (forked here) whose child spins; the parent is killed: the child must not run on.
  int ends[2];
  ASSERT_EQ(pipe(ends), 0);
  const pid_t parent = fork();
  ASSERT_GE(parent, 0);
  if (parent == 0) {
    close(ends[0]);
    answerInChild(600000, [&] {
      const pid_t self = getpid();
      (void)!write(ends[1], &self, sizeof self);
      volatile unsigned long spins = 0;
      for (;;)
        spins = spins + 1;
      return std::string();
    });
    _exit(0);
  }
  close(ends[1]);
  pid_t child = 0;
  ASSERT_EQ(read(ends[0], &child, sizeof child), static_cast<ssize_t>(sizeof child));
  close(ends[0]);
  kill(parent, SIGKILL);
  waitpid(parent, nullptr, 0);
  // Dead: gone, or a zombie its new parent has not reaped yet.
  const auto running = [child] {
    std::ifstream stat("/proc/" + std::to_string(child) + "/stat");
    std::string pid, name, state;
    return stat >> pid >> name >> state && state != "Z";
  };
  const auto start = std::chrono::steady_clock::now();
  while (running() && millisecondsSince(start) < 10000)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  EXPECT_FALSE(running()) << "the child of a killed parent still runs";
}
