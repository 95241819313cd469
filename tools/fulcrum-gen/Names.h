// The word lists the generated data draws its names and categories from.
#pragma once

#include <span>
#include <string_view>

namespace fulcrum::gen::names {

extern const std::span<const std::string_view> firstNames;
extern const std::span<const std::string_view> lastNames;
extern const std::span<const std::string_view> regions;
extern const std::span<const std::string_view> teamWords;
extern const std::span<const std::string_view> companyStems;
extern const std::span<const std::string_view> companySuffixes;
extern const std::span<const std::string_view> sectors;
extern const std::span<const std::string_view> products;

} // namespace fulcrum::gen::names
