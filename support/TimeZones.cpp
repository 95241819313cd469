// TimeZone over the date library's view of the OS tz database; see TimeZones.h.
#include "support/TimeZones.h"

#include <algorithm>
#include <date/tz.h>
#include <fmt/format.h>

namespace fulcrum {
namespace {

// The spans kept per zone: every offset change from 1900 to 2100, a few hundred at most.
constexpr int64_t kFirstSecond = -2208988800; // 1900-01-01T00:00:00Z
constexpr int64_t kLastSecond = 4102444800;   // 2100-01-01T00:00:00Z

const date::time_zone* zoneOf(const void* zone) {
  return static_cast<const date::time_zone*>(zone);
}

int32_t libraryOffset(const void* zone, int64_t utcSeconds) {
  const date::sys_seconds at{std::chrono::seconds{utcSeconds}};
  return static_cast<int32_t>(zoneOf(zone)->get_info(at).offset.count());
}

} // namespace

std::shared_ptr<const TimeZone> TimeZone::find(std::string_view name, std::string& error) {
  auto zone = std::make_shared<TimeZone>();
  zone->name_ = std::string(name);
  try {
    zone->zone_ = date::locate_zone(name);
  } catch (const std::exception&) {
    error =
        fmt::format("no time zone `{}` in the system's tz database (/usr/share/zoneinfo)", name);
    return nullptr;
  }
  int64_t at = kFirstSecond;
  while (at < kLastSecond) {
    const date::sys_info info =
        zoneOf(zone->zone_)->get_info(date::sys_seconds{std::chrono::seconds{at}});
    zone->spans_.push_back(Span{at, static_cast<int32_t>(info.offset.count())});
    const int64_t end = info.end.time_since_epoch().count();
    if (end <= at)
      break;
    at = end;
  }
  return zone;
}

const std::string& TimeZone::databaseVersion() {
  static const std::string version = [] {
    try {
      const std::string& read = date::get_tzdb().version;
      return read.empty() ? std::string("unknown") : read;
    } catch (const std::exception&) {
      return std::string("unknown");
    }
  }();
  return version;
}

int32_t TimeZone::offsetAt(int64_t utcSeconds) const {
  if (utcSeconds < kFirstSecond || utcSeconds >= kLastSecond || spans_.empty())
    return libraryOffset(zone_, utcSeconds);
  auto it = std::upper_bound(spans_.begin(), spans_.end(), utcSeconds,
                             [](int64_t at, const Span& span) { return at < span.begin; });
  return std::prev(it)->offset;
}

} // namespace fulcrum
