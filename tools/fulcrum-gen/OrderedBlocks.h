// Generating a file's blocks in parallel and handing them over strictly in order: worker threads
// fill at most `window` blocks ahead of the one being written, so memory stays bounded whatever
// the file's size, and the bytes do not depend on the number of threads (every block draws
// from its own random stream).
#pragma once

#include <condition_variable>
#include <cstddef>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

namespace fulcrum::gen {

// Calls fill(index, block) for every index in [0, count) on `threads` workers and
// emit(index, block) on the calling thread in index order. An exception from emit stops the
// workers and is rethrown.
template <class Block, class Fill, class Emit>
void runOrdered(size_t count, unsigned threads, Fill fill, Emit emit) {
  const size_t window = 2 * static_cast<size_t>(threads) + 1;
  std::vector<Block> slots(window);
  std::vector<char> ready(window, 0);
  std::mutex mutex;
  std::condition_variable changed;
  size_t nextToFill = 0;
  size_t nextToEmit = 0;
  bool stopping = false;

  auto work = [&] {
    std::unique_lock lock(mutex);
    while (true) {
      changed.wait(lock, [&] {
        return stopping || nextToFill >= count || nextToFill < nextToEmit + window;
      });
      if (stopping || nextToFill >= count)
        return;
      const size_t index = nextToFill++;
      lock.unlock();
      fill(index, slots[index % window]);
      lock.lock();
      ready[index % window] = 1;
      changed.notify_all();
    }
  };
  std::vector<std::thread> workers;
  for (unsigned i = 0; i < threads; ++i)
    workers.emplace_back(work);

  std::exception_ptr failure;
  try {
    for (; nextToEmit < count;) {
      {
        std::unique_lock lock(mutex);
        changed.wait(lock, [&] { return ready[nextToEmit % window] != 0; });
      }
      emit(nextToEmit, slots[nextToEmit % window]);
      std::lock_guard lock(mutex);
      ready[nextToEmit % window] = 0;
      ++nextToEmit;
      changed.notify_all();
    }
  } catch (...) {
    failure = std::current_exception();
    std::lock_guard lock(mutex);
    stopping = true;
    changed.notify_all();
  }
  for (std::thread& worker : workers)
    worker.join();
  if (failure)
    std::rethrow_exception(failure);
}

} // namespace fulcrum::gen
