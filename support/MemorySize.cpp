// Parsing and showing memory sizes; the machine's default budget from sysconf.
#include "support/MemorySize.h"

#include <charconv>
#include <cmath>
#include <fmt/format.h>
#include <unistd.h>

namespace fulcrum {
namespace {

char lower(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

} // namespace

std::optional<size_t> parseMemorySize(std::string_view text) {
  size_t number = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), number);
  if (error != std::errc() || end == text.data())
    return std::nullopt;
  std::string unit;
  for (const char* p = end; p < text.data() + text.size(); ++p)
    unit += lower(*p);
  if (unit.size() >= 2 && unit.ends_with('b') && unit != "bb") // `MB`, `MiB`, not `5bb`
    unit.pop_back();
  if (unit.size() == 2 && unit[1] == 'i')
    unit.pop_back();
  int shift = 0;
  if (unit == "k")
    shift = 10;
  else if (unit == "m")
    shift = 20;
  else if (unit == "g")
    shift = 30;
  else if (unit == "t")
    shift = 40;
  else if (!unit.empty() && unit != "b")
    return std::nullopt;
  constexpr size_t kMost = size_t{1} << 60;
  if (number == 0 || number > (kMost >> shift))
    return std::nullopt;
  return number << shift;
}

std::string formatMemorySize(size_t bytes) {
  static constexpr const char* kUnits[] = {"KiB", "MiB", "GiB", "TiB", "PiB"};
  if (bytes < 1024)
    return fmt::format("{} byte{}", bytes, bytes == 1 ? "" : "s");
  int unit = 0;
  double value = static_cast<double>(bytes) / 1024;
  // Moves up a unit when the value shown (to one decimal) would be 1024 or more: never
  // `1024.0 KiB`, but `1 MiB`.
  while (std::round(value * 10) >= 1024 * 10 && unit < 4) {
    value /= 1024;
    ++unit;
  }
  const double shown = std::round(value * 10) / 10;
  if (shown == std::floor(shown))
    return fmt::format("{} {}", static_cast<size_t>(shown), kUnits[unit]);
  return fmt::format("{:.1f} {}", shown, kUnits[unit]);
}

size_t defaultMemoryLimit() {
  const long pages = sysconf(_SC_PHYS_PAGES);
  const long pageSize = sysconf(_SC_PAGESIZE);
  if (pages <= 0 || pageSize <= 0)
    return size_t{4} << 30;
  return static_cast<size_t>(pages) / 2 * static_cast<size_t>(pageSize);
}

} // namespace fulcrum
