// How many threads a `--threads N` means: N, or every core the machine has for 0.
#pragma once

#include <thread>

namespace fulcrum {

inline unsigned threadsFor(unsigned requested) {
  if (requested > 0)
    return requested;
  const unsigned cores = std::thread::hardware_concurrency();
  return cores > 0 ? cores : 1;
}

} // namespace fulcrum
