// SHA-256 (OpenSSL's libcrypto, Debian's libssl-dev): what provenance records of each file a run
// read, as lowercase hex.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace fulcrum {

// Throws std::runtime_error when OpenSSL fails (never returns a wrong or empty hash).
std::string sha256Hex(std::string_view bytes);
// The file's SHA-256 and size, read in 1 MiB pieces; false and `error` (the system's reason) when
// it cannot be read.
bool sha256File(const std::string& path, std::string& hex, uint64_t& size, std::string& error);

} // namespace fulcrum
