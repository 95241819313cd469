// Parsing a file's parts side by side: the one thread loop the hand-written loaders share.
#pragma once

#include <cstddef>
#include <exception>
#include <thread>
#include <vector>

namespace handwritten {

// Runs parse(0) .. parse(parts - 1), part 0 on the calling thread and each other on a thread of
// its own, then rethrows the earliest part's error (the file's first bad line), if any.
template <typename Parse> void parseParts(size_t parts, Parse parse) {
  std::vector<std::exception_ptr> errors(parts);
  auto guarded = [&](size_t index) {
    try {
      parse(index);
    } catch (...) {
      errors[index] = std::current_exception();
    }
  };
  std::vector<std::thread> workers;
  for (size_t index = 1; index < parts; ++index)
    workers.emplace_back(guarded, index);
  if (parts > 0)
    guarded(0);
  for (std::thread& worker : workers)
    worker.join();
  for (const std::exception_ptr& error : errors)
    if (error)
      std::rethrow_exception(error);
}

} // namespace handwritten
