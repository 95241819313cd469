// Sizes of memory as users write them (`512M`, `4G`) and as messages show them (`512 MiB`), and
// the budget a run gets when it names none.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace fulcrum {

// `N`, `NK`, `NM`, `NG` or `NT` (binary units; `KiB`, `MB` and lower case also read), at least
// one byte and at most 2^60; nullopt for anything else.
std::optional<size_t> parseMemorySize(std::string_view text);

// `512 MiB`, `1.5 GiB`, `800 bytes`: the largest unit the size fills, one decimal when not whole.
std::string formatMemorySize(size_t bytes);

// A run's budget when it names none: half of the machine's physical memory (4 GiB when that
// cannot be read).
size_t defaultMemoryLimit();

} // namespace fulcrum
