// What memory tests need to know about the process: its resident set, and whether
// AddressSanitizer is on (its quarantine keeps freed memory resident, so growth bounds do not
// apply there; LeakSanitizer checks at exit instead).
#pragma once

#include <cstddef>
#include <fstream>
#include <unistd.h>

namespace fulcrum::testing_support {

#if defined(__SANITIZE_ADDRESS__)
inline constexpr bool kAddressSanitizer = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
inline constexpr bool kAddressSanitizer = true;
#else
inline constexpr bool kAddressSanitizer = false;
#endif
#else
inline constexpr bool kAddressSanitizer = false;
#endif

// The resident set in bytes, from /proc/self/statm.
inline size_t residentBytes() {
  std::ifstream statm("/proc/self/statm");
  size_t pages = 0, resident = 0;
  statm >> pages >> resident;
  return resident * static_cast<size_t>(sysconf(_SC_PAGESIZE));
}

} // namespace fulcrum::testing_support
