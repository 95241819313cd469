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

// One range's share of a budget, taken in chunks so that threads loading side by side do not
// contend for the budget's one atomic word on every row (a `lock cmpxchg` a row was the hottest
// instruction of the line loop, docs/performance.md): rows are paid from the chunk, and what is
// left goes back at finish(). A chunk that does not fit falls back to taking a row's exact bytes;
// `exact` takes no chunks. While one range holds an unused chunk another can find the budget
// spent, so a load that stops over the limit after taking chunks is parsed again exactly
// (TableParser.cpp's parseBody) before it is reported.
class BudgetAllowance {
public:
  static constexpr size_t kChunk = size_t{256} << 10;

  BudgetAllowance(MemoryBudget* budget, bool exact) : budget_(budget), exact_(exact) {}
  BudgetAllowance(const BudgetAllowance&) = delete;
  BudgetAllowance& operator=(const BudgetAllowance&) = delete;
  ~BudgetAllowance() { finish(); }

  // Pays `bytes`; false (nothing taken) if the budget cannot.
  bool pay(size_t bytes) {
    if (!budget_ || bytes == 0)
      return true;
    if (bytes <= unused_) {
      unused_ -= bytes;
      return true;
    }
    if (!exact_) {
      const size_t chunk = std::max(bytes, kChunk);
      if (budget_->take(chunk)) {
        unused_ += chunk - bytes;
        tookChunks_ = true;
        return true;
      }
    }
    return budget_->take(bytes);
  }
  // Gives back what was taken and not paid out.
  void finish() {
    if (budget_ && unused_ > 0)
      budget_->give(unused_);
    unused_ = 0;
  }
  bool tookChunks() const { return tookChunks_; }

private:
  MemoryBudget* budget_;
  bool exact_;
  size_t unused_ = 0;
  bool tookChunks_ = false;
};

} // namespace fulcrum::runtime
