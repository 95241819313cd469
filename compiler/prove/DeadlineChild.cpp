// fork(), a pipe the child writes its answer to, and poll() with the time left until the
// deadline; the child's exit status is collected whatever happened, so no zombie is left.
#include "compiler/prove/DeadlineChild.h"

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <poll.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

namespace fulcrum::prove {

namespace {

void writeAll(int fd, const std::string& text) {
  size_t written = 0;
  while (written < text.size()) {
    const ssize_t n = ::write(fd, text.data() + written, text.size() - written);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      return;
    written += static_cast<size_t>(n);
  }
}

// The child's status; false when it cannot be had (a host that ignores SIGCHLD: the kernel
// reaped it).
bool waitFor(pid_t pid, int& status) {
  pid_t waited;
  while ((waited = waitpid(pid, &status, 0)) < 0 && errno == EINTR) {
  }
  return waited == pid;
}

} // namespace

ChildAnswer answerInChild(unsigned deadlineMs, const std::function<std::string()>& work) {
  ChildAnswer answer;
  int ends[2];
  if (pipe2(ends, O_CLOEXEC) != 0) {
    answer.text = std::string("no pipe: ") + std::strerror(errno);
    return answer;
  }
  // What this process has buffered must not be written twice (the child never flushes, but a
  // library it calls might).
  std::fflush(nullptr);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(deadlineMs);
  const pid_t parent = getpid();
  const pid_t pid = fork();
  if (pid < 0) {
    answer.text = std::string("no child process: ") + std::strerror(errno);
    ::close(ends[0]);
    ::close(ends[1]);
    return answer;
  }
  if (pid == 0) {
    ::close(ends[0]);
    // Killed with this process, if it dies first (a CI timeout, a crash): an orphaned solver
    // would run on, perhaps for hours.
    if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0 || getppid() != parent)
      _exit(1);
    // '+' marks an answer, '-' a failure; the length after it tells a whole answer from the start
    // of one whose writer died.
    char mark = '+';
    std::string text;
    try {
      text = work();
    } catch (const std::exception& e) {
      mark = '-';
      text = e.what();
    } catch (...) {
      mark = '-';
      text = "an unknown exception";
    }
    writeAll(ends[1], mark + std::to_string(text.size()) + ":" + text);
    ::close(ends[1]);
    _exit(0);
  }
  ::close(ends[1]);
  std::string received;
  bool timedOut = false;
  char buffer[1 << 16];
  for (;;) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                          deadline - std::chrono::steady_clock::now())
                          .count();
    if (left <= 0) {
      timedOut = true;
      break;
    }
    pollfd readable{ends[0], POLLIN, 0};
    const int ready = poll(&readable, 1, static_cast<int>(left));
    if (ready < 0 && errno == EINTR)
      continue;
    if (ready == 0) {
      timedOut = true;
      break;
    }
    const ssize_t n = ::read(ends[0], buffer, sizeof buffer);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      break; // the child closed its end: its whole answer is here
    received.append(buffer, static_cast<size_t>(n));
  }
  ::close(ends[0]);
  if (timedOut)
    kill(pid, SIGKILL);
  int status = 0;
  const bool waited = waitFor(pid, status);
  if (timedOut) {
    answer.status = ChildAnswer::Status::TimedOut;
    return answer;
  }
  const size_t colon = received.find(':');
  if (colon != std::string::npos && colon > 1 && (received[0] == '+' || received[0] == '-') &&
      received.find_first_not_of("0123456789", 1) == colon &&
      std::stoull(received.substr(1, colon - 1)) == received.size() - colon - 1) {
    answer.status =
        received[0] == '+' ? ChildAnswer::Status::Answered : ChildAnswer::Status::Failed;
    answer.text = received.substr(colon + 1);
  } else if (waited && WIFSIGNALED(status)) {
    answer.text = std::string("its process died: ") + strsignal(WTERMSIG(status));
  } else {
    answer.text = "its process ended without an answer";
  }
  return answer;
}

} // namespace fulcrum::prove
