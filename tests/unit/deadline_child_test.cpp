// compiler/prove/DeadlineChild: a question answered in a child process within its deadline, or
// the child killed (the guarantee behind `check --prove --timeout-ms` when Z3 overruns its own).
#include "compiler/prove/DeadlineChild.h"

#include <chrono>
#include <csignal>
#include <gtest/gtest.h>
#include <stdexcept>
#include <thread>

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
