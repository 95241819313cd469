// How many threads a `--threads N` means (N, or every core the machine has for 0), and the one
// way the runtime spreads work over threads.
#pragma once

#include <cstddef>
#include <functional>
#include <system_error>
#include <thread>
#include <vector>

namespace fulcrum {

inline unsigned threadsFor(unsigned requested) {
  if (requested > 0)
    return requested;
  const unsigned cores = std::thread::hardware_concurrency();
  return cores > 0 ? cores : 1;
}

// Runs `work(0)` on this thread and `work(1)` ... `work(threads - 1)` on threads of their own,
// and returns when all have returned. The work takes its jobs from a shared counter, so that when
// no more threads can be started the ones running do it all; it must not throw.
inline void onThreads(size_t threads, const std::function<void(size_t thread)>& work) {
  std::vector<std::thread> started;
  for (size_t t = 1; t < threads; ++t) {
    try {
      started.emplace_back(work, t);
    } catch (const std::system_error&) {
      break; // no more threads to be had
    }
  }
  work(0);
  for (std::thread& thread : started)
    thread.join();
}

} // namespace fulcrum
