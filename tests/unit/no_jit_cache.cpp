// The unit tests never reuse a JIT object compiled by another build: before any test runs, the
// object cache is turned off (CTest sets the same; a test of the cache gives it its own folder).
#include <cstdlib>

namespace {

const bool kJitCacheOff = [] {
  setenv("FULCRUM_JIT_CACHE", "off", 1);
  return true;
}();

} // namespace
