// posix_spawnp with two pipes, read together with poll() so that a child filling one pipe while
// this process waits on the other cannot deadlock.
#include "cli/Subprocess.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace fulcrum::cli {

namespace {

// Both ends of a pipe, closed when it goes out of scope.
struct Pipe {
  int ends[2] = {-1, -1};
  bool open() { return pipe2(ends, O_CLOEXEC) == 0; }
  void close(int end) {
    if (ends[end] >= 0)
      ::close(ends[end]);
    ends[end] = -1;
  }
  ~Pipe() {
    close(0);
    close(1);
  }
};

} // namespace

ProcessOutput runProcess(const std::vector<std::string>& argv) {
  ProcessOutput result;
  Pipe out, err;
  if (argv.empty() || !out.open() || !err.open()) {
    result.error = argv.empty() ? "no program" : std::strerror(errno);
    return result;
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, out.ends[1], 1);
  posix_spawn_file_actions_adddup2(&actions, err.ends[1], 2);
  std::vector<char*> args;
  for (const std::string& arg : argv)
    args.push_back(const_cast<char*>(arg.c_str()));
  args.push_back(nullptr);
  pid_t pid = 0;
  const int spawned = posix_spawnp(&pid, args[0], &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  out.close(1);
  err.close(1);
  if (spawned != 0) {
    result.error = std::strerror(spawned);
    return result;
  }
  result.started = true;
  pollfd fds[2] = {{out.ends[0], POLLIN, 0}, {err.ends[0], POLLIN, 0}};
  std::string* into[2] = {&result.out, &result.err};
  int open = 2;
  char buffer[65536];
  while (open > 0) {
    if (poll(fds, 2, -1) < 0) {
      if (errno == EINTR)
        continue;
      // Stop reading; closing the pipes below ends a child blocked writing (SIGPIPE) instead
      // of leaving it to block this process's wait. What it wrote so far is incomplete.
      result.error = std::string("cannot read its output: ") + std::strerror(errno);
      break;
    }
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || fds[i].revents == 0)
        continue;
      const ssize_t n = read(fds[i].fd, buffer, sizeof buffer);
      if (n > 0) {
        into[i]->append(buffer, static_cast<size_t>(n));
      } else if (n == 0) {
        fds[i].fd = -1; // the end of its output
        --open;
      } else if (errno != EINTR && errno != EAGAIN) {
        // What it wrote is cut short: not a success, whatever its status (exitStatus -1 below).
        result.error = std::string("cannot read its output: ") + std::strerror(errno);
        fds[i].fd = -1;
        --open;
      }
    }
  }
  out.close(0);
  err.close(0);
  int status = 0;
  pid_t waited = -1;
  while ((waited = waitpid(pid, &status, 0)) < 0 && errno == EINTR) {
  }
  if (waited < 0) {
    // Its status is unknown: never take it for a success.
    result.error = std::string("cannot wait for it: ") + std::strerror(errno);
    result.exitStatus = -1;
    return result;
  }
  result.exitStatus = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  if (!result.error.empty())
    result.exitStatus = -1; // its output was cut short
  return result;
}

} // namespace fulcrum::cli
