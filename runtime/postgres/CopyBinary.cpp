// Reading the binary COPY stream row by row.
#include "runtime/postgres/CopyBinary.h"

#include <fmt/format.h>

namespace fulcrum::runtime::postgres {
namespace {

constexpr std::string_view kSignature{"PGCOPY\n\377\r\n\0", 11};

uint32_t read32(std::string_view bytes, size_t at) {
  uint32_t value = 0;
  for (size_t i = 0; i < 4; ++i)
    value = (value << 8) | static_cast<unsigned char>(bytes[at + i]);
  return value;
}

uint16_t read16(std::string_view bytes, size_t at) {
  return static_cast<uint16_t>((static_cast<unsigned char>(bytes[at]) << 8) |
                               static_cast<unsigned char>(bytes[at + 1]));
}

} // namespace

bool CopyBinaryReader::fail(std::string message) {
  if (error_.empty())
    error_ = std::move(message);
  return false;
}

bool CopyBinaryReader::feed(std::string_view bytes) {
  if (!error_.empty())
    return false;
  if (ended_ && !bytes.empty())
    return fail("the binary COPY stream goes on after its trailer");
  // What was read is dropped once it is most of the buffer (rows are small; chunks are rows).
  if (at_ > 0 && at_ >= pending_.size() / 2) {
    pending_.erase(0, at_);
    at_ = 0;
  }
  pending_.append(bytes);
  return drain();
}

bool CopyBinaryReader::drain() {
  const std::string_view data = pending_;
  if (!headerRead_) {
    if (data.size() - at_ < kSignature.size() + 8)
      return true;
    if (data.substr(at_, kSignature.size()) != kSignature)
      return fail("the server's COPY data does not start with the binary COPY signature");
    const uint32_t flags = read32(data, at_ + 11);
    if (flags & 0x10000)
      return fail("the server's binary COPY data holds OIDs, which were not asked for");
    const uint32_t extension = read32(data, at_ + 15);
    if (data.size() - at_ < kSignature.size() + 8 + extension)
      return true;
    at_ += kSignature.size() + 8 + extension;
    headerRead_ = true;
  }
  while (!ended_) {
    size_t at = at_;
    if (data.size() - at < 2)
      return true;
    const auto count = static_cast<int16_t>(read16(data, at));
    at += 2;
    if (count == -1) {
      ended_ = true;
      at_ = at;
      break;
    }
    if (count < 0 || static_cast<size_t>(count) != fields_)
      return fail(fmt::format("a row of the server's COPY data has {} fields, {} were asked for",
                              count, fields_));
    row_.assign(fields_, std::nullopt);
    bool whole = true;
    for (size_t f = 0; f < fields_; ++f) {
      if (data.size() - at < 4) {
        whole = false;
        break;
      }
      const auto length = static_cast<int32_t>(read32(data, at));
      at += 4;
      if (length == -1)
        continue;
      if (length < 0)
        return fail(fmt::format("a field of the server's COPY data has length {}", length));
      if (data.size() - at < static_cast<size_t>(length)) {
        whole = false;
        break;
      }
      row_[f] = data.substr(at, static_cast<size_t>(length));
      at += static_cast<size_t>(length);
    }
    if (!whole)
      return true; // the rest of the row comes with the next chunk
    std::string refused;
    if (!sink_(row_, refused))
      return fail(std::move(refused));
    at_ = at;
  }
  if (at_ != data.size())
    return fail("the binary COPY stream goes on after its trailer");
  return true;
}

bool CopyBinaryReader::finish() {
  if (!error_.empty())
    return false;
  if (!ended_)
    return fail("the server's COPY data ended before its trailer");
  return true;
}

} // namespace fulcrum::runtime::postgres
