// The identity of the build this code is part of: the GNU build-id the linker wrote into the
// executable or shared library (a hash of its contents, `-Wl,--build-id`), read from memory once.
// Whatever a later process may reuse from an earlier one (the JIT's compiled objects) is keyed by
// it, so a rebuilt or upgraded fulcrum never runs what another build left behind.
#pragma once

#include <string>

namespace fulcrum {

// The build-id as lowercase hex; empty when the binary carries none (then nothing may be reused
// across processes).
const std::string& buildIdentity();

} // namespace fulcrum
