// Fuzz target 5: any bytes as an entry of the JIT's object cache (issue 28: whoever writes the
// cache folder would choose the native code the JIT runs). The input's first byte chooses what
// the rest is: 0, the entry itself; 1, the object of a valid entry (which must be accepted and
// give that object back); 2, a valid entry with one byte changed (a position from the next two
// bytes, a mask from the third) and the object after them; 3, a valid entry of another key.
// Whatever is stored is refused, or is exactly the entry the cache writes for the object it hands
// back (fuzz/JitCacheEntryCheck.h). A crash, a hang or a leak is a bug too.
#include "fuzz/JitCacheEntryCheck.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

namespace {

[[noreturn]] void fail(const std::string& what) {
  std::fprintf(stderr, "jit_cache_fuzz: %s\n", what.c_str());
  std::abort();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0)
    return 0;
  static fulcrum::fuzz::JitCacheEntryCheck check;
  const std::string_view rest(reinterpret_cast<const char*>(data) + 1, size - 1);
  std::string entry;
  switch (data[0] % 4) {
  case 0:
    entry = rest;
    break;
  case 1:
    if (rest.empty())
      return 0; // the cache keeps no empty object
    entry = check.validEntry(rest);
    break;
  case 2: {
    if (rest.size() < 3)
      return 0;
    entry = check.validEntry(rest.substr(3));
    const size_t at = (uint8_t(rest[0]) | size_t(uint8_t(rest[1])) << 8) % entry.size();
    entry[at] = char(entry[at] ^ (uint8_t(rest[2]) | 1));
    break;
  }
  default:
    entry = check.validEntry(rest, "fedcba9876543210fedcba9876543210");
    break;
  }
  const auto outcome = check.check(entry);
  if (!outcome.failure.empty())
    fail(outcome.failure);
  if (data[0] % 4 == 1 && !outcome.accepted)
    fail("a valid entry was refused");
  if (data[0] % 4 >= 2 && outcome.accepted)
    fail("a changed entry, or another key's, was accepted");
  return 0;
}
