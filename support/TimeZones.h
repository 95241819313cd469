// Time zones of the system's tz database (/usr/share/zoneinfo, Debian's tzdata), read through
// Howard Hinnant's date library (Debian's libhowardhinnant-date-dev with libdate-tz, built to
// read the OS database): gcc 12's libstdc++ has no std::chrono::tzdb. A zone is looked up once,
// when a format is compiled; its UTC offsets are then read without allocating.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace fulcrum {

class TimeZone {
public:
  // The zone named `name` ("America/Los_Angeles", "UTC"), or null with `error` set.
  static std::shared_ptr<const TimeZone> find(std::string_view name, std::string& error);

  const std::string& name() const { return name_; }
  // The tz database's version ("2024a"), or "unknown": what the zone's offsets were read from
  // (a column cache read under another version is not reused).
  static const std::string& databaseVersion();
  // The zone's offset from UTC, in seconds, at the instant `utcSeconds` (seconds since
  // 1970-01-01T00:00:00Z).
  int32_t offsetAt(int64_t utcSeconds) const;

private:
  struct Span {
    int64_t begin; // first UTC second of the span
    int32_t offset;
  };
  std::string name_;
  const void* zone_ = nullptr; // the library's date::time_zone, for instants outside `spans_`
  std::vector<Span> spans_;    // 1900..2100, sorted by begin
};

} // namespace fulcrum
