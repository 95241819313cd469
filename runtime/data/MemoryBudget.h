// A run's memory budget (`--memory-limit`), shared by the threads that load its files: each
// takes what a row will cost before adding it, and a row the budget cannot pay for stops the load
// with a data error instead of letting an allocation fail. What a load takes and then drops (a
// re-parse's discarded ranges, a file dropped for bad_alloc) is given back.
#pragma once

#include <algorithm>
#include <atomic>
#include <cstddef>

namespace fulcrum::runtime {

class MemoryBudget {
public:
  explicit MemoryBudget(size_t limit) : limit_(limit) {}

  size_t limit() const { return limit_; }
  size_t left() const {
    const size_t used = used_.load(std::memory_order_relaxed);
    return used < limit_ ? limit_ - used : 0;
  }
  // Takes `bytes` if they fit under the limit; false (and nothing taken) if not.
  bool take(size_t bytes) {
    size_t used = used_.load(std::memory_order_relaxed);
    do {
      if (bytes > limit_ - used)
        return false;
    } while (!used_.compare_exchange_weak(used, used + bytes, std::memory_order_relaxed));
    return true;
  }
  // Gives back `bytes` taken earlier (never more than is taken).
  void give(size_t bytes) {
    size_t used = used_.load(std::memory_order_relaxed);
    while (!used_.compare_exchange_weak(used, used - std::min(used, bytes),
                                        std::memory_order_relaxed)) {
    }
  }
  size_t used() const { return used_.load(std::memory_order_relaxed); }

private:
  size_t limit_;
  std::atomic<size_t> used_{0};
};

} // namespace fulcrum::runtime
