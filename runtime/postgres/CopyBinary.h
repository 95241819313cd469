// The binary COPY format (PostgreSQL's `COPY ... TO STDOUT (FORMAT binary)`): a signature and
// header, then per row a field count and per field a length (-1 for NULL) and the value's bytes,
// then a trailer. Fed in the chunks libpq hands over; each whole row goes to a callback.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace fulcrum::runtime::postgres {

class CopyBinaryReader {
public:
  // A row's fields: nullopt for NULL. Return false to stop (the reader then reports `error`).
  using RowSink = std::function<bool(const std::vector<std::optional<std::string_view>>& fields,
                                     std::string& error)>;

  CopyBinaryReader(size_t fields, RowSink sink) : fields_(fields), sink_(std::move(sink)) {}

  // Takes the next bytes of the stream; false with error() once it is malformed or the sink
  // refused a row.
  bool feed(std::string_view bytes);
  // After the last chunk: false unless the trailer was read and nothing followed it.
  bool finish();
  const std::string& error() const { return error_; }

private:
  bool fail(std::string message);
  // Reads what whole rows `pending_` holds from `at_`.
  bool drain();

  size_t fields_;
  RowSink sink_;
  std::string pending_;
  size_t at_ = 0;
  bool headerRead_ = false;
  bool ended_ = false;
  std::string error_;
  std::vector<std::optional<std::string_view>> row_;
};

} // namespace fulcrum::runtime::postgres
