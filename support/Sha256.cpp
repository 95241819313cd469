// SHA-256 through OpenSSL's EVP interface.
#include "support/Sha256.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <openssl/evp.h>
#include <stdexcept>
#include <vector>

namespace fulcrum {

namespace {

// Each EVP call's result is kept: a digest that failed (no context, an engine refusing SHA-256)
// is reported as a failure, never printed as a hash.
struct DigestContext {
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx{EVP_MD_CTX_new(), EVP_MD_CTX_free};
  bool ok = ctx && EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr) == 1;
  void update(const void* data, size_t size) {
    ok = ok && EVP_DigestUpdate(ctx.get(), data, size) == 1;
  }
  // The digest as lowercase hex; empty when a step failed.
  std::string hex() {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    if (!ok || EVP_DigestFinal_ex(ctx.get(), digest, &length) != 1)
      return std::string();
    static const char* const kDigits = "0123456789abcdef";
    std::string out;
    for (unsigned int i = 0; i < length; ++i) {
      out += kDigits[digest[i] >> 4];
      out += kDigits[digest[i] & 15];
    }
    return out;
  }
};

} // namespace

std::string sha256Hex(std::string_view bytes) {
  DigestContext digest;
  digest.update(bytes.data(), bytes.size());
  std::string hex = digest.hex();
  if (hex.empty()) // not a value any caller could use; OpenSSL failing here is not recoverable
    throw std::runtime_error("OpenSSL's SHA-256 failed");
  return hex;
}

bool sha256File(const std::string& path, std::string& hex, uint64_t& size, std::string& error) {
  std::unique_ptr<std::FILE, decltype(&std::fclose)> file(std::fopen(path.c_str(), "rb"),
                                                          std::fclose);
  if (!file) {
    error = std::strerror(errno);
    return false;
  }
  DigestContext digest;
  std::vector<char> buffer(size_t{1} << 20);
  size = 0;
  while (true) {
    const size_t got = std::fread(buffer.data(), 1, buffer.size(), file.get());
    digest.update(buffer.data(), got);
    size += got;
    if (got < buffer.size())
      break;
  }
  if (std::ferror(file.get())) {
    error = std::strerror(errno);
    return false;
  }
  hex = digest.hex();
  if (hex.empty()) {
    error = "OpenSSL's SHA-256 failed";
    return false;
  }
  return true;
}

} // namespace fulcrum
